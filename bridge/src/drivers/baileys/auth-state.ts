/**
 * Baileys credentials on disk, one JSON file per key (like Baileys' multi-file state) but every
 * write is atomic (temp file + rename) and writes to one file are serialised.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BufferJSON, initAuthCreds, proto, type AuthenticationCreds, type AuthenticationState, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import { readJson, writeFileAtomic } from '../../store/atomic.js';

/** Key ids come from WhatsApp (JIDs, numbers); anything but a safe character is hex-escaped. */
const safeName = (file: string): string => file.replace(/[^A-Za-z0-9@._-]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);

export interface FileAuthState {
  state: AuthenticationState;
  saveCreds(): Promise<void>;
  /** removes every credential file (logout) */
  clear(): Promise<void>;
  /** true when a previous run had linked this session */
  readonly registered: boolean;
}

export async function useAtomicFileAuthState(folder: string): Promise<FileAuthState> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const writes = new Map<string, Promise<void>>();
  const path = (file: string): string => join(folder, safeName(file));

  const write = (file: string, value: unknown): Promise<void> => {
    const run = (writes.get(file) ?? Promise.resolve()).catch(() => undefined).then(() =>
      value === null || value === undefined
        ? rm(path(file), { force: true })
        : writeFileAtomic(path(file), JSON.stringify(value, BufferJSON.replacer)));
    writes.set(file, run);
    return run;
  };
  const read = async <T>(file: string): Promise<T | undefined> => {
    await writes.get(file)?.catch(() => undefined);
    return readJson<T>(path(file), BufferJSON.reviver as (key: string, value: unknown) => unknown);
  };

  const stored = await read<AuthenticationCreds>('creds.json');
  const creds = stored ?? initAuthCreds();
  return {
    registered: Boolean(stored?.me?.id),
    state: {
      creds,
      keys: {
        get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
          const data: { [id: string]: SignalDataTypeMap[T] } = {};
          await Promise.all(ids.map(async (id) => {
            let value = await read<SignalDataTypeMap[T]>(`${type}-${id}.json`);
            if (type === 'app-state-sync-key' && value) {
              value = proto.Message.AppStateSyncKeyData.fromObject(value as object) as unknown as SignalDataTypeMap[T];
            }
            if (value !== undefined) data[id] = value;
          }));
          return data;
        },
        set: async (data) => {
          const tasks: Promise<void>[] = [];
          for (const [category, entries] of Object.entries(data)) {
            for (const [id, value] of Object.entries(entries ?? {})) tasks.push(write(`${category}-${id}.json`, value));
          }
          await Promise.all(tasks);
        },
      },
    },
    saveCreds: () => write('creds.json', creds),
    clear: async () => {
      await Promise.all([...writes.values()].map((w) => w.catch(() => undefined)));
      await rm(folder, { recursive: true, force: true });
    },
  };
}
