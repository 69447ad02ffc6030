/** The one place errors become HTTP responses: always `{"status":"error","error":"<text>"}`. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { failure } from './reply.js';

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(failure(`route ${request.method} ${request.url.split('?')[0]} not found`));
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      return reply.code(400).send(failure(err.message));
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply.code(status).send(failure('internal error'));
    }
    return reply.code(status).send(failure(err.message));
  });
}
