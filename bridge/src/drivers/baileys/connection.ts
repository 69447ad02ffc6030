/**
 * The one owner of a Baileys socket's lifecycle: credentials, QR, pairing code, close codes and
 * the reconnect policy (capped jittered backoff on every retryable close, 515 restarts at once,
 * 401 clears credentials). Every socket gets a generation number; events of an older socket are ignored.
 */
import makeWASocket, { Browsers, jidDecode, makeCacheableSignalKeyStore, type ConnectionState, type WASocket } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import { backoffDelay, type Backoff } from '../../backoff.js';
import { DriverError, type DisconnectInfo, type DriverEvent, type OpenOptions } from '../driver.js';
import { useAtomicFileAuthState, type FileAuthState } from './auth-state.js';
import { MessageStore, TtlCache } from './caches.js';
import { closePolicy } from '../close-policy.js';

export interface ConnectionSettings {
  logger: Logger;
  backoff: Backoff;
  connectTimeoutMs: number;
  waWebSocketUrl?: string;
  /** extra socket options (tests use small query timeouts) */
  socketOverrides?: Partial<Parameters<typeof makeWASocket>[0]>;
}

/** Baileys closes with a Boom error; only its status code matters here. */
type CloseError = Error & { output?: { statusCode?: number } };

const FIRST_QR_MS = 60_000;
const NEXT_QR_MS = 20_000;

export class BaileysConnection {
  sock: WASocket | undefined;
  isOpen = false;
  /** consecutive failed attempts, reset when a connection opens or a QR is shown */
  attempts = 0;
  readonly store = new MessageStore(1000);
  private readonly retryCache = new TtlCache();
  private auth: FileAuthState | undefined;
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private qrCount = 0;
  private closed = false;

  constructor(private readonly opts: OpenOptions, private readonly settings: ConnectionSettings,
    private readonly onSocket: (sock: WASocket) => void) {}

  private emit(event: DriverEvent): void { if (!this.closed) this.opts.listener(event); }

  get log(): Logger { return this.settings.logger; }

  /** Opens a new socket, dropping the current one. */
  async connect(): Promise<void> {
    this.drop();
    const generation = this.generation;
    this.emit({ kind: 'connecting' });
    this.auth ??= await useAtomicFileAuthState(this.opts.authDir);
    if (generation !== this.generation || this.closed) return;
    const auth = this.auth;
    this.qrCount = 0;
    const sock = makeWASocket({
      auth: { creds: auth.state.creds, keys: makeCacheableSignalKeyStore(auth.state.keys, this.log) },
      logger: this.log,
      browser: Browsers.ubuntu('Chrome'),
      connectTimeoutMs: this.settings.connectTimeoutMs,
      markOnlineOnConnect: false,
      syncFullHistory: false,
      getMessage: async (key) => this.store.content(key),
      msgRetryCounterCache: this.retryCache,
      ...(this.settings.waWebSocketUrl ? { waWebSocketUrl: this.settings.waWebSocketUrl } : {}),
      ...this.settings.socketOverrides,
    });
    this.sock = sock;
    sock.ev.on('creds.update', () => { auth.saveCreds().catch((err: unknown) => this.log.error({ err }, 'saving credentials failed')); });
    sock.ev.on('connection.update', (update) => {
      if (generation === this.generation) void this.onUpdate(update);
    });
    this.onSocket(sock);
  }

  private async onUpdate({ connection, lastDisconnect, qr }: Partial<ConnectionState>): Promise<void> {
    if (qr) {
      this.attempts = 0;
      const ttl = this.qrCount++ === 0 ? FIRST_QR_MS : NEXT_QR_MS;
      this.emit({ kind: 'qr', qr, expiresAt: new Date(Date.now() + ttl) });
    }
    if (connection === 'open') {
      this.isOpen = true;
      this.attempts = 0;
      const user = this.sock?.user;
      const jid = user?.id ?? '';
      this.emit({ kind: 'connected', jid, phoneNumber: jidDecode(jid)?.user ?? '', ...(user?.name ?? user?.notify ? { name: (user?.name ?? user?.notify) as string } : {}) });
    }
    if (connection === 'close') await this.onClose(lastDisconnect?.error as CloseError | undefined);
  }

  private async onClose(error: CloseError | undefined): Promise<void> {
    this.isOpen = false;
    this.sock = undefined;
    const statusCode = error?.output?.statusCode;
    const detail = error?.message ?? 'connection closed';
    const { action, reason } = closePolicy(statusCode);
    const info = (willReconnect: boolean, loggedOut = false): DisconnectInfo =>
      ({ reason, detail, willReconnect, loggedOut, ...(statusCode !== undefined ? { statusCode } : {}) });
    const log = reason === 'banned' || reason === 'rate-limited' ? this.log.warn.bind(this.log) : this.log.info.bind(this.log);
    log({ sessionId: this.opts.sessionId, statusCode, reason, detail, action }, 'connection closed');
    if (action === 'logged_out') {
      await this.clearCredentials();
      this.emit({ kind: 'disconnected', info: info(false, true) });
    } else if (action === 'restart') {
      this.emit({ kind: 'disconnected', info: info(true) });
      await this.connect();
    } else if (action === 'reconnect') {
      this.attempts += 1;
      const delay = backoffDelay(this.attempts, this.settings.backoff);
      this.emit({ kind: 'disconnected', info: info(true) });
      this.timer = setTimeout(() => void this.connect(), delay);
    } else {
      this.emit({ kind: 'disconnected', info: info(false) });
    }
  }

  /** Unlinks the device when connected, then clears credentials whatever the socket's state. */
  async logout(): Promise<void> {
    const sock = this.sock;
    const wasOpen = this.isOpen;
    this.drop(false);
    if (sock && wasOpen) {
      await Promise.race([sock.logout(), new Promise((resolve) => setTimeout(resolve, 5_000))])
        .catch((err: unknown) => this.log.warn({ err }, 'logout request failed'));
    }
    await this.clearCredentials();
    this.emit({ kind: 'disconnected', info: { statusCode: 401, reason: 'logged-out', detail: 'logged out', willReconnect: false, loggedOut: true } });
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    if (!this.sock || this.auth?.state.creds.registered || this.qrCount === 0) {
      throw new DriverError('a pairing code can only be requested while the session waits for a QR scan');
    }
    return this.sock.requestPairingCode(phoneNumber);
  }

  close(): void {
    this.closed = true;
    this.drop();
  }

  requireOpen(): WASocket {
    if (!this.sock || !this.isOpen) throw new DriverError('session is not connected');
    return this.sock;
  }

  /** Forgets the current socket (its events are ignored from now on) and any pending retry. */
  private drop(end = true): void {
    this.generation += 1;
    clearTimeout(this.timer);
    this.timer = undefined;
    const sock = this.sock;
    this.sock = undefined;
    this.isOpen = false;
    if (sock && end) void sock.end(undefined);
  }

  private async clearCredentials(): Promise<void> {
    await this.auth?.clear();
    this.auth = undefined;
  }
}
