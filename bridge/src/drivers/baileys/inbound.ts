/** Maps a Baileys message to the contract's message.received data, and delivery updates to statuses. */
import { getContentType, isJidGroup, isJidStatusBroadcast, normalizeMessageContent, proto, type WAMessage } from '@whiskeysockets/baileys';
import { senderAddressing, type SenderAddressing } from '../addressing.js';
import type { DeliveryStatus, InboundMediaType, InboundMessage } from '../driver.js';

const MEDIA: Partial<Record<keyof proto.IMessage, InboundMediaType>> = {
  imageMessage: 'image', videoMessage: 'video', audioMessage: 'audio', documentMessage: 'document',
  documentWithCaptionMessage: 'document', stickerMessage: 'sticker',
};

type AnyMedia = proto.Message.IImageMessage & proto.Message.IDocumentMessage & proto.Message.IAudioMessage & proto.Message.IVideoMessage;

export const toNumber = (value: number | { toNumber(): number } | null | undefined): number | undefined =>
  value === null || value === undefined ? undefined : typeof value === 'number' ? value : value.toNumber();

/** The phone number in a vCard (`waid=` first, then the first TEL line). */
export function vcardNumber(vcard: string | null | undefined): string {
  const waid = /waid=(\d+)/.exec(vcard ?? '');
  if (waid?.[1]) return waid[1];
  const tel = /TEL[^:]*:([+\d\s()-]+)/.exec(vcard ?? '');
  return (tel?.[1] ?? '').replace(/[^\d]/g, '');
}

function contextOf(content: proto.IMessage, kind: keyof proto.IMessage): proto.IContextInfo | undefined {
  const inner = content[kind] as { contextInfo?: proto.IContextInfo | null } | null | undefined;
  return inner && typeof inner === 'object' && 'contextInfo' in inner ? inner.contextInfo ?? undefined : undefined;
}

/** The media content of a message (the inner document of a captioned document), if any. */
export function mediaContent(message: proto.IMessage | null | undefined): { type: InboundMediaType; media: AnyMedia } | undefined {
  const content = normalizeMessageContent(message);
  const kind = content ? getContentType(content) : undefined;
  const type = kind ? MEDIA[kind] : undefined;
  if (!content || !kind || !type) return undefined;
  const media = kind === 'documentWithCaptionMessage' ? content.documentWithCaptionMessage?.message?.documentMessage : content[kind];
  return media && typeof media === 'object' ? { type, media: media as AnyMedia } : undefined;
}

function mediaFields(type: InboundMediaType, media: AnyMedia, id: string): Partial<InboundMessage> {
  const fileLength = toNumber(media.fileLength);
  return {
    type, hasMedia: true, media: { mediaId: id },
    ...(media.caption ? { caption: media.caption } : {}),
    ...(media.fileName ? { fileName: media.fileName } : {}),
    ...(media.mimetype ? { mimetype: media.mimetype } : {}),
    ...(fileLength !== undefined ? { fileLength } : {}),
    ...(type === 'audio' ? { ptt: Boolean(media.ptt) } : {}),
    ...(typeof media.seconds === 'number' && media.seconds > 0 ? { seconds: media.seconds } : {}),
  };
}

const card = (c: proto.Message.IContactMessage): { name: string; number: string } => ({ name: c.displayName ?? '', number: vcardNumber(c.vcard) });

/**
 * undefined for messages we do not forward (status broadcasts, protocol messages, empty stubs).
 * Messages with `fromMe` (the owner on the phone, or our own sends) are mapped with `fromMe: true`;
 * telling our own sends apart is the session manager's job (the send journal).
 * The sender's other JID form comes from Baileys 7's key: `remoteJidAlt` in a chat,
 * `participantAlt` in a group (rc14's `WAMessageKey`; it has no senderPn/senderLid fields).
 */
