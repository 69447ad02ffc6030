/** Sending: recipient normalisation, Idempotency-Key handling and the message.sent webhook. */
import type { OutboundMessage, SentMessage } from '../drivers/driver.js';
import { badRequest } from '../errors.js';
import type { IdempotencyStore } from '../store/idempotency.js';
import { sentEvent } from './events.js';
import type { SessionManager } from './manager.js';

export interface SendResult {
  messageId: string;
  timestamp: number;
  status: 'sent';
}

const JID_RE = /^(\d{5,20}(:\d{1,3})?@(s\.whatsapp\.net|lid)|[\d-]{5,40}@g\.us|\d{5,25}@lid)$/;

/** Digits (an optional leading +, spaces and dashes ignored) become a user JID; group and @lid JIDs pass as they are. */
export function normaliseRecipient(to: string): string {
  const trimmed = to.trim();
  if (trimmed.includes('@')) {
    if (!JID_RE.test(trimmed)) throw badRequest(`invalid recipient JID: ${trimmed}`);
    return trimmed;
  }
  const digits = trimmed.replace(/^\+/, '').replace(/[\s-]/g, '');
  if (!/^\d{5,20}$/.test(digits)) throw badRequest('to must be a phone number (digits) or a JID');
  return `${digits}@s.whatsapp.net`;
}

export class MessagingService {
  constructor(private readonly manager: SessionManager, private readonly idempotency: IdempotencyStore<SendResult>) {}

  /** Forgets the session's idempotency keys (its folder is being removed). */
  forget(sessionId: string): Promise<void> { return this.idempotency.forget(sessionId); }

  async send(sessionId: string, to: string, message: OutboundMessage, idempotencyKey?: string): Promise<SendResult> {
    const record = this.manager.record(sessionId);
    const jid = normaliseRecipient(to);
    const doSend = async (): Promise<SendResult> => {
      const sent: SentMessage = await this.manager.driverOf(sessionId).sendMessage(jid, message);
      await this.manager.publish(record, sentEvent(sessionId, jid, sent));
      return { messageId: sent.messageId, timestamp: sent.timestamp, status: 'sent' };
    };
    if (!idempotencyKey) return doSend();
    return (await this.idempotency.run(sessionId, idempotencyKey, doSend)).result;
  }
}
