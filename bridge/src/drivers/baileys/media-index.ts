/**
 * What `downloadMediaMessage` needs to fetch an inbound media file later: the message key and its
 * media fields (URL, direct path, media key, size, type), without thumbnails. One small JSON file
 * per message under `<session>/media/`, written (fsynced) before the message.received webhook is
 * queued, so the backend can fetch the file after a restart too. Entries older than the retention
 * (MEDIA_RETENTION_HOURS, 72 h) or beyond the newest `maxEntries` (MEDIA_INDEX_MAX, 5,000) are
 * pruned. The bytes themselves are never stored: they are downloaded when asked for.
 */
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BufferJSON, type WAMessage } from '@whiskeysockets/baileys';
import { readJson, writeFileAtomic } from '../../store/atomic.js';
import { mediaContent } from './inbound.js';

export interface MediaIndexOptions { retentionMs: number; maxEntries: number }

/** protobuf 64-bit numbers (Long) as plain numbers, so the JSON reads back as it was written */
const replacer = (key: string, value: unknown): unknown => {
  const long = value as { low?: unknown; high?: unknown; toNumber?: () => number } | null;
  const plain = long && typeof long === 'object' && typeof long.low === 'number' && typeof long.high === 'number' && typeof long.toNumber === 'function' ? long.toNumber() : value;
  return BufferJSON.replacer(key, plain);
};

const CONTENT_KEY = { image: 'imageMessage', video: 'videoMessage', audio: 'audioMessage', document: 'documentMessage', sticker: 'stickerMessage' } as const;
const PRUNE_EVERY = 100;

export class MediaIndex {
  private saves = 0;

  constructor(private readonly folder: string, private readonly options: MediaIndexOptions) {}

  private path(messageId: string): string {
    return join(this.folder, `${createHash('sha256').update(messageId).digest('hex').slice(0, 40)}.json`);
  }

  async save(msg: WAMessage): Promise<void> {
    const found = mediaContent(msg.message);
    if (!found || !msg.key.id) return;
    const { jpegThumbnail: _thumb, contextInfo: _context, ...media } = found.media;
    const slim = { key: msg.key, messageTimestamp: msg.messageTimestamp, message: { [CONTENT_KEY[found.type]]: media } };
    await writeFileAtomic(this.path(msg.key.id), JSON.stringify(slim, replacer), { durable: true });
    if (++this.saves % PRUNE_EVERY === 0) await this.prune();
  }

  async find(messageId: string): Promise<WAMessage | undefined> {
    const msg = await readJson<WAMessage>(this.path(messageId), BufferJSON.reviver as (key: string, value: unknown) => unknown);
    return msg?.key.id === messageId ? msg : undefined;
  }

  /** Removes expired entries, then the oldest ones beyond the limit. */
  async prune(): Promise<void> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    const entries = await Promise.all(names.filter((n) => n.endsWith('.json')).map(async (name) => {
      const path = join(this.folder, name);
      return { path, at: (await stat(path).catch(() => undefined))?.mtimeMs ?? 0 };
    }));
    entries.sort((a, b) => b.at - a.at);
    const cutoff = Date.now() - this.options.retentionMs;
    const doomed = entries.filter((e, i) => e.at < cutoff || i >= this.options.maxEntries);
    await Promise.all(doomed.map((e) => rm(e.path, { force: true })));
  }
}
