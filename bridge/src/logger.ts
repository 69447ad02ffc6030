import { pino, type Logger } from 'pino';

/** JSON logs on stdout; secrets in headers are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'wa-agents-bridge' },
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
  });
}
