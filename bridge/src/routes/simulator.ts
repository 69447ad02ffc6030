/** /simulator/...: drive the in-process fake WhatsApp (only with BRIDGE_DRIVER=simulator). */
import type { FastifyInstance } from 'fastify';
import type { SimulatedInbound, SimulatorDriver, SimulatorSession } from '../drivers/simulator/driver.js';
import { SIM_MESSAGE_TYPES } from '../drivers/simulator/messages.js';
import type { RestrictionReason } from '../drivers/restrictions.js';
import { conflict } from '../errors.js';
import { success } from '../http/reply.js';
import { sessionParams, type SessionParams } from '../http/schemas.js';
import type { SessionManager } from '../sessions/manager.js';

const str = { type: 'string', minLength: 1, maxLength: 4096 } as const;
const messageId = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' } as const;
/** a phone number, a phone JID or a LID */
const userJid = { type: 'string', pattern: '^(\\+?\\d{5,20}|\\d{5,20}@s\\.whatsapp\\.net|\\d{5,25}@lid)$' } as const;

/** The fields of a simulated message (inbound from a contact, or from the owner's phone). */
const messageFields = {
  text: { type: 'string', maxLength: 65536 }, type: { type: 'string', enum: SIM_MESSAGE_TYPES },
  mediaBase64: { type: 'string' }, mediaSize: { type: 'integer', minimum: 0, maximum: 2 * 1024 ** 3 },
  mimetype: str, fileName: str, caption: str, ptt: { type: 'boolean' }, seconds: { type: 'integer', minimum: 0 },
  location: {
    type: 'object', required: ['latitude', 'longitude'],
    properties: { latitude: { type: 'number', minimum: -90, maximum: 90 }, longitude: { type: 'number', minimum: -180, maximum: 180 }, name: str, address: str },
  },
  contact: { type: 'object', required: ['name', 'number'], properties: { name: str, number: { type: 'string', pattern: '^\\+?[\\d\\s()-]{3,32}$' } } },
  reaction: { type: 'object', required: ['emoji', 'messageId'], properties: { emoji: { type: 'string', maxLength: 32 }, messageId } },
  pushName: str, participant: str, quotedMessageId: messageId, messageId, senderAlt: userJid,
} as const;

export function simulatorRoutes(app: FastifyInstance, manager: SessionManager, driver: SimulatorDriver): void {
  const simOf = (id: string): SimulatorSession => {
    const record = manager.record(id);
    const sim = driver.session(id);
    if (!sim || record.driver !== sim) throw conflict('session has no simulator connection');
    return sim;
  };

  app.post<{ Params: SessionParams; Body: { phoneNumber?: string; name?: string } }>('/simulator/sessions/:sessionId/scan', {
    schema: { params: sessionParams, body: { type: ['object', 'null'], properties: { phoneNumber: { type: 'string', pattern: '^\\d{6,20}$' }, name: str } } },
  }, async (request) => {
    const { sessionId } = request.params;
    await simOf(sessionId).scan(request.body?.phoneNumber, request.body?.name);
    const record = manager.record(sessionId);
    await record.waitFor((r) => r.meta.status === 'connected', 5_000);
    return success(record.view());
  });

  app.post<{ Params: SessionParams; Body: SimulatedInbound }>('/simulator/sessions/:sessionId/inbound', {
    schema: {
      params: sessionParams,
      body: { type: 'object', required: ['from'], properties: { from: str, ...messageFields } },
    },
  }, async (request) => {
    const message = simOf(request.params.sessionId).inbound(request.body);
    await manager.record(request.params.sessionId).chain;
    return success(message);
  });

  app.post<{ Params: SessionParams; Body: Omit<SimulatedInbound, 'from'> & { to: string } }>('/simulator/sessions/:sessionId/owner', {
    schema: {
      params: sessionParams,
      body: { type: 'object', required: ['to'], properties: { to: str, ...messageFields } },
    },
  }, async (request) => {
    const message = simOf(request.params.sessionId).owner(request.body);
    await manager.record(request.params.sessionId).chain;
    return success(message);
  });

  app.post<{ Params: SessionParams; Body: { reason: RestrictionReason; count?: number } }>('/simulator/sessions/:sessionId/refuse', {
    schema: {
      params: sessionParams,
      body: {
        type: 'object', required: ['reason'],
        properties: { reason: { type: 'string', enum: ['rate-limited', 'restricted', 'banned'] }, count: { type: 'integer', minimum: 1, maximum: 1000, default: 1 } },
      },
    },
  }, async (request) => {
    simOf(request.params.sessionId).refuse(request.body.reason, request.body.count ?? 1);
    return success(request.body);
  });

  app.get<{ Params: SessionParams }>('/simulator/sessions/:sessionId/outbox', { schema: { params: sessionParams } },
    async (request) => success(simOf(request.params.sessionId).outbox));

  app.get<{ Params: SessionParams }>('/simulator/sessions/:sessionId/activity', { schema: { params: sessionParams } }, async (request) => {
    const sim = simOf(request.params.sessionId);
    return success({ presence: sim.presence, reads: sim.reads });
  });

  app.post<{ Params: SessionParams; Body: { messageId: string; status: 'delivered' | 'read' | 'failed' } }>('/simulator/sessions/:sessionId/status', {
    schema: {
      params: sessionParams,
      body: { type: 'object', required: ['messageId', 'status'], properties: { messageId: str, status: { type: 'string', enum: ['delivered', 'read', 'failed'] } } },
    },
  }, async (request) => {
    simOf(request.params.sessionId).setStatus(request.body.messageId, request.body.status);
    await manager.record(request.params.sessionId).chain;
    return success(request.body);
  });

  app.post<{ Params: SessionParams; Body: { statusCode: number } }>('/simulator/sessions/:sessionId/disconnect', {
    schema: { params: sessionParams, body: { type: 'object', required: ['statusCode'], properties: { statusCode: { type: 'integer', minimum: 400, maximum: 599 } } } },
  }, async (request) => {
    const { sessionId } = request.params;
    await simOf(sessionId).drop(request.body.statusCode);
    const record = manager.record(sessionId);
    await record.waitFor((r) => r.meta.status !== 'connected', 5_000);
    await record.chain;
    return success(record.view());
  });
}
