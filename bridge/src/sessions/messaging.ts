/**
 * Sending: recipient normalisation, Idempotency-Key handling, the send journal and the
 * message.sent webhook.
 *
 * Every send's WhatsApp id is chosen first and written (fsynced) to the send journal before the
 * driver sends, together with its Idempotency-Key, so that (1) WhatsApp echoing our own message
 * back is never taken for the owner typing, and (2) a repeat of the key after a crash between
 * "WhatsApp took it" and "the result was written" sends again with the same WhatsApp id instead
 * of a new one. The result is written before it is answered.
 */
import type { OutboundMessage } from '../drivers/driver.js';
import { badRequest } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { SendJournal } from '../store/send-journal.js';
import { sentEvent } from './events.js';
import type { SessionManager } from './manager.js';
import type { SessionRecord } from './record.js';

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
  /** keyed sends in progress: a concurrent repeat waits for the first */
  private readonly inflight = new Map<string, Promise<SendResult>>();

  constructor(private readonly manager: SessionManager, private readonly journal: SendJournal<SendResult>, private readonly metrics: Metrics) {}

  /** Forgets the session's sends (its folder is being removed). */
  forget(sessionId: string): Promise<void> { return this.journal.forget(sessionId); }

  async send(sessionId: string, to: string, message: OutboundMessage, idempotencyKey?: string): Promise<SendResult> {
    const record = this.manager.record(sessionId);
    const jid = normaliseRecipient(to);
    if (!idempotencyKey) return this.deliver(record, jid, message);
    const flight = `${sessionId}\u0000${idempotencyKey}`;
    const running = this.inflight.get(flight);
    if (running) return running;
    const promise = this.sendOnce(record, jid, message, idempotencyKey);
    this.inflight.set(flight, promise);
    try {
      return await promise;
    } finally {
      this.inflight.delete(flight);
    }
  }

  private async sendOnce(record: SessionRecord, jid: string, message: OutboundMessage, key: string): Promise<SendResult> {
    const state = await this.journal.keyState(record.id, key);
    if (state?.result) return state.result;
    return this.deliver(record, jid, message, key, state?.messageId);
  }

  private async deliver(record: SessionRecord, jid: string, message: OutboundMessage, key?: string, knownId?: string): Promise<SendResult> {
    const driver = this.manager.sender(record.id);
    const messageId = knownId ?? driver.newMessageId();
    await this.journal.begin(record.id, messageId, key);
    const sent = await driver.sendMessage(jid, message, { messageId });
    const result: SendResult = { messageId: sent.messageId, timestamp: sent.timestamp, status: 'sent' };
    if (key !== undefined) await this.journal.finish(record.id, key, result);
    this.metrics.messages.inc({ direction: 'outbound' });
    await this.manager.publish(record, sentEvent(record.id, jid, sent));
    return result;
  }
}
