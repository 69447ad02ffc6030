/** JSON schemas shared by the routes; every request is validated by Fastify before a handler runs. */
import { SESSION_ID_PATTERN } from '../sessions/ids.js';

export const sessionIdSchema = { type: 'string', pattern: SESSION_ID_PATTERN } as const;

export const sessionParams = {
  type: 'object',
  required: ['sessionId'],
  properties: { sessionId: sessionIdSchema },
} as const;

export interface SessionParams { sessionId: string }

export const nonEmpty = { type: 'string', minLength: 1, maxLength: 4096 } as const;
