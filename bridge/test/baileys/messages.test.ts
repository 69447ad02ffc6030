/**
 * Messages over Baileys against the fake WhatsApp endpoint: every inbound kind, the owner's
 * messages from the phone, our own sends never coming back, inbound media downloaded from a
 * fake CDN and decrypted by Baileys, and media uploads.
 */
import { Agent } from 'node:https';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baileysDriver, linkedDataDir, waitNode } from '../helpers/baileys.js';
import { API_KEY, startBridge, type TestBridge } from '../helpers/bridge.js';
import { encryptMedia, FakeMediaServer } from '../helpers/fake-media.js';
import { acceptLogin, FakeWhatsAppServer, nodes, trustFakeRoot, type FakeConnection } from '../helpers/fake-wa-server.js';
import { accepted, startSink, type WebhookSink } from '../helpers/webhook-sink.js';

const OWNER = '5511999990000@s.whatsapp.net';
const CONTACT = '5511988887777@s.whatsapp.net';

let bridge: TestBridge | undefined;
let wa: FakeWhatsAppServer;
let cdn: FakeMediaServer;
let sink: WebhookSink;
beforeAll(() => trustFakeRoot());
beforeEach(async () => {
  wa = new FakeWhatsAppServer();
  await wa.start();
  wa.onLogin = acceptLogin;
  cdn = new FakeMediaServer();
  await cdn.start();
  sink = await startSink();
});
afterEach(async () => { await bridge?.stop(); bridge = undefined; await wa.stop(); await cdn.stop(); await sink.close(); });

const env = (extra: Record<string, string> = {}) => ({ BRIDGE_DRIVER: 'baileys', WA_WEBSOCKET_URL: wa.url, WEBHOOK_URL: sink.url, ...extra });
const received = (all = sink.received) => accepted(all, 'message.received').map((r) => r.json.data);

async function connect(dataDir?: string, extra?: Record<string, string>, overrides?: object): Promise<FakeConnection> {
  bridge = await startBridge({
    dataDir: dataDir ?? await linkedDataDir(), env: env(extra),
    ...(overrides ? { driver: baileysDriver(wa.url, undefined, overrides) } : {}),
  });
  await bridge.app.manager.record('b1').waitFor((r) => r.meta.status === 'connected', 5_000);
  return wa.connections.at(-1) as FakeConnection;
}

describe('inbound messages over Baileys', () => {
  it('reports every kind, offline ones too, and the owner writing from the phone', async () => {
    const conn = await connect();
    const from = { from: CONTACT, notify: 'Ana' };
    await conn.send(nodes.message({ id: 'T1', ...from }, { conversation: 'hello' }));
    await conn.send(nodes.message({ id: 'A1', ...from }, { audioMessage: { url: `${cdn.url}/a`, mediaKey: Buffer.alloc(32), mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 3, fileLength: 2048 } }));
    await conn.send(nodes.message({ id: 'S1', ...from }, { stickerMessage: { url: `${cdn.url}/s`, mediaKey: Buffer.alloc(32), mimetype: 'image/webp', fileLength: 700 } }));
    await conn.send(nodes.message({ id: 'L1', ...from }, { locationMessage: { degreesLatitude: -23.5, degreesLongitude: -46.6, name: 'Office' } }));
    await conn.send(nodes.message({ id: 'C1', ...from }, { contactMessage: { displayName: 'Bob', vcard: 'BEGIN:VCARD\nFN:Bob\nTEL;waid=5511912345678:+55 11 91234-5678\nEND:VCARD' } }));
    await conn.send(nodes.message({ id: 'R1', ...from }, { reactionMessage: { key: { remoteJid: CONTACT, fromMe: true, id: '3EB0OURS' }, text: '👍' } }));
    await conn.send(nodes.message({ id: 'OFF1', ...from, offline: '1' }, { conversation: 'sent while we were away' }));
    await conn.send(nodes.message({ id: 'OWN1', from: OWNER, recipient: CONTACT }, { deviceSentMessage: { destinationJid: CONTACT, message: { conversation: 'the owner answers' } } }));
    const data = received(await sink.waitFor((r) => accepted(r, 'message.received').length >= 8));
    const byId = Object.fromEntries(data.map((d) => [d.messageId, d]));
    expect(byId.T1).toMatchObject({ from: CONTACT, type: 'text', text: 'hello', pushName: 'Ana', isGroup: false });
    expect(byId.A1).toMatchObject({ type: 'audio', ptt: true, seconds: 3, fileLength: 2048, hasMedia: true, media: { mediaId: 'A1' } });
    expect(byId.S1).toMatchObject({ type: 'sticker', mimetype: 'image/webp', hasMedia: true });
    expect(byId.L1).toMatchObject({ type: 'location', location: { latitude: -23.5, longitude: -46.6, name: 'Office' } });
    expect(byId.C1).toMatchObject({ type: 'contact', contact: { name: 'Bob', number: '5511912345678' } });
    expect(byId.R1).toMatchObject({ type: 'reaction', reaction: { emoji: '👍', messageId: '3EB0OURS' } });
    expect(byId.OFF1).toMatchObject({ type: 'text', text: 'sent while we were away' });
    expect(byId.OWN1).toMatchObject({ from: CONTACT, fromMe: true, type: 'text', text: 'the owner answers' });
    expect(byId.T1.fromMe).toBeUndefined();
    expect(JSON.stringify(data)).not.toContain('mediaKey');
  });

  it('never reports our own sends: neither Baileys\' own echo nor a copy relayed from another device', async () => {
    const conn = await connect();
    const res = await bridge!.call('POST', '/sessions/b1/messages', { to: '5511988887777', type: 'text', text: 'from the API' });
    expect(res.status).toBe(200);
    const messageId = res.body.data.messageId as string;
    await waitNode(conn, (n) => n.tag === 'message' && n.attrs.id === messageId);
    await conn.send(nodes.message({ id: messageId, from: OWNER, recipient: CONTACT }, { deviceSentMessage: { destinationJid: CONTACT, message: { conversation: 'from the API' } } }));
    await conn.send(nodes.message({ id: 'OWN2', from: OWNER, recipient: CONTACT }, { deviceSentMessage: { destinationJid: CONTACT, message: { conversation: 'typed on the phone' } } }));
    await sink.waitFor((r) => accepted(r, 'message.received').length >= 1 && accepted(r, 'message.sent').length === 1);
    await bridge!.app.dispatcher.idle();
    expect(received().map((d) => d.messageId)).toEqual(['OWN2']);
  });
});

