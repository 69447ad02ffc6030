/**
 * The seam between the HTTP layer and WhatsApp. Handlers only ever see these types; the Baileys
 * driver and the simulator both implement them.
 */

export type MediaType = 'image' | 'video' | 'audio' | 'document';
export type MessageType = 'text' | MediaType | 'location' | 'contact';
export type PresenceState = 'composing' | 'paused' | 'available';
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface MediaPayload {
  data: Buffer;
  mimetype?: string;
}

export type OutboundMessage =
  | { type: 'text'; text: string }
  | { type: MediaType; media: MediaPayload; caption?: string; fileName?: string }
  | { type: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { type: 'contact'; contactName: string; contactNumber: string };

export interface SentMessage {
  messageId: string;
  /** milliseconds since the epoch */
  timestamp: number;
  /** the full WhatsApp key, used for a stable webhook id */
  remoteJid: string;
}

/** `data` of a message.received webhook (contract: core fields plus our extensions). */
export interface InboundMessage {
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
}

export interface DisconnectInfo {
  statusCode?: number;
  reason: string;
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
  | { kind: 'message-status'; messageId: string; remoteJid: string; status: DeliveryStatus };

export type DriverListener = (event: DriverEvent) => void;

export interface DownloadedMedia {
  data: Buffer;
  mimetype: string;
  fileName?: string;
}

/** One linked (or linking) WhatsApp account. */
export interface DriverSession {
  sendMessage(to: string, message: OutboundMessage): Promise<SentMessage>;
  sendPresence(to: string, state: PresenceState): Promise<void>;
  markRead(from: string, messageIds: string[], participant?: string): Promise<void>;
  /** undefined when the message is unknown or carries no media */
  downloadMedia(messageId: string): Promise<DownloadedMedia | undefined>;
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
