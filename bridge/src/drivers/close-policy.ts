/**
 * What a closed WhatsApp connection means, by status code: what to do next, and a reason token
 * the backend can classify (sent as `reason` in session.status). Pure and driver-neutral: the
 * Baileys driver and the simulator share it.
 */

export type CloseAction = 'logged_out' | 'restart' | 'reconnect' | 'stop';

export type CloseReason =
  | 'logged-out' | 'banned' | 'rate-limited' | 'replaced' | 'multidevice-mismatch' | 'client-outdated'
  | 'restart-required' | 'connection-lost';

export interface ClosePolicy { action: CloseAction; reason: CloseReason }

/**
 * 401: the device was unlinked — clear credentials, never retry by ourselves.
 * 515: WhatsApp asks for a restart (after pairing) — reconnect at once.
 * 402 (temporary ban), 403 (account locked/banned), 406 (banned): reconnecting cannot help and
 * looks like abuse — stop and wait for an explicit reconnect. So do 405 (client outdated),
 * 411 (multi-device mismatch) and 440 (replaced by another connection), which would fight or fail forever.
 * 429: WhatsApp is rate-limiting the number — reconnect, with backoff.
 * Anything else (428 closed, 408 lost/timed out, 500, 503, network errors): reconnect with backoff.
 */
export function closePolicy(statusCode: number | undefined): ClosePolicy {
  switch (statusCode) {
    case 401: return { action: 'logged_out', reason: 'logged-out' };
    case 515: return { action: 'restart', reason: 'restart-required' };
    case 402: case 403: case 406: return { action: 'stop', reason: 'banned' };
    case 405: return { action: 'stop', reason: 'client-outdated' };
    case 411: return { action: 'stop', reason: 'multidevice-mismatch' };
    case 440: return { action: 'stop', reason: 'replaced' };
    case 429: return { action: 'reconnect', reason: 'rate-limited' };
    default: return { action: 'reconnect', reason: 'connection-lost' };
  }
}
