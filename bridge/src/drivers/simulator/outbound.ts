/** What the simulator keeps of the messages a session sends, and how it refuses them when told to. */
import { createHash } from 'node:crypto';
import type { OutboundMessage, SentMessage } from '../driver.js';
import type { Restriction, RestrictionReason } from '../restrictions.js';

export interface OutboxEntry extends SentMessage {
  to: string;
  message: Omit<OutboundMessage, 'media'> & { mediaBytes?: number; mimetype?: string; mediaSha256?: string };
}

/** What the outbox shows of a sent message: media as its size, type and SHA-256, not its bytes. */
export function outboxView(message: OutboundMessage): OutboxEntry['message'] {
  if (!('media' in message)) return message;
  const { media, ...rest } = message;
  return {
    ...rest, mediaBytes: media.data.length, mediaSha256: createHash('sha256').update(media.data).digest('hex'),
    ...(media.mimetype ? { mimetype: media.mimetype } : {}),
  };
}

const REFUSALS: Record<RestrictionReason, Omit<Restriction, 'messageId'>> = {
  'rate-limited': { reason: 'rate-limited', statusCode: 429, detail: 'WhatsApp refused the send: rate-overlimit (simulated)' },
  restricted: { reason: 'restricted', statusCode: 463, detail: 'WhatsApp refused the message with error 463: the number is restricted (simulated)' },
  banned: { reason: 'banned', statusCode: 403, detail: 'the number is banned (simulated)' },
};

/** The restriction a real WhatsApp would report for this kind of refusal. */
export function simulatedRefusal(reason: RestrictionReason, messageId: string): Restriction {
  return { ...REFUSALS[reason], messageId };
}
