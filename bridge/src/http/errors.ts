/**
 * The one place errors become HTTP responses: always `{"status":"error","error":"<text>"}`.
 * A restriction refusal adds `detail`, `waStatusCode` and, for rate limits, `retryAfter`
 * (seconds, also sent as a `Retry-After` header). Errors we raise on purpose keep their text
 * at any status; anything unexpected is logged and answered as "internal error".
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { DriverError } from '../drivers/driver.js';
import { RestrictionError } from '../drivers/restrictions.js';
import { HttpError } from '../errors.js';
import { failure } from './reply.js';

export function installErrorHandling(app: FastifyInstance, options: { retryAfterS: number }): void {
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(failure(`route ${request.method} ${request.url.split('?')[0]} not found`));
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      return reply.code(400).send(failure(err.message));
    }
    if ((err as unknown) instanceof RestrictionError) {
      const { restriction } = err as unknown as RestrictionError;
      const retryAfter = restriction.reason === 'rate-limited' ? options.retryAfterS : undefined;
      if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
      return reply.code(err.statusCode as number).send({
        ...failure(restriction.reason), detail: restriction.detail,
        ...(restriction.statusCode !== undefined ? { waStatusCode: restriction.statusCode } : {}),
        ...(retryAfter !== undefined ? { retryAfter } : {}),
      });
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const ours = (err as unknown) instanceof DriverError || (err as unknown) instanceof HttpError;
    if (status >= 500) request.log.error({ err }, 'request failed');
    return reply.code(status).send(failure(status < 500 || ours ? err.message : 'internal error'));
  });
}
