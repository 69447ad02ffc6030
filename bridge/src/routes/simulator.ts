/** /simulator/...: drive the in-process fake WhatsApp (only with BRIDGE_DRIVER=simulator). */
import type { FastifyInstance } from 'fastify';
import type { SimulatedInbound, SimulatorDriver, SimulatorSession } from '../drivers/simulator.js';
import { conflict } from '../errors.js';
import { success } from '../http/reply.js';
import { sessionParams, type SessionParams } from '../http/schemas.js';
import type { SessionManager } from '../sessions/manager.js';

const str = { type: 'string', minLength: 1, maxLength: 4096 } as const;

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
      body: {
        type: 'object', required: ['from'],
        properties: {
          from: str, text: { type: 'string', maxLength: 65536 }, type: { type: 'string', enum: ['text', 'image', 'video', 'audio', 'document'] },
          mediaBase64: { type: 'string' }, mimetype: str, fileName: str, caption: str, pushName: str,
          messageId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' },
        },
      },
    },
  }, async (request) => {
    const message = simOf(request.params.sessionId).inbound(request.body);
    await manager.record(request.params.sessionId).chain;
    return success(message);
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
