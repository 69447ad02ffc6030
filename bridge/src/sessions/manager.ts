/**
 * Owns every session: creation, restore on start, status changes from driver events (persisted,
 * and published as webhooks), and the lifecycle calls of the HTTP API.
 */
import type { Logger } from 'pino';
import QRCode from 'qrcode';
import { DriverError, type DriverEvent, type DriverSession, type WhatsAppDriver } from '../drivers/driver.js';
import { RestrictionError } from '../drivers/restrictions.js';
import { conflict, notFound } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { SessionMeta, SessionMetaStore } from '../store/metadata.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';
import * as events from './events.js';
import { SessionRecord, type SessionView } from './record.js';

export interface ManagerOptions {
  driver: WhatsAppDriver;
  metaStore: SessionMetaStore;
  dispatcher: WebhookDispatcher;
  logger: Logger;
  createTimeoutMs: number;
  metrics: Metrics;
  /** true for a message this bridge sent itself (so a `fromMe` echo of it is not the owner typing) */
  isOwnSend(sessionId: string, messageId: string): Promise<boolean>;
}

const QR_REFRESH_WAIT_MS = 10_000;
const settled = (r: SessionRecord): boolean => ['qr_waiting', 'connected', 'logged_out'].includes(r.meta.status) && !r.qrExpired;

export class SessionManager {
  private readonly records = new Map<string, SessionRecord>();

  constructor(private readonly opts: ManagerOptions) {}

  /** Loads sessions from disk and reconnects them; logged-out ones wait for an explicit reconnect. */
  async restore(): Promise<void> {
    for (const meta of await this.opts.metaStore.loadAll()) {
      const record = new SessionRecord(meta.status === 'logged_out' ? meta : { ...meta, status: 'initializing' });
      this.records.set(meta.id, record);
      if (meta.status !== 'logged_out') this.open(record);
    }
  }

  list(): SessionView[] { return [...this.records.values()].map((r) => r.view()); }

  record(id: string): SessionRecord {
    const record = this.records.get(id);
    if (!record) throw notFound(`session ${id} not found`);
    return record;
  }

  /** The driver session, or 409 when the session has none (logged out and not reconnected). */
  driverOf(id: string): DriverSession {
    const driver = this.record(id).driver;
    if (!driver) throw new DriverError('session is not connected');
    return driver;
  }

  /** The driver session to send with; 403 `banned` while WhatsApp's ban keeps it disconnected. */
  sender(id: string): DriverSession {
    const { meta } = this.record(id);
    if (meta.status !== 'connected' && meta.reason === 'banned') {
      throw new RestrictionError({ reason: 'banned', ...(meta.statusCode !== undefined ? { statusCode: meta.statusCode } : {}), detail: `WhatsApp closed the connection with ${meta.statusCode ?? 'a ban'}: the number is banned or locked` });
    }
    return this.driverOf(id);
  }

  async create(id: string): Promise<SessionView> {
    if (this.records.has(id)) throw conflict(`session ${id} already exists`);
    const record = new SessionRecord({ id, status: 'initializing', createdAt: new Date().toISOString() });
    this.records.set(id, record);
    await this.opts.metaStore.save(record.meta);
    this.open(record);
    await record.waitFor(settled, this.opts.createTimeoutMs);
    return record.view();
  }

  /** The session, with an expired QR refreshed first. */
  async get(id: string): Promise<SessionView> {
    const record = this.record(id);
    if (record.qrExpired && record.driver) {
      await record.driver.refreshQr();
      await record.waitFor(settled, QR_REFRESH_WAIT_MS);
    }
    return record.view();
  }

  async reconnect(id: string): Promise<SessionView> {
    const record = this.record(id);
    const before = record.connects;
    if (record.driver) await record.driver.reconnect();
    else this.open(record);
    await record.waitFor((r) => r.connects > before && settled(r), this.opts.createTimeoutMs);
    return record.view();
  }

  async logout(id: string): Promise<SessionView> {
    const record = this.record(id);
    if (record.driver) await record.driver.logout();
    await record.waitFor((r) => r.meta.status === 'logged_out', 5_000);
    await record.chain;
    return record.view();
  }

