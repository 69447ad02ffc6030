/** GET /metrics: Prometheus text format. Behind the API key here; METRICS_PORT adds an open listener. */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.js';

export function metricsRoutes(app: FastifyInstance, metrics: Metrics): void {
  app.get('/metrics', async (_request, reply) => reply.header('content-type', metrics.contentType).send(await metrics.render()));
}

/** A listener serving only GET /metrics, without authentication (for a port only the scraper can reach). */
export function metricsServer(metrics: Metrics): FastifyInstance {
  const app = Fastify({ logger: false });
  metricsRoutes(app, metrics);
  return app;
}
