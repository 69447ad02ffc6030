/**
 * Idempotency-Key support for sends: the first successful result for (session, key) is kept for
 * the TTL (24 h) on disk; a repeat returns it without sending. Concurrent repeats wait for the first.
 * Failures are not remembered, so a failed send may be retried with the same key.
 */
import { rm } from 'node:fs/promises';
import { sessionPath } from '../sessions/ids.js';
import { readJson, writeJsonAtomic } from './atomic.js';

interface Entry<T> { result: T; at: number }

export class IdempotencyStore<T> {
  private readonly cache = new Map<string, Map<string, Entry<T>>>();
  private readonly inflight = new Map<string, Promise<T>>();
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly root: string, private readonly ttlMs = 24 * 3600_000) {}

  async run(sessionId: string, key: string, fn: () => Promise<T>): Promise<{ result: T; replayed: boolean }> {
    const entries = await this.entries(sessionId);
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return { result: hit.result, replayed: true };
    const flightKey = `${sessionId}\u0000${key}`;
    const running = this.inflight.get(flightKey);
    if (running) return { result: await running, replayed: true };
    const promise = fn();
    this.inflight.set(flightKey, promise);
    try {
      const result = await promise;
      entries.set(key, { result, at: Date.now() });
      await this.persist(sessionId, entries);
      return { result, replayed: false };
    } finally {
      this.inflight.delete(flightKey);
    }
  }

  async forget(sessionId: string): Promise<void> {
    this.cache.delete(sessionId);
    await rm(this.file(sessionId), { force: true });
  }

  private file(sessionId: string): string { return sessionPath(this.root, sessionId, 'idempotency.json'); }

  private async entries(sessionId: string): Promise<Map<string, Entry<T>>> {
    let entries = this.cache.get(sessionId);
    if (!entries) {
      const stored = await readJson<Record<string, Entry<T>>>(this.file(sessionId));
      entries = this.cache.get(sessionId) ?? new Map(Object.entries(stored ?? {}));
      this.cache.set(sessionId, entries);
    }
    return entries;
  }

  private persist(sessionId: string, entries: Map<string, Entry<T>>): Promise<void> {
    const cutoff = Date.now() - this.ttlMs;
    for (const [key, entry] of entries) if (entry.at < cutoff) entries.delete(key);
    const write = (this.writes.get(sessionId) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => writeJsonAtomic(this.file(sessionId), Object.fromEntries(entries)));
    this.writes.set(sessionId, write);
    return write;
  }
}
