/**
 * An in-process fake WhatsApp (BRIDGE_DRIVER=simulator). Sessions get a QR, are linked by a
 * "scan", receive messages injected over HTTP and keep what they send in an outbox.
 * Linked state is kept in the session's auth folder, so a restart reconnects without a scan.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from '../store/atomic.js';
import {
  DriverError,
  type DeliveryStatus,
  type DownloadedMedia,
  type DriverListener,
  type DriverSession,
  type InboundMessage,
  type OpenOptions,
  type OutboundMessage,
  type PresenceState,
  type SentMessage,
  type WhatsAppDriver,
} from './driver.js';

const OUTBOX_LIMIT = 1000;
const MEDIA_LIMIT = 100;

export interface SimulatedInbound {
  from: string;
  text?: string;
  type?: 'text' | 'image' | 'video' | 'audio' | 'document';
  mediaBase64?: string;
  mimetype?: string;
  fileName?: string;
  caption?: string;
  pushName?: string;
  messageId?: string;
}

export interface OutboxEntry extends SentMessage {
  to: string;
  message: Omit<OutboundMessage, 'media'> & { mediaBytes?: number; mimetype?: string };
}

interface SimCreds { phoneNumber: string; name: string }

export class SimulatorSession implements DriverSession {
  readonly outbox: OutboxEntry[] = [];
  readonly presence: { to: string; state: PresenceState; at: number }[] = [];
  readonly reads: { from: string; messageIds: string[]; at: number }[] = [];
  private readonly media = new Map<string, DownloadedMedia>();
  private creds: SimCreds | undefined;
  private closed = false;
  status: 'connecting' | 'qr_waiting' | 'connected' | 'disconnected' | 'logged_out' = 'connecting';

  constructor(private readonly opts: OpenOptions, private readonly qrTtlMs: number) {
    setImmediate(() => void this.connect());
  }

  private get credsPath(): string { return join(this.opts.authDir, 'sim-creds.json'); }
  private emit: DriverListener = (event) => { if (!this.closed) this.opts.listener(event); };

  private async connect(): Promise<void> {
    this.status = 'connecting';
    this.emit({ kind: 'connecting' });
    this.creds = await readJson<SimCreds>(this.credsPath);
    if (this.creds) this.goOnline();
    else this.issueQr();
  }

  private issueQr(): void {
    this.status = 'qr_waiting';
    const qr = `sim-qr:${this.opts.sessionId}:${randomBytes(12).toString('base64url')}`;
    this.emit({ kind: 'qr', qr, expiresAt: new Date(Date.now() + this.qrTtlMs) });
  }

  private goOnline(): void {
    const creds = this.creds as SimCreds;
    this.status = 'connected';
    this.emit({ kind: 'connected', jid: `${creds.phoneNumber}:1@s.whatsapp.net`, phoneNumber: creds.phoneNumber, name: creds.name });
  }

  private requireConnected(): SimCreds {
    if (this.status !== 'connected' || !this.creds) throw new DriverError('session is not connected');
    return this.creds;
  }

  /** The phone "scans" the QR (or enters the pairing code). */
  async scan(phoneNumber?: string, name?: string): Promise<void> {
    if (this.status !== 'qr_waiting') throw new DriverError(`cannot scan: session is ${this.status}`);
    this.creds = { phoneNumber: phoneNumber ?? `5511${randomInt(10_000_000, 99_999_999)}`, name: name ?? 'Simulated' };
    await writeJsonAtomic(this.credsPath, this.creds);
    this.goOnline();
  }

  inbound(input: SimulatedInbound): InboundMessage {
    const creds = this.requireConnected();
    const from = input.from.includes('@') ? input.from : `${input.from.replace(/^\+/, '')}@s.whatsapp.net`;
    const isGroup = from.endsWith('@g.us');
    const messageId = input.messageId ?? `SIM${randomBytes(8).toString('hex').toUpperCase()}`;
    const message: InboundMessage = {
      from, to: `${creds.phoneNumber}:1@s.whatsapp.net`, messageId, timestamp: Date.now(), isGroup,
      ...(isGroup ? { groupId: from } : {}),
      ...(input.pushName ? { pushName: input.pushName } : {}),
    };
    const type = input.type ?? 'text';
    if (type === 'text') Object.assign(message, { type, text: input.text ?? '' });
    else {
      const data = Buffer.from(input.mediaBase64 ?? '', 'base64');
      const mimetype = input.mimetype ?? 'application/octet-stream';
      if (this.media.size >= MEDIA_LIMIT) this.media.delete(this.media.keys().next().value as string);
      this.media.set(messageId, { data, mimetype, ...(input.fileName ? { fileName: input.fileName } : {}) });
      Object.assign(message, {
        type, hasMedia: true, mimetype, fileLength: data.length, media: { mediaId: messageId },
        ...(input.caption ? { caption: input.caption } : {}), ...(input.fileName ? { fileName: input.fileName } : {}),
      });
    }
    this.emit({ kind: 'message', message });
    return message;
  }

  setStatus(messageId: string, status: DeliveryStatus): void {
    const sent = this.outbox.find((m) => m.messageId === messageId);
    if (!sent) throw new DriverError('unknown message', 404);
    this.emit({ kind: 'message-status', messageId, remoteJid: sent.remoteJid, status });
  }

  /** Simulates the server closing the connection with a WhatsApp status code. */
  async drop(statusCode: number): Promise<void> {
    const loggedOut = statusCode === 401;
    if (loggedOut) await this.clearCreds();
    this.status = loggedOut ? 'logged_out' : 'disconnected';
    this.emit({ kind: 'disconnected', info: { statusCode, reason: loggedOut ? 'logged out' : 'connection closed', willReconnect: !loggedOut, loggedOut } });
    if (!loggedOut) setImmediate(() => void this.connect());
  }

  async sendMessage(to: string, message: OutboundMessage): Promise<SentMessage> {
    this.requireConnected();
    const sent: SentMessage = { messageId: `3EB0${randomBytes(8).toString('hex').toUpperCase()}`, timestamp: Date.now(), remoteJid: to };
    const { media, ...rest } = message as OutboundMessage & { media?: { data: Buffer; mimetype?: string } };
    const stored = media ? { ...rest, mediaBytes: media.data.length, ...(media.mimetype ? { mimetype: media.mimetype } : {}) } : rest;
    this.outbox.push({ ...sent, to, message: stored as OutboxEntry['message'] });
    if (this.outbox.length > OUTBOX_LIMIT) this.outbox.shift();
    setImmediate(() => this.emit({ kind: 'message-status', messageId: sent.messageId, remoteJid: to, status: 'sent' }));
    return sent;
  }

  async sendPresence(to: string, state: PresenceState): Promise<void> {
    this.requireConnected();
    this.presence.push({ to, state, at: Date.now() });
  }

  async markRead(from: string, messageIds: string[]): Promise<void> {
    this.requireConnected();
    this.reads.push({ from, messageIds, at: Date.now() });
  }

  async downloadMedia(messageId: string): Promise<DownloadedMedia | undefined> {
    return this.media.get(messageId);
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    if (this.status !== 'qr_waiting') throw new DriverError(`cannot pair: session is ${this.status}`);
    void phoneNumber;
    return randomBytes(4).toString('hex').toUpperCase();
  }

  async reconnect(): Promise<void> { await this.connect(); }

  async refreshQr(): Promise<void> { if (this.status === 'qr_waiting') this.issueQr(); }

  async logout(): Promise<void> {
    await this.clearCreds();
    this.status = 'logged_out';
    this.emit({ kind: 'disconnected', info: { statusCode: 401, reason: 'logged out', willReconnect: false, loggedOut: true } });
  }

  async close(): Promise<void> { this.closed = true; }

  private async clearCreds(): Promise<void> {
    this.creds = undefined;
    await rm(this.credsPath, { force: true });
  }
}

export class SimulatorDriver implements WhatsAppDriver {
  readonly name = 'simulator';
  private readonly sessions = new Map<string, SimulatorSession>();

  constructor(private readonly qrTtlMs = 60_000) {}

  open(options: OpenOptions): SimulatorSession {
    const session = new SimulatorSession(options, this.qrTtlMs);
    this.sessions.set(options.sessionId, session);
    return session;
  }

  session(id: string): SimulatorSession | undefined { return this.sessions.get(id); }
}
