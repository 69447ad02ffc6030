/** Maps a Baileys message to the contract's message.received data, and delivery updates to statuses. */
import { getContentType, isJidGroup, isJidStatusBroadcast, normalizeMessageContent, proto, type WAMessage } from '@whiskeysockets/baileys';
import type { DeliveryStatus, InboundMessage, MediaType } from '../driver.js';

const MEDIA: Partial<Record<keyof proto.IMessage, MediaType>> = {
  imageMessage: 'image', videoMessage: 'video', audioMessage: 'audio', documentMessage: 'document',
};

const toNumber = (value: number | { toNumber(): number } | null | undefined): number | undefined =>
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

/** undefined for messages we do not forward (our own, status broadcasts, protocol messages). */
export function toInbound(msg: WAMessage, ownJid: string): InboundMessage | undefined {
  const { remoteJid, id, fromMe, participant } = msg.key;
  if (!remoteJid || !id || fromMe || isJidStatusBroadcast(remoteJid)) return undefined;
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
  };
  if (kind === 'conversation' || kind === 'extendedTextMessage') {
    return { ...base, type: 'text', text: content.conversation ?? content.extendedTextMessage?.text ?? '' };
  }
  const mediaType = MEDIA[kind];
  if (mediaType) {
    const media = content[kind] as proto.Message.IImageMessage & proto.Message.IDocumentMessage;
    const fileLength = toNumber(media.fileLength);
    return {
      ...base, type: mediaType, hasMedia: true, media: { mediaId: id },
      ...(media.caption ? { caption: media.caption } : {}),
      ...(media.fileName ? { fileName: media.fileName } : {}),
      ...(media.mimetype ? { mimetype: media.mimetype } : {}),
      ...(fileLength !== undefined ? { fileLength } : {}),
    };
  }
  if (kind === 'locationMessage' || kind === 'liveLocationMessage') {
    const loc = (content.locationMessage ?? content.liveLocationMessage) as proto.Message.ILocationMessage;
    return {
      ...base, type: 'location',
      location: { latitude: loc.degreesLatitude ?? 0, longitude: loc.degreesLongitude ?? 0, ...(loc.name ? { name: loc.name } : {}), ...(loc.address ? { address: loc.address } : {}) },
    };
  }
  if (kind === 'contactMessage') {
    const c = content.contactMessage as proto.Message.IContactMessage;
    return { ...base, type: 'contact', contact: { name: c.displayName ?? '', number: vcardNumber(c.vcard) } };
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
