/** Inbound media of every kind through the simulator, and GET /sessions/{id}/media/{messageId}. */
import { afterEach, describe, expect, it } from 'vitest';
import { patternByte } from '../../src/media/pattern.js';
import { API_KEY, connectedSession, startBridge, type TestBridge } from '../helpers/bridge.js';
import { accepted, startSink, type WebhookSink } from '../helpers/webhook-sink.js';

let bridge: TestBridge | undefined;
let sink: WebhookSink | undefined;
afterEach(async () => { await bridge?.stop(); await sink?.close(); bridge = undefined; sink = undefined; });

const inbound = (body: Record<string, unknown>) => (bridge as TestBridge).call('POST', '/simulator/sessions/s1/inbound', { from: '5511988887777', ...body });
const media = (id: string) => fetch(`${(bridge as TestBridge).url}/sessions/s1/media/${id}`, { headers: { 'x-api-key': API_KEY } });

describe('inbound media (simulator)', () => {
  it('reports every kind with the contract fields', async () => {
    sink = await startSink();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url } });
    await connectedSession(bridge);
    const sent = [
      { type: 'image', mediaBase64: Buffer.from('img').toString('base64'), mimetype: 'image/png', caption: 'look' },
      { type: 'audio', mediaSize: 5000, ptt: true, seconds: 4 },
      { type: 'video', mediaSize: 10, seconds: 2, caption: 'clip' },
      { type: 'document', mediaSize: 300, mimetype: 'application/pdf', fileName: 'invoice.pdf' },
      { type: 'sticker', mediaSize: 40 },
      { type: 'location', location: { latitude: -23.5, longitude: -46.6, name: 'Office', address: 'Av. Paulista' } },
      { type: 'contact', contact: { name: 'Bob', number: '5511912345678' } },
      { type: 'reaction', reaction: { emoji: '❤️', messageId: '3EB0ABC' } },
    ];
    for (const body of sent) expect((await inbound(body)).status, JSON.stringify(body)).toBe(200);
    const data = accepted(await sink.waitFor((r) => accepted(r, 'message.received').length === sent.length), 'message.received').map((r) => r.json.data);
    const ref = { hasMedia: true, media: { mediaId: expect.any(String) } };
    expect(data[0]).toMatchObject({ type: 'image', caption: 'look', mimetype: 'image/png', fileLength: 3, ...ref });
    expect(data[1]).toMatchObject({ type: 'audio', ptt: true, seconds: 4, mimetype: 'audio/ogg; codecs=opus', fileLength: 5000, ...ref });
    expect(data[2]).toMatchObject({ type: 'video', seconds: 2, caption: 'clip', mimetype: 'video/mp4', fileLength: 10, ...ref });
    expect(data[3]).toMatchObject({ type: 'document', fileName: 'invoice.pdf', mimetype: 'application/pdf', fileLength: 300, ...ref });
    expect(data[4]).toMatchObject({ type: 'sticker', mimetype: 'image/webp', fileLength: 40, ...ref });
    expect(data[5]).toMatchObject({ type: 'location', location: { latitude: -23.5, longitude: -46.6, name: 'Office', address: 'Av. Paulista' } });
    expect(data[6]).toMatchObject({ type: 'contact', contact: { name: 'Bob', number: '5511912345678' } });
    expect(data[7]).toMatchObject({ type: 'reaction', reaction: { emoji: '❤️', messageId: '3EB0ABC' } });
    for (const d of data.slice(5)) expect(d.hasMedia).toBeUndefined();
    expect(JSON.stringify(data)).not.toMatch(/mediaKey|directPath/);
  });

  it('refuses malformed media, location, contact and reaction data with 400', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    for (const body of [
      { type: 'image', mediaSize: -1 }, { type: 'gif' }, { type: 'location', location: { latitude: 100, longitude: 0 } },
      { type: 'contact', contact: { name: 'x' } }, { type: 'reaction', reaction: { emoji: 'x', messageId: 'bad id' } },
    ]) expect((await inbound(body)).status, JSON.stringify(body)).toBe(400);
  });

  it('serves the bytes with content type, length and file name', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    const pdf = Buffer.from('%PDF-1.4\n%fake\n');
    const id = (await inbound({ type: 'document', mediaBase64: pdf.toString('base64'), mimetype: 'application/pdf', fileName: 'menu "v2".pdf' })).body.data.media.mediaId;
    const res = await media(id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-length')).toBe(String(pdf.length));
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="menu _v2_.pdf"');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(pdf);
    const missing = await media('NOPE123');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ status: 'error', error: 'no media for message NOPE123' });
    expect((await fetch(`${bridge.url}/sessions/s1/media/${id}`)).status).toBe(401);
  });

  it('streams a generated 100 MB file: every byte follows the pattern, the length is announced', async () => {
    bridge = await startBridge({ env: { MEDIA_DOWNLOAD_MAX_BYTES: String(200 * 1024 * 1024) } });
    await connectedSession(bridge);
    const size = 100_000_000;
    const id = (await inbound({ type: 'video', mediaSize: size, mimetype: 'video/mp4' })).body.data.media.mediaId;
    const res = await media(id);
    expect(res.headers.get('content-length')).toBe(String(size));
    let offset = 0;
    let wrong = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      for (let i = 0; i < chunk.length; i += 4099) if (chunk[i] !== patternByte(offset + i)) wrong++;
      offset += chunk.length;
    }
    expect(offset).toBe(size);
    expect(wrong).toBe(0);
  });

  it('refuses a file above MEDIA_DOWNLOAD_MAX_BYTES with 413, before sending any byte', async () => {
    bridge = await startBridge({ env: { MEDIA_DOWNLOAD_MAX_BYTES: '1000' } });
    await connectedSession(bridge);
    const small = (await inbound({ type: 'image', mediaSize: 1000 })).body.data.media.mediaId;
    const big = (await inbound({ type: 'image', mediaSize: 1001 })).body.data.media.mediaId;
    expect((await media(small)).status).toBe(200);
    const res = await media(big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/1001 bytes, more than MEDIA_DOWNLOAD_MAX_BYTES \(1000\)/);
  });
});
