/** Turns driver events into contract webhooks (event type, data, stable webhook id). */
import { randomUUID } from 'node:crypto';
import type { DisconnectInfo, DriverEvent, SentMessage } from '../drivers/driver.js';
import type { Restriction } from '../drivers/restrictions.js';
import type { SessionStatus } from '../store/metadata.js';
import { stableWebhookId } from '../webhooks/signer.js';

export interface OutgoingEvent {
  eventType: string;
  data: unknown;
  webhookId: string;
}

const eventId = (): string => `evt_${randomUUID()}`;

/** `reason` is a token (close-policy.ts, restrictions.ts); `detail` is free text. */
export function statusEvent(status: SessionStatus, info?: DisconnectInfo | Restriction): OutgoingEvent {
  const data = {
    status,
    ...(info?.statusCode !== undefined ? { statusCode: info.statusCode } : {}),
    ...(info ? { reason: info.reason, detail: info.detail } : {}),
    ...(info && 'messageId' in info && info.messageId ? { messageId: info.messageId } : {}),
  };
  return { eventType: 'session.status', data, webhookId: eventId() };
}

export function disconnectedEvent(info: DisconnectInfo): OutgoingEvent {
  const reason = {
    message: info.detail,
    statusCode: info.statusCode,
    shouldReconnect: info.willReconnect,
    loggedOut: info.loggedOut,
    error: { output: { statusCode: info.statusCode } },
  };
  return { eventType: 'session.disconnected', data: { reason }, webhookId: eventId() };
}

export function qrEvent(qrCode: string, qrExpiresAt: string): OutgoingEvent {
  return { eventType: 'session.qr', data: { qrCode, qrExpiresAt }, webhookId: eventId() };
}

export function connectedEvent(phoneNumber: string, name: string | undefined): OutgoingEvent {
  return { eventType: 'session.connected', data: { phoneNumber, name: name ?? '' }, webhookId: eventId() };
}

export function sentEvent(sessionId: string, to: string, sent: SentMessage): OutgoingEvent {
  return {
    eventType: 'message.sent',
    data: { messageId: sent.messageId, to, timestamp: sent.timestamp },
    webhookId: stableWebhookId('msg', sessionId, sent.remoteJid, 'out', sent.messageId),
  };
}

/** Message events whose webhook id derives from the WhatsApp message key. */
export function messageEvent(sessionId: string, event: Extract<DriverEvent, { kind: 'message' | 'message-status' }>): OutgoingEvent {
  if (event.kind === 'message') {
    const m = event.message;
    return {
      eventType: 'message.received',
      data: m,
      webhookId: stableWebhookId('msg', sessionId, m.from, m.participant ?? '', m.fromMe ? 'own' : 'in', m.messageId),
    };
  }
  return {
    eventType: 'message.status',
    data: { messageId: event.messageId, status: event.status, ...(event.error ? { error: event.error } : {}) },
    webhookId: stableWebhookId('status', sessionId, event.remoteJid, event.messageId, event.status),
  };
}
