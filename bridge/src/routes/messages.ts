/** Messaging calls of a session: send, presence, read receipts, media download. */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { HttpError, notFound, tooLarge } from '../errors.js';
import { capped } from '../media/capped.js';
import { success } from '../http/reply.js';
import { sessionIdSchema, type SessionParams } from '../http/schemas.js';
import type { SessionManager } from '../sessions/manager.js';
import type { MessagingService } from '../sessions/messaging.js';
import { normaliseRecipient } from '../sessions/messaging.js';
import { messageBodySchema, toOutbound, type MessageBody } from './message-body.js';

const params = { type: 'object', required: ['sessionId'], properties: { sessionId: sessionIdSchema } } as const;
const jid = { type: 'string', minLength: 1, maxLength: 128 } as const;

export function messageRoutes(app: FastifyInstance, manager: SessionManager, messaging: MessagingService, config: Config): void {
  app.post<{ Params: SessionParams; Body: MessageBody; Headers: { 'idempotency-key'?: string } }>('/sessions/:sessionId/messages', {
    bodyLimit: config.messageBodyLimitBytes,
    schema: {
      params, body: messageBodySchema,
      headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 255 } } },
    },
  }, async (request) => {
    manager.record(request.params.sessionId);
    const message = await toOutbound(request.body, config.mediaFetch);
    const result = await messaging.send(request.params.sessionId, request.body.to, message, request.headers['idempotency-key']);
    return success(result);
  });

  app.post<{ Params: SessionParams; Body: { to: string; state: 'composing' | 'paused' | 'available' } }>('/sessions/:sessionId/presence', {
    schema: {
      params,
      body: { type: 'object', required: ['to', 'state'], properties: { to: jid, state: { type: 'string', enum: ['composing', 'paused', 'available'] } } },
    },
  }, async (request) => {
    const to = normaliseRecipient(request.body.to);
    await manager.driverOf(request.params.sessionId).sendPresence(to, request.body.state);
    return success({ to, state: request.body.state });
  });

  app.post<{ Params: SessionParams; Body: { from: string; messageIds: string[]; participant?: string } }>('/sessions/:sessionId/read', {
    schema: {
      params,
      body: {
        type: 'object', required: ['from', 'messageIds'],
        properties: { from: jid, participant: jid, messageIds: { type: 'array', minItems: 1, maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 128 } } },
      },
    },
  }, async (request) => {
    const from = normaliseRecipient(request.body.from);
    await manager.driverOf(request.params.sessionId).markRead(from, request.body.messageIds, request.body.participant);
    return success({ from, messageIds: request.body.messageIds });
  });

  app.get<{ Params: SessionParams & { messageId: string } }>('/sessions/:sessionId/media/:messageId', {
    schema: {
      params: { type: 'object', required: ['sessionId', 'messageId'], properties: { sessionId: sessionIdSchema, messageId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' } } },
    },
  }, async (request, reply) => {
    const { sessionId, messageId } = request.params;
    const media = await manager.driverOf(sessionId).findMedia(messageId);
    if (!media) throw notFound(`no media for message ${messageId}`);
    const limit = config.mediaDownloadMaxBytes;
    if (media.length !== undefined && media.length > limit) {
      throw tooLarge(`media of message ${messageId} has ${media.length} bytes, more than MEDIA_DOWNLOAD_MAX_BYTES (${limit})`);
    }
    const stream = await media.open().catch((err: unknown) => {
      throw new HttpError(502, `could not download the media of message ${messageId}: ${err instanceof Error ? err.message : String(err)}`);
    });
    void reply.header('content-type', media.mimetype);
    if (media.length !== undefined) void reply.header('content-length', String(media.length));
    if (media.fileName) void reply.header('content-disposition', `attachment; filename="${media.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`);
    return reply.send(capped(stream, media.length ?? limit));
  });
}
