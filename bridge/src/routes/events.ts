/** GET /events: recent webhook deliveries and failures. Open without a key, but bodies only with one. */
import type { FastifyInstance } from 'fastify';
import type { ApiKeyGuard } from '../http/auth.js';
import { failure, success } from '../http/reply.js';
import { sessionIdSchema } from '../http/schemas.js';
import type { EventLog } from '../webhooks/event-log.js';
import type { WebhookQueue } from '../webhooks/queue.js';

interface EventsQuery { limit: number; sessionId?: string; contents: boolean }

export function eventRoutes(app: FastifyInstance, log: EventLog, queue: WebhookQueue, guard: ApiKeyGuard): void {
  app.get<{ Querystring: EventsQuery }>('/events', {
    schema: {
      querystring: {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          sessionId: sessionIdSchema,
          contents: { type: 'boolean', default: false },
        },
      },
    },
  }, async (request, reply) => {
    const { limit, sessionId, contents } = request.query;
    if (contents && !guard.allows(request)) return reply.code(401).send(failure('contents require the API key'));
    const pending = Object.fromEntries(queue.sessionsWithPending().map((id) => [id, queue.size(id)]));
    const deliveries = log.list({ limit, withContents: contents, ...(sessionId ? { sessionId } : {}) });
    return success({ pending, deliveries });
  });
}
