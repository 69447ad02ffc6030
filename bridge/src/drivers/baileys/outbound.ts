/** Maps a driver message to Baileys' message content. */
import type { AnyMessageContent } from '@whiskeysockets/baileys';
import type { OutboundMessage } from '../driver.js';

export function contactVcard(name: string, number: string): string {
  const digits = number.replace(/[^\d]/g, '');
  return ['BEGIN:VCARD', 'VERSION:3.0', `FN:${name.replace(/[\r\n]/g, ' ')}`, `TEL;type=CELL;type=VOICE;waid=${digits}:+${digits}`, 'END:VCARD'].join('\n');
}

export function toContent(message: OutboundMessage): AnyMessageContent {
  switch (message.type) {
    case 'text':
      return { text: message.text };
    case 'location':
      return {
        location: {
          degreesLatitude: message.latitude, degreesLongitude: message.longitude,
          ...(message.name ? { name: message.name } : {}), ...(message.address ? { address: message.address } : {}),
        },
      };
    case 'contact':
      return { contacts: { displayName: message.contactName, contacts: [{ vcard: contactVcard(message.contactName, message.contactNumber) }] } };
    case 'image':
      return { image: message.media.data, ...(message.caption ? { caption: message.caption } : {}), ...(message.media.mimetype ? { mimetype: message.media.mimetype } : {}) };
    case 'video':
      return { video: message.media.data, ...(message.caption ? { caption: message.caption } : {}), ...(message.media.mimetype ? { mimetype: message.media.mimetype } : {}) };
    case 'audio':
      return { audio: message.media.data, mimetype: message.media.mimetype ?? 'audio/mpeg', ...(message.ptt ? { ptt: true } : {}) };
    case 'document':
      return {
        document: message.media.data, mimetype: message.media.mimetype ?? 'application/octet-stream', fileName: message.fileName ?? 'file',
        ...(message.caption ? { caption: message.caption } : {}),
      };
  }
}
