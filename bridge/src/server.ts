/** Builds the Fastify app: body limit, auth (every route but /health and /events), CORS (off unless CORS_ORIGINS), error envelopes, routes. */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { SimulatorDriver } from './drivers/simulator/driver.js';
import { ApiKeyGuard } from './http/auth.js';
import { installErrorHandling } from './http/errors.js';
import { failure } from './http/reply.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import type { Metrics } from './metrics.js';
import { messageRoutes } from './routes/messages.js';
import { metricsRoutes } from './routes/metrics.js';
import { sessionRoutes } from './routes/sessions.js';
import { simulatorRoutes } from './routes/simulator.js';
import type { SessionManager } from './sessions/manager.js';
import type { MessagingService } from './sessions/messaging.js';
import type { EventLog } from './webhooks/event-log.js';
import type { WebhookQueue } from './webhooks/queue.js';

export interface ServerDeps {
  config: Config;
  logger: Logger;
  manager: SessionManager;
  messaging: MessagingService;
  eventLog: EventLog;
  queue: WebhookQueue;
  metrics: Metrics;
  simulator?: SimulatorDriver;
}

const OPEN_ROUTES = new Set(['GET /health', 'GET /events']);

export function buildServer(deps: ServerDeps): FastifyInstance {
  const { config } = deps;
  const requestLogs = config.logLevel === 'debug' || config.logLevel === 'trace';
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: !requestLogs }),
  });
  const guard = new ApiKeyGuard(config.apiKey, config.apiKeyDisabled);
  installErrorHandling(app, { retryAfterS: config.rateLimitRetryAfterS });

  if (config.corsOrigins.length > 0) {
    app.addHook('onRequest', async (request, reply) => {
      const origin = request.headers.origin;
      if (!origin || !(config.corsOrigins.includes(origin) || config.corsOrigins.includes('*'))) return;
      void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
      if (request.method === 'OPTIONS') {
        return reply.code(204).header('access-control-allow-methods', 'GET,POST,DELETE')
          .header('access-control-allow-headers', 'authorization,content-type,x-api-key,idempotency-key').send();
      }
    });
  }

  app.addHook('onRequest', async (request, reply) => {
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    if (OPEN_ROUTES.has(route) || guard.allows(request)) return;
    return reply.code(401).send(failure('unauthorized: a valid API key is required'));
  });

  healthRoutes(app, config.serviceName);
  sessionRoutes(app, deps.manager, deps.messaging);
  messageRoutes(app, deps.manager, deps.messaging, config);
  eventRoutes(app, deps.eventLog, deps.queue, guard);
  metricsRoutes(app, deps.metrics);
  if (deps.simulator) simulatorRoutes(app, deps.manager, deps.simulator);
  return app;
}
