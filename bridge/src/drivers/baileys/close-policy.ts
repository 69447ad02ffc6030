/** What to do when the WhatsApp connection closes, by status code. Pure, so it is tested on its own. */
import { DisconnectReason } from '@whiskeysockets/baileys';

export type CloseAction =
  | { action: 'logged_out' }
  | { action: 'restart' }
  | { action: 'reconnect' }
  | { action: 'stop' };

/**
 * 401: the device was unlinked — clear credentials, never retry by ourselves.
 * 515: WhatsApp asks for a restart (after pairing) — reconnect at once.
 * 403 (banned), 411 (multi-device mismatch), 440 (replaced by another connection): reconnecting
 * would fight or fail forever — stop and wait for an explicit reconnect.
 * Anything else (428 closed, 408 lost/timed out, 500, 503, network errors): reconnect with backoff.
 */
export function closeAction(statusCode: number | undefined): CloseAction {
  switch (statusCode) {
    case DisconnectReason.loggedOut:
      return { action: 'logged_out' };
    case DisconnectReason.restartRequired:
      return { action: 'restart' };
    case DisconnectReason.forbidden:
    case DisconnectReason.multideviceMismatch:
    case DisconnectReason.connectionReplaced:
      return { action: 'stop' };
    default:
      return { action: 'reconnect' };
  }
}
