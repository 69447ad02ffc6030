/**
 * What this bridge sent, per session, in an append-only `sends.jsonl` (every line fsynced):
 *
 * - `{"id","at","key"?}` before a send: the WhatsApp message id we chose, and the Idempotency-Key
 *   it belongs to. A message with `fromMe` whose id is here is our own send coming back, never an
 *   owner's message; a key found here without a result is a send that may have gone out before a
 *   crash, and is retried with the same WhatsApp id.
 * - `{"id","at","key","result"}` after a keyed send: what a repeat of the key answers.
 *
 * Ids are kept for `sentTtlMs` (72 h), results answer repeats for `keyTtlMs` (24 h). The file is
 * compacted (rewritten atomically without expired and superseded lines) when it loads and when it
 * has grown to twice its live size. `idempotency.json` from earlier versions is read once.
 */
import { rm } from 'node:fs/promises';
import { sessionPath } from '../sessions/ids.js';
import { appendDurable, readJson, readLines, writeFileAtomic } from './atomic.js';

interface Line<T> { id: string; at: number; key?: string; result?: T }

export interface KeyState<T> { messageId: string; at: number; result?: T }

interface SessionJournal<T> {
  ids: Map<string, number>;
  keys: Map<string, KeyState<T>>;
  lines: number;
  /** appends and rewrites of this file, one after the other */
  tail: Promise<void>;
}

export interface JournalOptions { keyTtlMs?: number; sentTtlMs?: number; now?: () => number }

export class SendJournal<T extends { messageId: string }> {
  private readonly sessions = new Map<string, Promise<SessionJournal<T>>>();
  private readonly keyTtlMs: number;
  private readonly sentTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly root: string, options: JournalOptions = {}) {
    this.now = options.now ?? Date.now;
    this.keyTtlMs = options.keyTtlMs ?? 24 * 3600_000;
    this.sentTtlMs = Math.max(options.sentTtlMs ?? 72 * 3600_000, this.keyTtlMs);
  }

  /** True when this bridge sent (or was about to send) the message. */
  async isOurs(sessionId: string, messageId: string): Promise<boolean> {
    const at = (await this.journal(sessionId)).ids.get(messageId);
    return at !== undefined && this.now() - at < this.sentTtlMs;
  }

  /** The state of an Idempotency-Key used within the last 24 h. */
  async keyState(sessionId: string, key: string): Promise<KeyState<T> | undefined> {
    const state = (await this.journal(sessionId)).keys.get(key);
    return state && this.now() - state.at < this.keyTtlMs ? state : undefined;
  }

  /** Durably records a send that is about to happen. */
  async begin(sessionId: string, messageId: string, key?: string): Promise<void> {
    await this.append(sessionId, { id: messageId, at: this.now(), ...(key !== undefined ? { key } : {}) });
  }

  /** Durably records the result a repeat of `key` answers. */
  async finish(sessionId: string, key: string, result: T): Promise<void> {
    await this.append(sessionId, { id: result.messageId, at: this.now(), key, result });
  }

  async forget(sessionId: string): Promise<void> {
    const journal = this.sessions.get(sessionId);
    this.sessions.delete(sessionId);
    await (await journal)?.tail;
    await rm(this.file(sessionId), { force: true });
  }

  private file(sessionId: string): string { return sessionPath(this.root, sessionId, 'sends.jsonl'); }

  private journal(sessionId: string): Promise<SessionJournal<T>> {
    let journal = this.sessions.get(sessionId);
    if (!journal) {
      journal = this.load(sessionId);
      this.sessions.set(sessionId, journal);
    }
    return journal;
  }

  private async load(sessionId: string): Promise<SessionJournal<T>> {
    const journal: SessionJournal<T> = { ids: new Map(), keys: new Map(), lines: 0, tail: Promise.resolve() };
    const legacy = await this.legacyLines(sessionId);
    for (const line of legacy) this.apply(journal, line);
    let torn = false;
    for (const text of await readLines(this.file(sessionId))) {
      try { this.apply(journal, JSON.parse(text) as Line<T>); } catch { torn = true; /* a crash in the middle of an append */ }
    }
    journal.tail = this.compact(sessionId, journal, legacy.length > 0 || torn);
    await journal.tail;
    return journal;
  }

  /** Entries of the `idempotency.json` file earlier versions wrote (removed once compacted). */
  private async legacyLines(sessionId: string): Promise<Line<T>[]> {
    const legacy = await readJson<Record<string, { result: T; at: number }>>(sessionPath(this.root, sessionId, 'idempotency.json'));
    return Object.entries(legacy ?? {}).map(([key, { result, at }]) => ({ id: result.messageId, at, key, result }));
  }

  private apply(journal: SessionJournal<T>, line: Line<T>): void {
    journal.lines += 1;
    journal.ids.set(line.id, line.at);
    if (line.key === undefined) return;
    const known = journal.keys.get(line.key);
    if (line.result !== undefined || !known?.result) {
      journal.keys.set(line.key, { messageId: line.id, at: known?.at ?? line.at, ...(line.result !== undefined ? { result: line.result } : {}) });
    }
  }

  private async append(sessionId: string, line: Line<T>): Promise<void> {
    const journal = await this.journal(sessionId);
    this.apply(journal, line);
    const write = journal.tail.catch(() => undefined).then(async () => {
      await appendDurable(this.file(sessionId), `${JSON.stringify(line)}\n`);
      if (journal.lines > 2 * (journal.ids.size + journal.keys.size) + 1000) await this.compact(sessionId, journal, false);
    });
    journal.tail = write;
    await write;
  }

  /** Drops expired entries and, when that leaves stale lines, rewrites the file with one line per live id and key. */
  private async compact(sessionId: string, journal: SessionJournal<T>, force: boolean): Promise<void> {
    const now = this.now();
    for (const [id, at] of journal.ids) if (now - at >= this.sentTtlMs) journal.ids.delete(id);
    for (const [key, state] of journal.keys) if (now - state.at >= this.keyTtlMs) journal.keys.delete(key);
    if (!force && journal.lines <= journal.ids.size) return;
    const keyed = new Set([...journal.keys.values()].map((s) => s.messageId));
    const lines: Line<T>[] = [...journal.ids].filter(([id]) => !keyed.has(id)).map(([id, at]) => ({ id, at }));
    for (const [key, state] of journal.keys) {
      lines.push({ id: state.messageId, at: state.at, key, ...(state.result !== undefined ? { result: state.result } : {}) });
    }
    journal.lines = lines.length;
    await writeFileAtomic(this.file(sessionId), lines.map((l) => `${JSON.stringify(l)}\n`).join(''), { durable: true });
    await rm(sessionPath(this.root, sessionId, 'idempotency.json'), { force: true });
  }
}
