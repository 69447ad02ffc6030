/** The Baileys implementation of WhatsAppDriver: one BaileysConnection per session plus message plumbing. */
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { downloadMediaMessage, generateMessageIDV2, type WAMessage, type WASocket } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import type { Backoff } from '../../backoff.js';
import {
  DriverError,
  type DeliveryStatus, type DriverEvent, type DriverSession, type MediaHandle, type OpenOptions, type OutboundMessage, type PresenceState,
  type SendOptions, type SentMessage, type WhatsAppDriver,
} from '../driver.js';
import { ackRestriction, queryRestriction, RestrictionError, type Restriction } from '../restrictions.js';
import { AckWaiter } from './acks.js';
import { BoundedMap } from './caches.js';
import { BaileysConnection, type ConnectionSettings } from './connection.js';
import { deliveryStatus, foldedStatus, mediaContent, receiptStatus, toInbound, toNumber } from './inbound.js';
import { MediaIndex } from './media-index.js';
import { toContent } from './outbound.js';

export interface BaileysDriverOptions {
  logger: Logger;
  backoff: Backoff;
  connectTimeoutMs: number;
  waWebSocketUrl?: string;
  socketOverrides?: ConnectionSettings['socketOverrides'];
  /** how long a send waits for WhatsApp's server ack (SEND_ACK_TIMEOUT_MS) */
  ackTimeoutMs?: number;
  media?: { retentionMs: number; maxEntries: number };
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

class BaileysSession implements DriverSession {
  readonly connection: BaileysConnection;
  private readonly media: MediaIndex;
  private readonly acks: AckWaiter;
  /** messages whose restriction was already reported by their send */
  private readonly reported = new BoundedMap<true>(1000);
  /** message events go out in order, each after its media reference is on disk */
  private events: Promise<void> = Promise.resolve();

  constructor(private readonly opts: OpenOptions, settings: ConnectionSettings, options: BaileysDriverOptions) {
    this.media = new MediaIndex(join(opts.dataDir, 'media'), options.media ?? { retentionMs: 72 * 3600_000, maxEntries: 5000 });
    this.acks = new AckWaiter(options.ackTimeoutMs ?? 5_000);
    this.connection = new BaileysConnection(opts, settings, (sock) => this.wire(sock));
    void this.media.prune();
    void this.connection.connect();
  }

  /** `before` runs first (a failure there is logged; the event still goes out). */
  private emit(event: DriverEvent, before?: () => Promise<void>): void {
    this.events = this.events.then(async () => {
      await before?.().catch((err: unknown) => this.connection.log.error({ err }, 'saving a media reference failed'));
      this.opts.listener(event);
    });
  }

  /** Message events of a fresh socket. */
  private wire(sock: WASocket): void {
    sock.ws.on('CB:ack,class:message', this.acks.onAck);
    // both kinds of upsert: 'notify' (live) and 'append' (offline messages, and our own sends, which the manager drops)
    sock.ev.on('messages.upsert', ({ messages }) => {
      for (const msg of messages) {
        const folded = foldedStatus(msg);
        if (folded && msg.key.id && msg.key.remoteJid) this.statusChanged(msg.key.id, msg.key.remoteJid, folded, msg.messageStubParameters);
        const inbound = toInbound(msg, sock.user?.id ?? '', sock.user?.lid);
        if (inbound) this.emit({ kind: 'message', message: inbound }, inbound.hasMedia ? () => this.media.save(msg) : undefined);
      }
    });
    // in groups WhatsApp reports receipts per participant
    sock.ev.on('message-receipt.update', (receipts) => {
      for (const { key, receipt } of receipts) {
        const status = receiptStatus(receipt);
        if (!key.fromMe || !key.id || !key.remoteJid || !status) continue;
        this.emit({ kind: 'message-status', messageId: key.id, remoteJid: key.remoteJid, status });
      }
    });
    sock.ev.on('messages.update', (updates) => {
      for (const { key, update } of updates) {
        const status = deliveryStatus(update.status);
        if (key.fromMe && key.id && key.remoteJid && status) this.statusChanged(key.id, key.remoteJid, status, update.messageStubParameters);
      }
    });
  }

