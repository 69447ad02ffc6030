import { proto, type WAMessage } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { deliveryStatus, foldedStatus, toInbound, vcardNumber } from '../../src/drivers/baileys/inbound.js';
import { contactVcard, toContent } from '../../src/drivers/baileys/outbound.js';

const OWN = '5511900000001:7@s.whatsapp.net';
const msg = (message: proto.IMessage, key: Partial<proto.IMessageKey> = {}, extra: Partial<WAMessage> = {}): WAMessage => ({
  key: { remoteJid: '5511988887777@s.whatsapp.net', id: 'ID1', fromMe: false, ...key },
  message, messageTimestamp: 1_700_000_000, pushName: 'Ana', ...extra,
}) as WAMessage;

describe('toInbound', () => {
  it('maps text, with pushName and the quoted message id', () => {
    expect(toInbound(msg({ conversation: 'hi' }), OWN)).toEqual({
      from: '5511988887777@s.whatsapp.net', to: OWN, messageId: 'ID1', timestamp: 1_700_000_000_000, isGroup: false,
      pushName: 'Ana', type: 'text', text: 'hi',
    });
    const quoted = toInbound(msg({ extendedTextMessage: { text: 're', contextInfo: { stanzaId: 'Q1' } } }), OWN);
    expect(quoted).toMatchObject({ type: 'text', text: 're', quotedMessageId: 'Q1' });
  });

  it('maps group messages with groupId and participant', () => {
    const m = toInbound(msg({ conversation: 'g' }, { remoteJid: '1203630@g.us', participant: '5511977776666@s.whatsapp.net' }), OWN);
    expect(m).toMatchObject({ from: '1203630@g.us', isGroup: true, groupId: '1203630@g.us', participant: '5511977776666@s.whatsapp.net' });
  });

  it('maps media without keys, with a mediaId reference', () => {
    const m = toInbound(msg({ documentMessage: { mimetype: 'application/pdf', fileName: 'a.pdf', fileLength: 1234, caption: 'c', mediaKey: new Uint8Array([1]) } }), OWN);
    expect(m).toMatchObject({ type: 'document', hasMedia: true, mimetype: 'application/pdf', fileName: 'a.pdf', fileLength: 1234, caption: 'c', media: { mediaId: 'ID1' } });
    expect(JSON.stringify(m)).not.toContain('mediaKey');
    expect(toInbound(msg({ imageMessage: { mimetype: 'image/jpeg' } }), OWN)?.type).toBe('image');
    expect(toInbound(msg({ audioMessage: { mimetype: 'audio/ogg' } }), OWN)?.type).toBe('audio');
    expect(toInbound(msg({ viewOnceMessage: { message: { videoMessage: { mimetype: 'video/mp4' } } } }), OWN)?.type).toBe('video');
  });

  it('maps location and contact', () => {
    expect(toInbound(msg({ locationMessage: { degreesLatitude: -23.5, degreesLongitude: -46.6, name: 'Office' } }), OWN))
      .toMatchObject({ type: 'location', location: { latitude: -23.5, longitude: -46.6, name: 'Office' } });
    expect(toInbound(msg({ contactMessage: { displayName: 'Bob', vcard: contactVcard('Bob', '+55 11 91234-5678') } }), OWN))
      .toMatchObject({ type: 'contact', contact: { name: 'Bob', number: '5511912345678' } });
  });

  it('maps stickers, voice notes (ptt, seconds), captioned documents and reactions', () => {
    expect(toInbound(msg({ stickerMessage: { mimetype: 'image/webp', fileLength: 900 } }), OWN))
      .toMatchObject({ type: 'sticker', hasMedia: true, mimetype: 'image/webp', fileLength: 900, media: { mediaId: 'ID1' } });
    expect(toInbound(msg({ audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 7 } }), OWN))
      .toMatchObject({ type: 'audio', ptt: true, seconds: 7, hasMedia: true });
    expect(toInbound(msg({ audioMessage: { mimetype: 'audio/mpeg' } }), OWN)).toMatchObject({ type: 'audio', ptt: false });
    const captioned = { documentWithCaptionMessage: { message: { documentMessage: { mimetype: 'application/pdf', fileName: 'r.pdf', caption: 'the report' } } } };
    expect(toInbound(msg(captioned), OWN)).toMatchObject({ type: 'document', fileName: 'r.pdf', caption: 'the report', hasMedia: true });
    const reaction = toInbound(msg({ reactionMessage: { text: '👍', key: { id: 'OURS1', remoteJid: '5511988887777@s.whatsapp.net', fromMe: true } } }), OWN);
    expect(reaction).toMatchObject({ type: 'reaction', reaction: { emoji: '👍', messageId: 'OURS1' } });
    expect(toInbound(msg({ reactionMessage: { text: '', key: { id: 'OURS1' } } }), OWN)?.reaction).toEqual({ emoji: '', messageId: 'OURS1' });
  });

  it('maps multi-contact cards: the first as contact, all as contacts', () => {
    const vcard = (n: string, d: string) => ({ displayName: n, vcard: contactVcard(n, d) });
    expect(toInbound(msg({ contactsArrayMessage: { contacts: [vcard('A', '5511911111111'), vcard('B', '5511922222222')] } }), OWN)).toMatchObject({
      type: 'contact', contact: { name: 'A', number: '5511911111111' },
      contacts: [{ name: 'A', number: '5511911111111' }, { name: 'B', number: '5511922222222' }],
    });
  });

  it('maps messages of the owner (fromMe) with fromMe: true, the chat as from', () => {
    expect(toInbound(msg({ conversation: 'typed on the phone' }, { fromMe: true }), OWN))
      .toMatchObject({ from: '5511988887777@s.whatsapp.net', fromMe: true, type: 'text', text: 'typed on the phone' });
    expect(toInbound(msg({ conversation: 'x' }), OWN)).not.toHaveProperty('fromMe');
  });

  it('gives other kinds no type key, and skips status and protocol messages', () => {
    const poll = toInbound(msg({ pollCreationMessage: { name: 'Lunch?', options: [{ optionName: 'yes' }] } }), OWN);
    expect(poll).toBeDefined();
    expect(poll && 'type' in poll).toBe(false);
    expect(toInbound(msg({ conversation: 'x' }, { remoteJid: 'status@broadcast' }), OWN)).toBeUndefined();
    expect(toInbound(msg({ protocolMessage: { type: 0 } }), OWN)).toBeUndefined();
    expect(toInbound(msg({}), OWN)).toBeUndefined();
  });
});