  async delete(id: string): Promise<void> {
    const record = this.record(id);
    this.records.delete(id);
    if (record.driver) {
      if (record.meta.status === 'connected') await record.driver.logout().catch((err: unknown) => this.opts.logger.warn({ err, id }, 'logout on delete failed'));
      await record.driver.close();
    }
    await record.chain;
    await this.opts.metaStore.remove(id);
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.records.values()].map(async (r) => { await r.driver?.close(); await r.chain; }));
  }

  /** Publishes an event of this session (also used for message.sent by the messaging service). */
  publish(record: SessionRecord, event: events.OutgoingEvent): Promise<void> {
    return this.opts.dispatcher.publish(
      { sessionId: record.id, origin: record.origin, eventType: event.eventType, timestamp: Date.now(), data: event.data },
      event.webhookId,
    );
  }

  private open(record: SessionRecord): void {
    record.driver = this.opts.driver.open({
      sessionId: record.id,
      authDir: this.opts.metaStore.authDir(record.id),
      dataDir: this.opts.metaStore.sessionDir(record.id),
      listener: (event) => {
        record.chain = record.chain
          .then(() => this.handle(record, event))
          .catch((err: unknown) => this.opts.logger.error({ err, sessionId: record.id, kind: event.kind }, 'driver event failed'));
      },
    });
  }

  private async handle(record: SessionRecord, event: DriverEvent): Promise<void> {
    switch (event.kind) {
      case 'message':
        if (event.message.fromMe && await this.opts.isOwnSend(record.id, event.message.messageId)) return;
        this.opts.metrics.messages.inc({ direction: 'inbound' });
        return this.publish(record, events.messageEvent(record.id, event));
      case 'message-status':
        return this.publish(record, events.messageEvent(record.id, event));
      case 'restriction':
        this.opts.logger.warn({ sessionId: record.id, ...event.restriction }, 'WhatsApp restriction');
        return this.publish(record, events.statusEvent(record.meta.status, event.restriction));
      default:
        return this.onConnection(record, event);
    }
  }

  /** Status changes: persisted, published (several webhooks for some), and waiters woken. The last close's reason lasts until the next attempt. */
  private async onConnection(record: SessionRecord, event: Extract<DriverEvent, { kind: 'connecting' | 'qr' | 'connected' | 'disconnected' }>): Promise<void> {
    const out: events.OutgoingEvent[] = [];
    record.clearQr();
    if (event.kind !== 'disconnected') {
      const { reason: _reason, statusCode: _code, ...meta } = record.meta;
      record.meta = meta;
    }
    if (event.kind === 'connecting') {
      record.connects += 1;
      if (record.connects > 1) this.opts.metrics.reconnects.inc();
      await this.setStatus(record, { status: 'connecting' });
    } else if (event.kind === 'qr') {
      record.qrCode = await QRCode.toDataURL(event.qr);
      record.qrExpiresAt = event.expiresAt;
      await this.setStatus(record, { status: 'qr_waiting' });
      out.push(events.qrEvent(record.qrCode, event.expiresAt.toISOString()));
    } else if (event.kind === 'connected') {
      await this.setStatus(record, { status: 'connected', phoneNumber: event.phoneNumber, connectedAt: new Date().toISOString(), ...(event.name ? { name: event.name } : {}) });
      out.push(events.connectedEvent(event.phoneNumber, event.name));
    } else {
      const { loggedOut, reason, statusCode } = event.info;
      await this.setStatus(record, { status: loggedOut ? 'logged_out' : 'disconnected', reason, statusCode });
      out.push(events.disconnectedEvent(event.info));
    }
    out.push(events.statusEvent(record.meta.status, event.kind === 'disconnected' ? event.info : undefined));
    for (const e of out) await this.publish(record, e);
    record.notify();
  }

  private async setStatus(record: SessionRecord, patch: Partial<SessionMeta>): Promise<void> {
    record.meta = { ...record.meta, ...patch };
    this.opts.logger.info({ sessionId: record.id, status: record.meta.status }, 'session status');
    if (this.records.get(record.id) === record) await this.opts.metaStore.save(record.meta);
  }
}
