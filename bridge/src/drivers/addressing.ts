/**
 * A sender's other JID form. WhatsApp names one person by a phone JID (`…@s.whatsapp.net`) or
 * by a LID (`…@lid`); when a driver knows both, message.received carries the other one as
 * `senderAlt`, and each form by kind as `senderPn` / `senderLid`, so the backend links them.
 */
import type { InboundMessage } from './driver.js';

export type SenderAddressing = Pick<InboundMessage, 'senderAlt' | 'senderPn' | 'senderLid'>;

type Kind = 'pn' | 'lid';

/** The user part of a JID, without the device (`123:4@lid` -> `123`). */
const userOf = (jid: string): string => jid.split('@')[0]?.split(':')[0] ?? '';

/** `jid` without its device suffix. */
export const withoutDevice = (jid: string): string => jid.replace(/:\d+@/, '@');

function kindOf(jid: string): Kind | undefined {
  if (/^[^@]+@(hosted\.)?lid$/.test(jid)) return 'lid';
  if (/^[^@]+@(s\.whatsapp\.net|hosted)$/.test(jid)) return 'pn';
  return undefined;
}

/**
 * The addressing fields for `sender` whose other form is `alt`; none unless one is a phone JID
 * and the other a LID (anything else is not an alternative), or when `alt` is one of `own`
 * (the account itself: Baileys fills the key's alt from the stanza's sender, which for the
 * owner's own messages is the account, not the chat).
 */
export function senderAddressing(sender: string | null | undefined, alt: string | null | undefined, own: readonly (string | undefined)[] = []): SenderAddressing {
  if (!sender || !alt) return {};
  const [bareSender, bareAlt] = [withoutDevice(sender), withoutDevice(alt)];
  const [senderKind, altKind] = [kindOf(bareSender), kindOf(bareAlt)];
  if (!senderKind || !altKind || senderKind === altKind) return {};
  if (own.some((jid) => jid && userOf(jid) === userOf(bareAlt))) return {};
  const [pn, lid] = senderKind === 'pn' ? [bareSender, bareAlt] : [bareAlt, bareSender];
  return { senderAlt: bareAlt, senderPn: pn, senderLid: lid };
}
