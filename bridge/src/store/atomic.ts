/**
 * File writes. `writeFileAtomic`: temp file beside the target, then rename over it, so a crash
 * leaves the old or the new content, never a torn file. With `{ durable: true }` the file and its
 * folder are also fsynced, so once it resolves the new content survives a power loss too (used by
 * the webhook queue, the send journal and the media index; credentials and metadata skip it, they
 * are rewritten often and a lost last write there is recovered by the next one).
 * `appendDurable`: one append, fsynced before it resolves.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try { await handle.sync(); } catch { /* some file systems cannot fsync a folder */ } finally { await handle.close(); }
}

async function writeTo(path: string, data: string | Uint8Array, flags: string, durable: boolean): Promise<void> {
  const handle = await open(path, flags, 0o600);
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface WriteOptions { durable?: boolean }

export async function writeFileAtomic(path: string, data: string | Uint8Array, { durable = false }: WriteOptions = {}): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeTo(tmp, data, 'w', durable);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  if (durable) await syncFolder(folder);
}

export async function writeJsonAtomic(path: string, value: unknown, options: WriteOptions = {}): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value), options);
}

/** Appends `data` (creating the file, mode 0600) and fsyncs it. */
export async function appendDurable(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeTo(path, data, 'a', true);
}

/** Reads a JSON file; undefined when it does not exist. */
export async function readJson<T>(path: string, reviver?: (key: string, value: unknown) => unknown): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8'), reviver) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The lines of a text file; [] when it does not exist. */
export async function readLines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((line) => line.length > 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
