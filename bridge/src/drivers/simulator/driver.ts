/**
 * An in-process fake WhatsApp (BRIDGE_DRIVER=simulator). Sessions get a QR, are linked by a
 * "scan", receive messages injected over HTTP and keep what they send in an outbox.
 * Linked state is kept in the session's auth folder, so a restart reconnects without a scan.
 *
 * Like WhatsApp, it echoes every message the session sends back as a `fromMe` message (the
 * bridge must recognise its own sends), and a second send with an id it already delivered is
 * dropped (recipients' phones do that).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from '../../store/atomic.js';
import { closePolicy } from '../close-policy.js';
import {
  DriverError,
  type DeliveryStatus, type DriverListener, type DriverSession, type InboundMessage, type MediaHandle,
  type OpenOptions, type OutboundMessage, type PresenceState, type SendOptions, type SentMessage, type WhatsAppDriver,
} from '../driver.js';
import { RestrictionError, type RestrictionReason } from '../restrictions.js';
import { SimMediaStore, simulatedMessage, userJid, type SimulatedInbound } from './messages.js';
import { outboxView, simulatedRefusal, type OutboxEntry } from './outbound.js';

export type { SimulatedInbound } from './messages.js';
export type { OutboxEntry } from './outbound.js';

const OUTBOX_LIMIT = 1000;

interface SimCreds { phoneNumber: string; name: string }

export class SimulatorSession implements DriverSession {
  readonly outbox: OutboxEntry[] = [];
  readonly presence: { to: string; state: PresenceState; at: number }[] = [];
  readonly reads: { from: string; messageIds: string[]; at: number }[] = [];
  private readonly media = new SimMediaStore();
  private readonly refusals: RestrictionReason[] = [];
  private creds: SimCreds | undefined;
  private closed = false;
  status: 'connecting' | 'qr_waiting' | 'connected' | 'disconnected' | 'logged_out' = 'connecting';

  constructor(private readonly opts: OpenOptions, private readonly qrTtlMs: number) {
    setImmediate(() => void this.connect());
  }

  private get credsPath(): string { return join(this.opts.authDir, 'sim-creds.json'); }
  private emit: DriverListener = (event) => { if (!this.closed) this.opts.listener(event); };
  private get ownJid(): string { return `${this.creds?.phoneNumber ?? ''}:1@s.whatsapp.net`; }

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
    this.emit({ kind: 'connected', jid: this.ownJid, phoneNumber: creds.phoneNumber, name: creds.name });
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

  /** A contact writes to the session. */
  inbound(input: SimulatedInbound): InboundMessage {
    this.requireConnected();
    return this.deliver(simulatedMessage(input, userJid(input.from), this.ownJid, this.media));
  }

  /** The account's owner writes to chat `to` from the phone. */
  owner(input: Omit<SimulatedInbound, 'from'> & { to: string }): InboundMessage {
    this.requireConnected();
    return this.deliver(simulatedMessage({ ...input, from: input.to }, userJid(input.to), this.ownJid, this.media, true));
  }

  private deliver(message: InboundMessage): InboundMessage {
    this.emit({ kind: 'message', message });
    return message;
  }

  setStatus(messageId: string, status: DeliveryStatus): void {
    const sent = this.outbox.find((m) => m.messageId === messageId);
    if (!sent) throw new DriverError('unknown message', 404);
    this.emit({ kind: 'message-status', messageId, remoteJid: sent.remoteJid, status });
  }

  /** The next `count` sends are refused for this reason. */
  refuse(reason: RestrictionReason, count: number): void {
    for (let i = 0; i < count; i++) this.refusals.push(reason);
  }

  /** Simulates the server closing the connection with a WhatsApp status code (close-policy.ts decides what follows). */
  async drop(statusCode: number): Promise<void> {
    const { action, reason } = closePolicy(statusCode);
    const loggedOut = action === 'logged_out';
    if (loggedOut) await this.clearCreds();
    this.status = loggedOut ? 'logged_out' : 'disconnected';
    const willReconnect = action === 'reconnect' || action === 'restart';
    this.emit({ kind: 'disconnected', info: { statusCode, reason, detail: `connection closed with ${statusCode} (simulated)`, willReconnect, loggedOut } });
    if (willReconnect) setImmediate(() => void this.connect());
  }

  newMessageId(): string { return `3EB0${randomBytes(8).toString('hex').toUpperCase()}`; }

  async sendMessage(to: string, message: OutboundMessage, { messageId }: SendOptions): Promise<SentMessage> {
    this.requireConnected();
    const refusal = this.refusals.shift();
    if (refusal) {
      const restriction = simulatedRefusal(refusal, messageId);
      this.emit({ kind: 'restriction', restriction });
      throw new RestrictionError(restriction);
    }
    const delivered = this.outbox.find((m) => m.messageId === messageId);
    if (delivered) return { messageId, timestamp: delivered.timestamp, remoteJid: delivered.remoteJid };
    const sent: SentMessage = { messageId, timestamp: Date.now(), remoteJid: to };
    this.outbox.push({ ...sent, to, message: outboxView(message) });
    if (this.outbox.length > OUTBOX_LIMIT) this.outbox.shift();
    setImmediate(() => {
      this.emit({ kind: 'message-status', messageId, remoteJid: to, status: 'sent' });
      this.emit({ kind: 'message', message: { from: to, to: this.ownJid, messageId, timestamp: sent.timestamp, isGroup: to.endsWith('@g.us'), fromMe: true, type: 'text', text: '(echo of our own send)' } });
    });
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

  async findMedia(messageId: string): Promise<MediaHandle | undefined> { return this.media.find(messageId); }

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
    this.emit({ kind: 'disconnected', info: { statusCode: 401, reason: 'logged-out', detail: 'logged out', willReconnect: false, loggedOut: true } });
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
