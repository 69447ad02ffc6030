import { decodeMessageNode, type BinaryNode, type WAMessage } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { senderAddressing } from '../../src/drivers/addressing.js';
import { toInbound } from '../../src/drivers/baileys/inbound.js';

const OWN = '5511900000001:7@s.whatsapp.net';
const OWN_LID = '99887766554433:7@lid';
const PN = '5511988887777@s.whatsapp.net';
const LID = '204060801234567@lid';

/**
 * A message as Baileys 7 delivers it: the key is built by Baileys' own decodeMessageNode from
 * a stanza with the addressing attributes WhatsApp sends; only the decrypted content is set here.
 */
function delivered(attrs: Record<string, string>, text = 'hi'): WAMessage {
  const stanza: BinaryNode = { tag: 'message', attrs: { id: 'ID1', t: '1700000000', type: 'text', notify: 'Ana', ...attrs } };
  const { fullMessage } = decodeMessageNode(stanza, OWN, OWN_LID);
  return { ...fullMessage, message: { conversation: text } };
}

describe('the sender\'s other JID, from a Baileys 7 message key', () => {
  it('an @lid sender with its phone JID reports senderAlt, senderPn and senderLid', () => {
    const msg = delivered({ from: LID, addressing_mode: 'lid', sender_pn: PN });
    expect(msg.key.remoteJidAlt).toBe(PN); // what Baileys itself put in the key
    expect(toInbound(msg, OWN, OWN_LID)).toMatchObject({ from: LID, senderAlt: PN, senderPn: PN, senderLid: LID, type: 'text', text: 'hi' });
  });

  it('a phone sender with its LID reports the LID as senderAlt', () => {
    const msg = delivered({ from: PN, sender_lid: LID });
    expect(toInbound(msg, OWN, OWN_LID)).toMatchObject({ from: PN, senderAlt: LID, senderPn: PN, senderLid: LID });
  });

  it('in a group the participant\'s other form (participantAlt) is reported', () => {
    const msg = delivered({ from: '120363025555555555@g.us', participant: LID, addressing_mode: 'lid', participant_pn: PN });
    expect(msg.key.participantAlt).toBe(PN);
    expect(toInbound(msg, OWN, OWN_LID)).toMatchObject({ from: '120363025555555555@g.us', participant: LID, senderAlt: PN, senderPn: PN, senderLid: LID });
  });

  it('without an alternative none of the fields is sent', () => {
    const m = toInbound(delivered({ from: LID, addressing_mode: 'lid' }), OWN, OWN_LID);
    expect(m).toBeDefined();
    for (const field of ['senderAlt', 'senderPn', 'senderLid']) expect(m).not.toHaveProperty(field);
    expect(JSON.parse(JSON.stringify(m))).not.toHaveProperty('senderAlt');
  });

  it('the owner\'s messages report the chat\'s other form, never the account\'s own', () => {
    // typed on the phone to a contact: the stanza names the recipient's phone JID as peer_recipient_pn
    const toContact = delivered({ from: '99887766554433:3@lid', recipient: LID, addressing_mode: 'lid', peer_recipient_pn: PN });
    expect(toContact.key.fromMe).toBe(true);
    expect(toInbound(toContact, OWN, OWN_LID)).toMatchObject({ from: LID, fromMe: true, senderAlt: PN, senderPn: PN, senderLid: LID });
    // the stanza's sender is the account, and its alt is the account's own LID: not the chat's
    const own = delivered({ from: '5511900000001:3@s.whatsapp.net', recipient: PN, sender_lid: '99887766554433@lid' });
    expect(own.key.remoteJidAlt).toBe('99887766554433@lid');
    expect(toInbound(own, OWN, OWN_LID)).toMatchObject({ from: PN, fromMe: true });
    expect(toInbound(own, OWN, OWN_LID)).not.toHaveProperty('senderAlt');
    expect(toInbound(toContact, OWN, undefined)).not.toHaveProperty('senderAlt'); // own LID unknown: not trusted
  });
});

describe('senderAddressing', () => {
  it('pairs a phone JID with a LID, without devices', () => {
    expect(senderAddressing('204060801234567:2@lid', '5511988887777:2@s.whatsapp.net')).toEqual({ senderAlt: PN, senderPn: PN, senderLid: LID });
    expect(senderAddressing(PN, LID)).toEqual({ senderAlt: LID, senderPn: PN, senderLid: LID });
  });

  it('gives nothing for a missing alt, two forms of one kind, or anything that is not a user JID', () => {
    expect(senderAddressing(LID, undefined)).toEqual({});
    expect(senderAddressing(LID, null)).toEqual({});
    expect(senderAddressing(PN, '5511911111111@s.whatsapp.net')).toEqual({});
    expect(senderAddressing(LID, '120363@g.us')).toEqual({});
    expect(senderAddressing(LID, 'not a jid')).toEqual({});
    expect(senderAddressing(PN, '99887766554433@lid', [OWN, OWN_LID])).toEqual({});
  });
});
