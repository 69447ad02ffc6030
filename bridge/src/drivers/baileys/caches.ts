/** Small bounded caches the socket needs: recent messages (getMessage, media) and the retry counter. */
import type { CacheStore, proto, WAMessage } from '@whiskeysockets/baileys';

/** An insertion-ordered map that forgets its oldest entry past `limit`. */
export class BoundedMap<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string): V | undefined { return this.map.get(key); }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as string);
  }

  delete(key: string): void { this.map.delete(key); }

  clear(): void { this.map.clear(); }
}

/** Recently sent messages by id, so WhatsApp's retry requests (getMessage) can be answered. */
export class MessageStore {
  private readonly messages: BoundedMap<WAMessage>;

  constructor(limit = 500) { this.messages = new BoundedMap(limit); }

  remember(message: WAMessage): void {
    if (message.key.id && message.message) this.messages.set(message.key.id, message);
  }

  content(key: proto.IMessageKey): proto.IMessage | undefined {
    return key.id ? this.messages.get(key.id)?.message ?? undefined : undefined;
  }
}

/** A TTL cache for Baileys' msgRetryCounterCache. */
export class TtlCache implements CacheStore {
  private readonly entries = new BoundedMap<{ value: unknown; expires: number }>(5_000);

  constructor(private readonly ttlMs = 10 * 60_000) {}

  get<T>(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) { this.entries.delete(key); return undefined; }
    return entry.value as T;
  }

  set<T>(key: string, value: T): void { this.entries.set(key, { value, expires: Date.now() + this.ttlMs }); }

  del(key: string): void { this.entries.delete(key); }

  flushAll(): void { this.entries.clear(); }
}
