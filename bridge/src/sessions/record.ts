/** The live state of one session: metadata, current QR, its driver session and waiters on its status. */
import type { DriverSession } from '../drivers/driver.js';
import type { SessionMeta } from '../store/metadata.js';

/** The contract's `Session` shape. */
export interface SessionView {
  id: string;
  status: SessionMeta['status'];
  phoneNumber?: string;
  name?: string;
  createdAt: string;
  connectedAt?: string;
  /** why the last connection closed, while not connected (our extension) */
  reason?: SessionMeta['reason'];
  statusCode?: number;
  qrCode?: string;
  qrExpiresAt?: string;
}

type Waiter = { predicate: (r: SessionRecord) => boolean; resolve: () => void };

export class SessionRecord {
  driver: DriverSession | undefined;
  qrCode: string | undefined;
  qrExpiresAt: Date | undefined;
  /** events of one session are handled one after the other, in order */
  chain: Promise<void> = Promise.resolve();
  /** how many connection attempts have started; lets a caller wait for the next one */
  connects = 0;
  private waiters: Waiter[] = [];

  constructor(public meta: SessionMeta) {}

  get id(): string { return this.meta.id; }

  get origin(): string { return this.meta.phoneNumber ?? this.meta.id; }

  get qrExpired(): boolean {
    return this.meta.status === 'qr_waiting' && (!this.qrExpiresAt || this.qrExpiresAt.getTime() <= Date.now());
  }

  clearQr(): void {
    this.qrCode = undefined;
    this.qrExpiresAt = undefined;
  }

  view(): SessionView {
    const { id, status, phoneNumber, name, createdAt, connectedAt, reason, statusCode } = this.meta;
    return {
      id, status, createdAt,
      ...(phoneNumber ? { phoneNumber } : {}),
      ...(name ? { name } : {}),
      ...(connectedAt ? { connectedAt } : {}),
      ...(reason && status !== 'connected' ? { reason, ...(statusCode !== undefined ? { statusCode } : {}) } : {}),
      ...(this.qrCode && this.qrExpiresAt ? { qrCode: this.qrCode, qrExpiresAt: this.qrExpiresAt.toISOString() } : {}),
    };
  }

  /** Resolves when the predicate holds or the timeout passes (whichever first). */
  waitFor(predicate: (r: SessionRecord) => boolean, timeoutMs: number): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = { predicate, resolve: () => { clearTimeout(timer); resolve(); } };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  notify(): void {
    const ready = this.waiters.filter((w) => w.predicate(this));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }
}
