/**
 * Durable per-session webhook queue: one file per event under `<root>/<sessionId>/<seq>.json`,
 * written atomically and fsynced (it survives a power loss once `enqueue` resolves), removed once
 * delivered. Order per session is the sequence number order, which survives restarts. Expired
 * events go to `dead-letter.jsonl`.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidSessionId, sessionPath } from '../sessions/ids.js';
import { appendDurable, readJson, writeJsonAtomic } from '../store/atomic.js';

export interface QueuedEvent {
  webhookId: string;
  sessionId: string;
  eventType: string;
  body: string;
  enqueuedAt: number;
  attempts: number;
  lastError?: string;
}

const fileName = (seq: number): string => `${String(seq).padStart(16, '0')}.json`;

/** A queued event as kept in memory: its sequence number and, once known, when it was queued. */
interface Slot { seq: number; at?: number }

export class WebhookQueue {
  private readonly pending = new Map<string, Slot[]>();
  private readonly nextSeq = new Map<string, number>();
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly root: string) {}

  get deadLetterPath(): string { return join(this.root, 'dead-letter.jsonl'); }

  /** Reads what a previous run left on disk. */
  async load(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory() || !isValidSessionId(entry.name)) continue;
      const files = await readdir(join(this.root, entry.name));
      const seqs = files.filter((f) => /^\d{16}\.json$/.test(f)).map((f) => Number(f.slice(0, 16))).sort((a, b) => a - b);
      this.pending.set(entry.name, seqs.map((seq) => ({ seq })));
      this.nextSeq.set(entry.name, (seqs.at(-1) ?? 0) + 1);
      await this.head(entry.name);
    }
  }

  sessionsWithPending(): string[] {
    return [...this.pending].filter(([, seqs]) => seqs.length > 0).map(([id]) => id);
  }

  size(sessionId: string): number { return this.pending.get(sessionId)?.length ?? 0; }

  /** Every session with its number of waiting events and when the oldest was queued (ms). */
  depths(): Array<{ sessionId: string; depth: number; oldestAt: number | undefined }> {
    return [...this.pending].map(([sessionId, slots]) => ({ sessionId, depth: slots.length, oldestAt: slots[0]?.at }));
  }

  /** Resolves once the event is on disk. Writes of one session are serialised to keep their order. */
  enqueue(event: QueuedEvent): Promise<void> {
    const sid = event.sessionId;
    const seq = this.nextSeq.get(sid) ?? 1;
    this.nextSeq.set(sid, seq + 1);
    const write = (this.writes.get(sid) ?? Promise.resolve()).then(async () => {
      await writeJsonAtomic(this.path(sid, seq), event, { durable: true });
      const list = this.pending.get(sid) ?? [];
      list.push({ seq, at: event.enqueuedAt });
      this.pending.set(sid, list);
    });
    const tracked = write.catch(() => undefined);
    this.writes.set(sid, tracked);
    void tracked.then(() => { if (this.writes.get(sid) === tracked) this.writes.delete(sid); });
    return write;
  }

  async head(sessionId: string): Promise<QueuedEvent | undefined> {
    const slot = this.pending.get(sessionId)?.[0];
    if (slot === undefined) return undefined;
    const event = await readJson<QueuedEvent>(this.path(sessionId, slot.seq));
    if (!event) { this.pending.get(sessionId)?.shift(); return this.head(sessionId); }
    slot.at = event.enqueuedAt;
    return event;
  }

  async updateHead(event: QueuedEvent): Promise<void> {
    const slot = this.pending.get(event.sessionId)?.[0];
    if (slot !== undefined) await writeJsonAtomic(this.path(event.sessionId, slot.seq), event);
  }

  async ackHead(sessionId: string): Promise<void> {
    const slot = this.pending.get(sessionId)?.shift();
    if (slot !== undefined) await rm(this.path(sessionId, slot.seq), { force: true });
  }

  async deadLetterHead(event: QueuedEvent): Promise<void> {
    await appendDurable(this.deadLetterPath, `${JSON.stringify({ ...event, deadAt: Date.now() })}\n`);
    await this.ackHead(event.sessionId);
  }

  private path(sessionId: string, seq: number): string {
    return sessionPath(this.root, sessionId, fileName(seq));
  }
}
