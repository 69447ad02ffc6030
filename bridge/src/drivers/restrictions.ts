/**
 * Restriction-like refusals: WhatsApp rate-limits the number, restricts it (it may not start new
 * chats: error 463 on a message), or has banned it. They are reported distinctly so the backend's
 * send governor can pause the number: a send answers 429/403 with the reason as `error`, and a
 * `session.status` webhook carries the same `reason`.
 */
import { DriverError } from './driver.js';

export type RestrictionReason = 'rate-limited' | 'restricted' | 'banned';

export interface Restriction {
  reason: RestrictionReason;
  /** WhatsApp's code: 429, 463, 403… */
  statusCode?: number;
  detail: string;
  /** the refused message, when one was refused */
  messageId?: string;
}

/** Error codes WhatsApp puts in a message's negative ack that mean the number is restricted. */
const RESTRICTED_ACK_CODES = new Set(['463']);

export function ackRestriction(code: string, messageId: string): Restriction | undefined {
  if (RESTRICTED_ACK_CODES.has(code)) {
    return { reason: 'restricted', statusCode: Number(code), messageId, detail: `WhatsApp refused the message with error ${code}: the number is restricted` };
  }
  if (code === '429') return { reason: 'rate-limited', statusCode: 429, messageId, detail: 'WhatsApp refused the message: rate limit reached' };
  return undefined;
}

/** A query error (Baileys throws them as Boom errors) that means "rate limit reached". */
export function queryRestriction(err: unknown): Restriction | undefined {
  const e = err as { message?: unknown; data?: unknown; output?: { statusCode?: number } } | null;
  const text = typeof e?.message === 'string' ? e.message : '';
  if (e?.data === 429 || e?.output?.statusCode === 429 || /rate-overlimit/i.test(text)) {
    return { reason: 'rate-limited', statusCode: 429, detail: `WhatsApp refused the send: ${text || 'rate-overlimit'}` };
  }
  return undefined;
}

/** A send refused for a restriction: 429 for rate limits, 403 otherwise. */
export class RestrictionError extends DriverError {
  constructor(readonly restriction: Restriction) {
    super(restriction.reason, restriction.reason === 'rate-limited' ? 429 : 403);
  }
}
