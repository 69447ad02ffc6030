/** Session metadata, one `session.json` per session folder, written atomically. */
import { mkdir, readdir, rm } from 'node:fs/promises';
import type { CloseReason } from '../drivers/close-policy.js';
import { isValidSessionId, sessionPath } from '../sessions/ids.js';
import { readJson, writeJsonAtomic } from './atomic.js';

export type SessionStatus = 'initializing' | 'connecting' | 'qr_waiting' | 'connected' | 'disconnected' | 'logged_out';

export interface SessionMeta {
  id: string;
  status: SessionStatus;
  createdAt: string;
  phoneNumber?: string;
  name?: string;
  connectedAt?: string;
  /** why the last connection closed (kept until the session connects again) */
  reason?: CloseReason;
  statusCode?: number;
}

export class SessionMetaStore {
  constructor(readonly root: string) {}

  authDir(sessionId: string): string { return sessionPath(this.root, sessionId, 'auth'); }

  sessionDir(sessionId: string): string { return sessionPath(this.root, sessionId); }

  async save(meta: SessionMeta): Promise<void> {
    await writeJsonAtomic(sessionPath(this.root, meta.id, 'session.json'), meta);
  }

  async loadAll(): Promise<SessionMeta[]> {
    await mkdir(this.root, { recursive: true });
    const metas: SessionMeta[] = [];
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory() || !isValidSessionId(entry.name)) continue;
      const meta = await readJson<SessionMeta>(sessionPath(this.root, entry.name, 'session.json'));
      if (meta && meta.id === entry.name) metas.push(meta);
    }
    return metas.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Removes the session folder: metadata and credentials. */
  async remove(sessionId: string): Promise<void> {
    await rm(sessionPath(this.root, sessionId), { recursive: true, force: true });
  }
}
