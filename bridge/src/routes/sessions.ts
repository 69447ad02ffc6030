/** Session lifecycle: create, list, get, delete, reconnect, logout, pairing code. */
import type { FastifyInstance } from 'fastify';
import { success } from '../http/reply.js';
import { sessionIdSchema, sessionParams, type SessionParams } from '../http/schemas.js';
import type { SessionManager } from '../sessions/manager.js';
import type { MessagingService } from '../sessions/messaging.js';

export function sessionRoutes(app: FastifyInstance, manager: SessionManager, messaging: MessagingService): void {
  app.post<{ Body: { sessionId: string } }>('/sessions', {
    schema: { body: { type: 'object', required: ['sessionId'], properties: { sessionId: sessionIdSchema } } },
  }, async (request, reply) => reply.code(201).send(success(await manager.create(request.body.sessionId))));

  app.get('/sessions', async () => success(manager.list()));

  app.get<{ Params: SessionParams }>('/sessions/:sessionId', { schema: { params: sessionParams } },
    async (request) => success(await manager.get(request.params.sessionId)));

  app.delete<{ Params: SessionParams }>('/sessions/:sessionId', { schema: { params: sessionParams } },
    async (request, reply) => {
      await manager.delete(request.params.sessionId);
      await messaging.forget(request.params.sessionId);
      return reply.code(204).send();
    });

  app.post<{ Params: SessionParams }>('/sessions/:sessionId/reconnect', { schema: { params: sessionParams } },
    async (request) => success(await manager.reconnect(request.params.sessionId)));

  app.post<{ Params: SessionParams }>('/sessions/:sessionId/logout', { schema: { params: sessionParams } },
    async (request) => success(await manager.logout(request.params.sessionId)));

  app.post<{ Params: SessionParams; Body: { phoneNumber: string } }>('/sessions/:sessionId/pairing-code', {
    schema: {
      params: sessionParams,
      body: { type: 'object', required: ['phoneNumber'], properties: { phoneNumber: { type: 'string', pattern: '^\\+?\\d{6,20}$' } } },
    },
  }, async (request) => {
    const phoneNumber = request.body.phoneNumber.replace(/^\+/, '');
    const pairingCode = await manager.driverOf(request.params.sessionId).requestPairingCode(phoneNumber);
    return success({ pairingCode });
  });
}
