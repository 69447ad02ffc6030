/** The Baileys implementation of WhatsAppDriver: one BaileysConnection per session plus message plumbing. */
import { downloadMediaMessage, getContentType, normalizeMessageContent, type proto, type WASocket } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import type { Backoff } from '../../backoff.js';
import {
  DriverError,
  type DownloadedMedia, DriverSession, OpenOptions, OutboundMessage, PresenceState, SentMessage, WhatsAppDriver,
} from '../driver.js';
import { BaileysConnection, type ConnectionSettings } from './connection.js';
import { deliveryStatus, foldedStatus, receiptStatus, toInbound } from './inbound.js';
import { toContent } from './outbound.js';

export interface BaileysDriverOptions {
  logger: Logger;
  backoff: Backoff;
  connectTimeoutMs: number;
  waWebSocketUrl?: string;
  socketOverrides?: ConnectionSettings['socketOverrides'];
}

class BaileysSession implements DriverSession {
  readonly connection: BaileysConnection;

  constructor(private readonly opts: OpenOptions, settings: ConnectionSettings) {
    this.connection = new BaileysConnection(opts, settings, (sock) => this.wire(sock));
    void this.connection.connect();
  }

  /** Message events of a fresh socket. */
  private wire(sock: WASocket): void {
    sock.ev.on('messages.upsert', ({ messages, type }) => {
      for (const msg of messages) {
        const folded = foldedStatus(msg);
        if (folded && msg.key.id && msg.key.remoteJid) {
          this.opts.listener({ kind: 'message-status', messageId: msg.key.id, remoteJid: msg.key.remoteJid, status: folded });
        }
        if (type !== 'notify') continue;
        const inbound = toInbound(msg, sock.user?.id ?? '');
        if (!inbound) continue;
        if (inbound.hasMedia) this.connection.store.remember(msg);
        this.opts.listener({ kind: 'message', message: inbound });
      }
    });
    // in groups WhatsApp reports receipts per participant
    sock.ev.on('message-receipt.update', (receipts) => {
      for (const { key, receipt } of receipts) {
        const status = receiptStatus(receipt);
        if (!key.fromMe || !key.id || !key.remoteJid || !status) continue;
        this.opts.listener({ kind: 'message-status', messageId: key.id, remoteJid: key.remoteJid, status });
      }
    });
    sock.ev.on('messages.update', (updates) => {
      for (const { key, update } of updates) {
        const status = deliveryStatus(update.status);
        if (!key.fromMe || !key.id || !key.remoteJid || !status) continue;
        this.opts.listener({ kind: 'message-status', messageId: key.id, remoteJid: key.remoteJid, status });
      }
    });
  }

  async sendMessage(to: string, message: OutboundMessage): Promise<SentMessage> {
    const sock = this.connection.requireOpen();
    const sent = await sock.sendMessage(to, toContent(message)).catch((err: unknown) => {
      throw new DriverError(`WhatsApp did not take the message: ${err instanceof Error ? err.message : String(err)}`, 502);
    });
    if (!sent?.key.id) throw new Error('WhatsApp did not return a message id');
    this.connection.store.remember(sent);
    const ts = Number(sent.messageTimestamp ?? 0);
    return { messageId: sent.key.id, timestamp: ts > 0 ? ts * 1000 : Date.now(), remoteJid: sent.key.remoteJid ?? to };
  }

  async sendPresence(to: string, state: PresenceState): Promise<void> {
    await this.connection.requireOpen().sendPresenceUpdate(state, state === 'available' ? undefined : to);
  }

  async markRead(from: string, messageIds: string[], participant?: string): Promise<void> {
    await this.connection.requireOpen().readMessages(messageIds.map((id) => ({ remoteJid: from, id, fromMe: false, ...(participant ? { participant } : {}) })));
  }

  async downloadMedia(messageId: string): Promise<DownloadedMedia | undefined> {
    const msg = this.connection.store.find(messageId);
    const content = normalizeMessageContent(msg?.message);
    const kind = getContentType(content);
    if (!msg || !content || !kind) return undefined;
    const media = content[kind] as proto.Message.IDocumentMessage | undefined;
    if (!media || typeof media !== 'object' || !('mediaKey' in media)) return undefined;
    const sock = this.connection.requireOpen();
    const data = await downloadMediaMessage(msg, 'buffer', {}, { logger: sock.logger, reuploadRequest: sock.updateMediaMessage });
    return { data, mimetype: media.mimetype ?? 'application/octet-stream', ...(media.fileName ? { fileName: media.fileName } : {}) };
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
    const { logger, ...rest } = this.options;
    return new BaileysSession(opts, { ...rest, logger: logger.child({ sessionId: opts.sessionId }) });
  }
}