export function toInbound(msg: WAMessage, ownJid: string, ownLid?: string): InboundMessage | undefined {
  const { remoteJid, id, fromMe, participant } = msg.key;
  if (!remoteJid || !id || isJidStatusBroadcast(remoteJid)) return undefined;
  const content = normalizeMessageContent(msg.message);
  if (!content) return undefined;
  const kind = getContentType(content);
  if (!kind || kind === 'protocolMessage' || kind === 'senderKeyDistributionMessage') return undefined;
  const isGroup = Boolean(isJidGroup(remoteJid));
  const quoted = contextOf(content, kind)?.stanzaId;
  const base: InboundMessage = {
    from: remoteJid, to: ownJid, messageId: id, timestamp: (toNumber(msg.messageTimestamp) ?? Date.now() / 1000) * 1000, isGroup,
    ...(isGroup ? { groupId: remoteJid } : {}),
    ...(participant ? { participant } : {}),
    ...(msg.pushName ? { pushName: msg.pushName } : {}),
    ...(quoted ? { quotedMessageId: quoted } : {}),
    ...(fromMe ? { fromMe: true } : {}),
    ...addressing(msg.key, isGroup, ownJid, ownLid),
  };
  return withContent(base, content, kind, id);
}

/**
 * The sender's other form, from the key. For the owner's own messages Baileys may fill the alt
 * with the account's own other JID (it is the stanza's sender), so it is dropped when it names
 * the account, and not trusted at all while the account's own LID is unknown.
 */
function addressing(key: WAMessage['key'], isGroup: boolean, ownJid: string, ownLid: string | undefined): SenderAddressing {
  if (key.fromMe && !ownLid) return {};
  const [sender, alt] = isGroup ? [key.participant, key.participantAlt] : [key.remoteJid, key.remoteJidAlt];
  return senderAddressing(sender, alt, [ownJid, ownLid]);
}

function withContent(base: InboundMessage, content: proto.IMessage, kind: keyof proto.IMessage, id: string): InboundMessage {
  if (kind === 'conversation' || kind === 'extendedTextMessage') {
    return { ...base, type: 'text', text: content.conversation ?? content.extendedTextMessage?.text ?? '' };
  }
  const media = mediaContent(content);
  if (media) return { ...base, ...mediaFields(media.type, media.media, id) };
  if (kind === 'locationMessage' || kind === 'liveLocationMessage') {
    const loc = (content.locationMessage ?? content.liveLocationMessage) as proto.Message.ILocationMessage;
    return {
      ...base, type: 'location',
      location: { latitude: loc.degreesLatitude ?? 0, longitude: loc.degreesLongitude ?? 0, ...(loc.name ? { name: loc.name } : {}), ...(loc.address ? { address: loc.address } : {}) },
    };
  }
  if (kind === 'contactMessage') return { ...base, type: 'contact', contact: card(content.contactMessage as proto.Message.IContactMessage) };
  if (kind === 'contactsArrayMessage') {
    const contacts = (content.contactsArrayMessage?.contacts ?? []).map(card);
    return { ...base, type: 'contact', contact: contacts[0] ?? { name: '', number: '' }, contacts };
  }
  if (kind === 'reactionMessage') {
    const r = content.reactionMessage as proto.Message.IReactionMessage;
    return { ...base, type: 'reaction', reaction: { emoji: r.text ?? '', messageId: r.key?.id ?? '' } };
  }
  return base;
}

/** Baileys' numeric message status to ours; undefined for pending. */
export function deliveryStatus(status: number | null | undefined): DeliveryStatus | undefined {
  const S = proto.WebMessageInfo.Status;
  switch (status) {
    case S.ERROR: return 'failed';
    case S.SERVER_ACK: return 'sent';
    case S.DELIVERY_ACK: return 'delivered';
    case S.READ: case S.PLAYED: return 'read';
    default: return undefined;
  }
}

/** A receipt status for one of our messages, from a receipt's timestamps. */
export function receiptStatus(receipt: proto.IUserReceipt): DeliveryStatus | undefined {
  if (receipt.readTimestamp || receipt.playedTimestamp) return 'read';
  return receipt.receiptTimestamp ? 'delivered' : undefined;
}

/**
 * The delivery status folded into an upsert of our own message: Baileys' event buffer merges
 * receipts that arrive in the same window into the message (status, or userReceipt in groups).
 * 'sent' is left out: a fresh upsert always carries it.
 */
export function foldedStatus(msg: WAMessage): DeliveryStatus | undefined {
  if (!msg.key.fromMe) return undefined;
  const receipts = (msg.userReceipt ?? []).map(receiptStatus);
  if (receipts.includes('read')) return 'read';
  if (receipts.includes('delivered')) return 'delivered';
  const status = deliveryStatus(msg.status);
  return status === 'sent' ? undefined : status;
}