  /** A status of one of our messages; a failure carries WhatsApp's error code, which may be a restriction. */
  private statusChanged(messageId: string, remoteJid: string, status: DeliveryStatus, stub: string[] | null | undefined): void {
    const error = status === 'failed' ? stub?.[0] ?? undefined : undefined;
    this.emit({ kind: 'message-status', messageId, remoteJid, status, ...(error ? { error } : {}) });
    const restriction = error ? ackRestriction(error, messageId) : undefined;
    if (restriction && !this.acks.isWaiting(messageId) && !this.reported.get(messageId)) this.emit({ kind: 'restriction', restriction });
  }

  newMessageId(): string { return generateMessageIDV2(this.connection.sock?.user?.id); }

  async sendMessage(to: string, message: OutboundMessage, { messageId }: SendOptions): Promise<SentMessage> {
    const sock = this.connection.requireOpen();
    const ack = this.acks.expect(messageId);
    let sent: WAMessage | undefined;
    try {
      sent = await sock.sendMessage(to, toContent(message), { messageId });
    } catch (err) {
      ack.cancel();
      const restriction = queryRestriction(err);
      if (restriction) this.refuse({ ...restriction, messageId });
      throw new DriverError(`WhatsApp did not take the message: ${errorText(err)}`, 502);
    }
    const error = await ack.result;
    if (error) {
      const restriction = ackRestriction(error, messageId);
      if (restriction) this.refuse(restriction);
      throw new DriverError(`WhatsApp refused the message with error ${error}`, 502);
    }
    if (!sent?.key.id) throw new Error('WhatsApp did not return a message id');
    this.connection.store.remember(sent);
    const ts = toNumber(sent.messageTimestamp) ?? 0;
    return { messageId: sent.key.id, timestamp: ts > 0 ? ts * 1000 : Date.now(), remoteJid: sent.key.remoteJid ?? to };
  }

  /** Reports a restriction (a session.status webhook) and throws it to the caller. */
  private refuse(restriction: Restriction): never {
    if (restriction.messageId) this.reported.set(restriction.messageId, true);
    this.emit({ kind: 'restriction', restriction });
    throw new RestrictionError(restriction);
  }

  async sendPresence(to: string, state: PresenceState): Promise<void> {
    await this.connection.requireOpen().sendPresenceUpdate(state, state === 'available' ? undefined : to);
  }

  async markRead(from: string, messageIds: string[], participant?: string): Promise<void> {
    await this.connection.requireOpen().readMessages(messageIds.map((id) => ({ remoteJid: from, id, fromMe: false, ...(participant ? { participant } : {}) })));
  }

  /** Media are downloaded from WhatsApp's CDN and decrypted while the stream is read (a reupload is asked of the phone if expired). */
  async findMedia(messageId: string): Promise<MediaHandle | undefined> {
    const msg = await this.media.find(messageId);
    const found = mediaContent(msg?.message);
    if (!msg || !found?.media.mediaKey) return undefined;
    const { media } = found;
    const length = toNumber(media.fileLength);
    return {
      mimetype: media.mimetype ?? 'application/octet-stream',
      ...(media.fileName ? { fileName: media.fileName } : {}),
      ...(length !== undefined ? { length } : {}),
      open: async () => {
        const sock = this.connection.isOpen ? this.connection.sock : undefined;
        const ctx = sock ? { logger: sock.logger, reuploadRequest: sock.updateMediaMessage } : undefined;
        return await downloadMediaMessage(msg, 'stream', {}, ctx) as Readable;
      },
    };
  }

  requestPairingCode(phoneNumber: string): Promise<string> { return this.connection.requestPairingCode(phoneNumber); }

  async reconnect(): Promise<void> {
    this.connection.attempts = 0;
    await this.connection.connect();
  }

  async refreshQr(): Promise<void> { await this.reconnect(); }

  logout(): Promise<void> { return this.connection.logout(); }

  async close(): Promise<void> { this.connection.close(); }
}

export class BaileysDriver implements WhatsAppDriver {
  readonly name = 'baileys';

  constructor(private readonly options: BaileysDriverOptions) {}

  open(opts: OpenOptions): DriverSession {
    const { logger, backoff, connectTimeoutMs, waWebSocketUrl, socketOverrides } = this.options;
    const settings: ConnectionSettings = {
      logger: logger.child({ sessionId: opts.sessionId }), backoff, connectTimeoutMs,
      ...(waWebSocketUrl ? { waWebSocketUrl } : {}), ...(socketOverrides ? { socketOverrides } : {}),
    };
    return new BaileysSession(opts, settings, this.options);
  }
}
