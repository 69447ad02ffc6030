/** Session ids are the only user input that becomes a path; everything that touches disk goes through here. */
import { resolve, sep } from 'node:path';

export const SESSION_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
const SESSION_ID_RE = new RegExp(SESSION_ID_PATTERN);

export function isValidSessionId(id: unknown): id is string {
  return typeof id === 'string' && SESSION_ID_RE.test(id);
}

/** Resolves `parts` under `root`, refusing invalid ids and anything that would land outside root. */
export function sessionPath(root: string, sessionId: string, ...parts: string[]): string {
  if (!isValidSessionId(sessionId)) throw new Error(`invalid session id: ${JSON.stringify(sessionId)}`);
  const base = resolve(root);
  const full = resolve(base, sessionId, ...parts);
  if (!full.startsWith(base + sep)) throw new Error('path escapes the sessions folder');
  return full;
}
