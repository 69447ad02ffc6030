/**
 * The seam between the HTTP layer and WhatsApp. Handlers only ever see these types; the Baileys
 * driver and the simulator both implement them.
 */

import type { Readable } from 'node:stream';
import type { CloseReason } from './close-policy.js';
import type { Restriction } from './restrictions.js';

export type MediaType = 'image' | 'video' | 'audio' | 'document';
/** Kinds reported in message.received; media kinds can be fetched with GET /sessions/{id}/media/{messageId}. */
export type InboundMediaType = MediaType | 'sticker';
export type MessageType = 'text' | InboundMediaType | 'location' | 'contact' | 'reaction';
export type PresenceState = 'composing' | 'paused' | 'available';
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface MediaPayload {
  data: Buffer;
  mimetype?: string;
}

export type OutboundMessage =
  | { type: 'text'; text: string }
  | { type: MediaType; media: MediaPayload; caption?: string; fileName?: string; ptt?: boolean }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'contact'; contactName: string; contactNumber: string };

export interface SendOptions {
  /** the WhatsApp message id to use (chosen before the send, so it is known before WhatsApp echoes it) */
  messageId: string;
}

export interface SentMessage {
  messageId: string;
  /** milliseconds since the epoch */
  timestamp: number;
  /** the full WhatsApp key, used for a stable webhook id */
  remoteJid: string;
}

/** `data` of a message.received webhook (contract: core fields plus our extensions). */
export interface InboundMessage {
  /** the chat: the contact's JID, or the group's */
  from: string;
  to: string;
  messageId: string;
  timestamp: number;
  isGroup: boolean;
  groupId?: string;
  participant?: string;
  pushName?: string;
  quotedMessageId?: string;
  type?: MessageType;
  text?: string;
  caption?: string;
  hasMedia?: boolean;
  fileName?: string;
  mimetype?: string;
  fileLength?: number;
  media?: { mediaId: string };
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  contact?: { name: string; number: string };
  /** every card of a multi-contact message (the first is also `contact`) */
  contacts?: { name: string; number: string }[];
  /** a reaction to message `messageId`; an empty emoji removes the reaction */
  reaction?: { emoji: string; messageId: string };
  /** audio recorded as a voice note */
  ptt?: boolean;
  /** duration of audio and video, in seconds */
  seconds?: number;
  /** the account's owner wrote it (on the phone or another linked device), not a contact */
  fromMe?: boolean;
  /** the sender's other JID form (the phone JID of an `@lid` sender, or the reverse); see addressing.ts */
  senderAlt?: string;
  /** the sender's phone JID, when both forms are known */
  senderPn?: string;
  /** the sender's `@lid` JID, when both forms are known */
  senderLid?: string;
}

export interface DisconnectInfo {
  statusCode?: number;
  /** classified reason (see close-policy.ts) */
  reason: CloseReason;
  /** WhatsApp's or the network's own words */
  detail: string;
  /** the driver will try again by itself */
  willReconnect: boolean;
  /** the device was unlinked; credentials are gone */
  loggedOut: boolean;
}

export type DriverEvent =
  | { kind: 'connecting' }
  | { kind: 'qr'; qr: string; expiresAt: Date }
  | { kind: 'connected'; jid: string; phoneNumber: string; name?: string }
  | { kind: 'disconnected'; info: DisconnectInfo }
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'message-status'; messageId: string; remoteJid: string; status: DeliveryStatus; error?: string }
  | { kind: 'restriction'; restriction: Restriction };

export type DriverListener = (event: DriverEvent) => void;

/** An inbound media file, described before its bytes are fetched. */
export interface MediaHandle {
  mimetype: string;
  fileName?: string;
  /** size in bytes when known (WhatsApp's declared size for Baileys) */
  length?: number;
  /** the bytes, streamed (Baileys downloads and decrypts them while they are read) */
  open(): Promise<Readable>;
}

/** One linked (or linking) WhatsApp account. */
export interface DriverSession {
  /** A fresh WhatsApp message id for `sendMessage`. */
  newMessageId(): string;
  /** Throws RestrictionError when WhatsApp refuses it for a restriction, DriverError otherwise. */
  sendMessage(to: string, message: OutboundMessage, options: SendOptions): Promise<SentMessage>;
  sendPresence(to: string, state: PresenceState): Promise<void>;
  markRead(from: string, messageIds: string[], participant?: string): Promise<void>;
  /** undefined when the message is unknown or carries no media */
  findMedia(messageId: string): Promise<MediaHandle | undefined>;
  requestPairingCode(phoneNumber: string): Promise<string>;
  /** Drops the current connection (if any) and connects again at once. */
  reconnect(): Promise<void>;
  /** A fresh QR when the current one has expired, if the driver can make one. */
  refreshQr(): Promise<void>;
  /** Unlinks the device and clears credentials. */
  logout(): Promise<void>;
  /** Closes the connection, keeping credentials (shutdown). */
  close(): Promise<void>;
}

export interface OpenOptions {
  sessionId: string;
  /** folder for this session's credentials (created by the driver) */
  authDir: string;
  /** this session's own folder, for whatever else the driver keeps on disk */
  dataDir: string;
  listener: DriverListener;
}

export interface WhatsAppDriver {
  readonly name: string;
  open(options: OpenOptions): DriverSession;
}

export class DriverError extends Error {
  constructor(message: string, readonly statusCode = 409) {
    super(message);
  }
}