describe('inbound media over Baileys', () => {
  it('downloads from the CDN and decrypts while streaming, with type and length; after a restart too', async () => {
    const plain = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
    const { file, mediaKey } = await encryptMedia(plain, 'document');
    const url = cdn.put('/d/report.enc', file);
    const dataDir = await linkedDataDir();
    const conn = await connect(dataDir);
    await conn.send(nodes.message({ id: 'DOC1', from: CONTACT }, {
      documentMessage: { url, mediaKey, mimetype: 'application/pdf', fileName: 'report.pdf', fileLength: plain.length, caption: 'Q3' },
    }));
    const [doc] = received(await sink.waitFor((r) => accepted(r, 'message.received').length === 1));
    expect(doc).toMatchObject({ type: 'document', mimetype: 'application/pdf', fileName: 'report.pdf', fileLength: plain.length, caption: 'Q3', media: { mediaId: 'DOC1' } });
    const get = () => fetch(`${bridge!.url}/sessions/b1/media/DOC1`, { headers: { 'x-api-key': API_KEY } });
    let res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-length')).toBe(String(plain.length));
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="report.pdf"');
    expect(Buffer.from(await res.arrayBuffer()).equals(plain)).toBe(true);

    await bridge!.stop();
    await connect(dataDir);
    res = await get();
    expect(Buffer.from(await res.arrayBuffer()).equals(plain)).toBe(true);
    expect(cdn.downloads).toEqual(['/d/report.enc', '/d/report.enc']);
    expect((await bridge!.call('GET', '/sessions/b1/media/T1')).status).toBe(404);
  });

  it('refuses media above MEDIA_DOWNLOAD_MAX_BYTES with 413 without fetching it', async () => {
    const conn = await connect(undefined, { MEDIA_DOWNLOAD_MAX_BYTES: '1000' });
    await conn.send(nodes.message({ id: 'BIG1', from: CONTACT }, { videoMessage: { url: cdn.put('/v', Buffer.alloc(16)), mediaKey: Buffer.alloc(32), mimetype: 'video/mp4', fileLength: 5_000_000 } }));
    await sink.waitFor((r) => accepted(r, 'message.received').length === 1);
    const res = await bridge!.call('GET', '/sessions/b1/media/BIG1');
    expect(res.status).toBe(413);
    expect(cdn.downloads).toEqual([]);
  });
});

describe('outbound media over Baileys', () => {
  it('uploads a document to the media host WhatsApp names, then sends the message', async () => {
    await cdn.stop();
    cdn = new FakeMediaServer();
    await cdn.start({ https: true });
    wa.mediaHost = cdn.host;
    const conn = await connect(undefined, undefined, { fetchAgent: new Agent({ rejectUnauthorized: false }) });
    const pdf = Buffer.alloc(200_000, 1);
    const res = await bridge!.call('POST', '/sessions/b1/messages',
      { to: '5511988887777', type: 'document', mediaBase64: pdf.toString('base64'), mimetype: 'application/pdf', fileName: 'a.pdf', caption: 'here' },
      { 'idempotency-key': 'doc-1' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const wire = await waitNode(conn, (n) => n.tag === 'message' && n.attrs.id === res.body.data.messageId);
    expect(wire.attrs.to).toBe(CONTACT);
    expect(cdn.uploads).toHaveLength(1);
    expect(cdn.uploads[0]?.path).toMatch(/^\/mms\/document\//);
    // AES-CBC pads to the next 16 bytes, then a 10-byte MAC
    expect(cdn.uploads[0]?.bytes).toBe(Math.ceil((pdf.length + 1) / 16) * 16 + 10);
    const again = await bridge!.call('POST', '/sessions/b1/messages', { to: '5511988887777', type: 'document', mediaBase64: 'AA==' }, { 'idempotency-key': 'doc-1' });
    expect(again.body.data.messageId).toBe(res.body.data.messageId);
    expect(cdn.uploads).toHaveLength(1);
  });
});