describe('delivery status and outbound content', () => {
  it('maps Baileys statuses', () => {
    const S = proto.WebMessageInfo.Status;
    expect([S.ERROR, S.PENDING, S.SERVER_ACK, S.DELIVERY_ACK, S.READ, S.PLAYED].map(deliveryStatus)).toEqual(['failed', undefined, 'sent', 'delivered', 'read', 'read']);
  });
  it('reads statuses folded into an upsert of our own message', () => {
    const S = proto.WebMessageInfo.Status;
    const own = (extra: Partial<WAMessage>) => msg({ conversation: 'x' }, { fromMe: true }, extra);
    expect(foldedStatus(own({ status: S.SERVER_ACK }))).toBeUndefined();
    expect(foldedStatus(own({ status: S.DELIVERY_ACK }))).toBe('delivered');
    expect(foldedStatus(own({ status: S.SERVER_ACK, userReceipt: [{ userJid: 'a', receiptTimestamp: 1 }] }))).toBe('delivered');
    expect(foldedStatus(own({ userReceipt: [{ userJid: 'a', receiptTimestamp: 1 }, { userJid: 'b', readTimestamp: 2 }] }))).toBe('read');
    expect(foldedStatus(msg({ conversation: 'x' }, {}, { status: S.READ }))).toBeUndefined();
  });
  it('builds Baileys content with mimetypes', () => {
    const data = Buffer.from('x');
    expect(toContent({ type: 'text', text: 'hi' })).toEqual({ text: 'hi' });
    expect(toContent({ type: 'document', media: { data, mimetype: 'application/pdf' }, fileName: 'a.pdf' })).toMatchObject({ document: data, mimetype: 'application/pdf', fileName: 'a.pdf' });
    expect(toContent({ type: 'image', media: { data, mimetype: 'image/png' }, caption: 'c' })).toMatchObject({ image: data, mimetype: 'image/png', caption: 'c' });
    expect(toContent({ type: 'location', latitude: 1, longitude: 2 })).toEqual({ location: { degreesLatitude: 1, degreesLongitude: 2 } });
    expect(toContent({ type: 'audio', media: { data, mimetype: 'audio/ogg; codecs=opus' }, ptt: true })).toEqual({ audio: data, mimetype: 'audio/ogg; codecs=opus', ptt: true });
    expect(vcardNumber(contactVcard('A', '+1 555 0100'))).toBe('15550100');
  });
});
