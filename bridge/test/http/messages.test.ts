import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorDriver } from '../../src/drivers/simulator/driver.js';
import { connectedSession, startBridge, type TestBridge } from '../helpers/bridge.js';

let bridge: TestBridge;
let server: Server | undefined;
afterEach(async () => {
  await bridge?.stop();
  if (server) { server.closeAllConnections(); await new Promise((r) => server?.close(r)); server = undefined; }
});

const send = (body: unknown, headers?: Record<string, string>) => bridge.call('POST', '/sessions/s1/messages', body, headers);
const outbox = async () => (await bridge.call('GET', '/simulator/sessions/s1/outbox')).body.data as Array<Record<string, any>>;

async function mediaServer(handler: (res: import('node:http').ServerResponse) => void): Promise<string> {
  server = createServer((_req, res) => handler(res));
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/file`;
}

describe('POST /sessions/{id}/messages', () => {
  it('sends text and answers with the zapw shape', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    const res = await send({ to: '+55 11 98888-7777', type: 'text', text: 'hello' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'success', data: { messageId: expect.any(String), timestamp: expect.any(Number), status: 'sent' } });
    const [sent] = await outbox();
    expect(sent).toMatchObject({ to: '5511988887777@s.whatsapp.net', message: { type: 'text', text: 'hello' }, messageId: res.body.data.messageId });
  });

  it('accepts group and @lid JIDs, refuses malformed recipients', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    expect((await send({ to: '120363025555555555@g.us', type: 'text', text: 'g' })).status).toBe(200);
    expect((await send({ to: '123456789012345@lid', type: 'text', text: 'l' })).status).toBe(200);
    expect((await outbox()).map((m) => m.to)).toEqual(['120363025555555555@g.us', '123456789012345@lid']);
    expect((await send({ to: 'someone@evil.com', type: 'text', text: 'x' })).status).toBe(400);
    expect((await send({ to: 'abc', type: 'text', text: 'x' })).status).toBe(400);
  });

  it('answers 400 for a missing field or an unknown type, 404 for an unknown session, 409 when not linked', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    for (const body of [
      { to: '5511999999', type: 'text' },
      { type: 'text', text: 'x' },
      { to: '5511999999', text: 'x' },
      { to: '5511999999', type: 'sticker', text: 'x' },
      { to: '5511999999', type: 'image' },
      { to: '5511999999', type: 'image', mediaBase64: '!!!' },
      { to: '5511999999', type: 'location', latitude: 1 },
      { to: '5511999999', type: 'location', latitude: 100, longitude: 1 },
      { to: '5511999999', type: 'contact', contactName: 'A' },
    ]) {
      const res = await send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual({ status: 'error', error: expect.any(String) });
    }
    expect((await send('{not json')).status).toBe(400);
    expect((await bridge.call('POST', '/sessions/nope/messages', { to: '5511999999', type: 'text', text: 'x' })).status).toBe(404);
    await bridge.call('POST', '/sessions', { sessionId: 'pending' });
    expect((await bridge.call('POST', '/sessions/pending/messages', { to: '5511999999', type: 'text', text: 'x' })).status).toBe(409);
    expect(await outbox()).toEqual([]);
  });

  it('sends media from base64 with the given mimetype, location and contact', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    const data = Buffer.from('%PDF-1.4 fake').toString('base64');
    expect((await send({ to: '5511999999', type: 'document', mediaBase64: data, mimetype: 'application/pdf', fileName: 'a.pdf', caption: 'c' })).status).toBe(200);
    expect((await send({ to: '5511999999', type: 'location', latitude: -23.5, longitude: -46.6, name: 'Office' })).status).toBe(200);
    expect((await send({ to: '5511999999', type: 'contact', contactName: 'Ana', contactNumber: '+55 11 91234-5678' })).status).toBe(200);
    const voice = Buffer.from('OggS fake voice').toString('base64');
    expect((await send({ to: '5511999999', type: 'audio', mediaBase64: voice, mimetype: 'audio/ogg; codecs=opus', ptt: true }, { 'idempotency-key': 'v1' })).status).toBe(200);
    expect((await send({ to: '5511999999', type: 'image', mediaBase64: `data:image/png;base64,${data}`, caption: 'pic' })).status).toBe(200);
    const [doc, loc, contact, audio, image] = await outbox();
    expect(doc?.message).toMatchObject({ type: 'document', mimetype: 'application/pdf', mediaBytes: 13, fileName: 'a.pdf', caption: 'c' });
    expect(audio?.message).toMatchObject({ type: 'audio', mimetype: 'audio/ogg; codecs=opus', ptt: true, mediaBytes: 15 });
    expect(image?.message).toMatchObject({ type: 'image', mimetype: 'image/png', caption: 'pic', mediaBytes: 13 });
    expect(loc?.message).toMatchObject({ type: 'location', latitude: -23.5, longitude: -46.6, name: 'Office' });
    expect(contact?.message).toMatchObject({ type: 'contact', contactName: 'Ana' });
  });

  it('refuses a mediaUrl on a private or loopback address', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    for (const mediaUrl of ['http://127.0.0.1:1/x.jpg', 'http://10.0.0.1/x.jpg', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://localhost:1/x', 'file:///etc/passwd']) {
      const res = await send({ to: '5511999999', type: 'image', mediaUrl });
      expect(res.status, mediaUrl).toBe(400);
    }
    expect(await outbox()).toEqual([]);
  });

  it('fetches a mediaUrl within the size cap and time limit (private addresses allowed for this test)', async () => {
    const url = await mediaServer((res) => { res.setHeader('content-type', 'image/png'); res.end(Buffer.alloc(100, 1)); });
    bridge = await startBridge({ env: { MEDIA_FETCH_ALLOW_PRIVATE: 'true', MEDIA_MAX_BYTES: '150', MEDIA_FETCH_TIMEOUT_MS: '300' } });
    await connectedSession(bridge);
    expect((await send({ to: '5511999999', type: 'image', mediaUrl: url })).status).toBe(200);
    expect((await outbox())[0]?.message).toMatchObject({ mimetype: 'image/png', mediaBytes: 100 });
  });

  it('refuses a mediaUrl that is too big or too slow', async () => {
    let mode = 'big';
    const url = await mediaServer((res) => {
      if (mode === 'big') { res.write(Buffer.alloc(100)); res.end(Buffer.alloc(100)); } else { res.write('x'); }
    });
    bridge = await startBridge({ env: { MEDIA_FETCH_ALLOW_PRIVATE: 'true', MEDIA_MAX_BYTES: '150', MEDIA_FETCH_TIMEOUT_MS: '200' } });
    await connectedSession(bridge);
    const big = await send({ to: '5511999999', type: 'image', mediaUrl: url });
    expect(big.status).toBe(400);
    expect(big.body.error).toMatch(/size/);
    mode = 'slow';
    const slow = await send({ to: '5511999999', type: 'image', mediaUrl: url });
    expect(slow.status).toBe(400);
    expect(slow.body.error).toMatch(/timed out/);
  });

  it('with the same Idempotency-Key returns the first result and sends nothing more', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    const body = { to: '5511999999', type: 'text', text: 'once' };
    const [a, b] = await Promise.all([send(body, { 'idempotency-key': 'k1' }), send(body, { 'idempotency-key': 'k1' })]);
    const c = await send(body, { 'idempotency-key': 'k1' });
    expect(a.body.data.messageId).toBe(b.body.data.messageId);
    expect(c.body.data).toEqual(a.body.data);
    expect(await outbox()).toHaveLength(1);
    await send(body, { 'idempotency-key': 'k2' });
    expect(await outbox()).toHaveLength(2);
    // a session deleted and created again under the same id starts with no keys
    expect((await bridge.call('DELETE', '/sessions/s1')).status).toBe(204);
    await connectedSession(bridge);
    expect((await send(body, { 'idempotency-key': 'k2' })).body.data.messageId).not.toBe(a.body.data.messageId);
    expect(await outbox()).toHaveLength(1);
    const e = await send(body, { 'idempotency-key': 'k1' });
    expect(e.body.data.messageId).not.toBe(a.body.data.messageId);
    // the key survives a restart
    await bridge.stop();
    bridge = await startBridge({ dataDir: bridge.dataDir });
    await bridge.app.manager.record('s1').waitFor((r) => r.meta.status === 'connected', 2_000);
    const d = await send(body, { 'idempotency-key': 'k1' });
    expect(d.body.data).toEqual(e.body.data);
    expect(await outbox()).toHaveLength(0);
  });

  it('enforces the body limits with 413: BODY_LIMIT_BYTES, and MESSAGE_BODY_LIMIT_BYTES for sends', async () => {
    bridge = await startBridge({ env: { BODY_LIMIT_BYTES: '1000', MESSAGE_BODY_LIMIT_BYTES: '1500' } });
    await connectedSession(bridge);
    expect((await send({ to: '5511999999', type: 'text', text: 'x'.repeat(1200) })).status).toBe(200);
    const res = await send({ to: '5511999999', type: 'text', text: 'x'.repeat(2000) });
    expect(res.status).toBe(413);
    expect(res.body.status).toBe('error');
    expect((await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '5511988887777', text: 'x'.repeat(1200) })).status).toBe(413);
  });

  it('takes a 16 MiB document as base64 with the default limits, with its Idempotency-Key', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    const file = Buffer.alloc(16 * 1024 * 1024, 7);
    const body = { to: '5511999999', type: 'document', mediaBase64: file.toString('base64'), mimetype: 'application/pdf', fileName: 'big.pdf', caption: 'all of it' };
    const first = await send(body, { 'idempotency-key': 'big-1' });
    expect(first.status).toBe(200);
    expect((await send(body, { 'idempotency-key': 'big-1' })).body.data.messageId).toBe(first.body.data.messageId);
    const sent = await outbox();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.message).toMatchObject({
      type: 'document', mediaBytes: file.length, mimetype: 'application/pdf', fileName: 'big.pdf', caption: 'all of it',
      mediaSha256: createHash('sha256').update(file).digest('hex'),
    });
    const tooBig = await send({ ...body, mediaBase64: Buffer.alloc(16 * 1024 * 1024 + 1).toString('base64') });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error).toMatch(/size limit/);
  });
});

describe('presence, read receipts, media download', () => {
  it('sends presence and read receipts', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    expect((await bridge.call('POST', '/sessions/s1/presence', { to: '5511999999', state: 'composing' })).status).toBe(200);
    expect((await bridge.call('POST', '/sessions/s1/presence', { to: '5511999999', state: 'dancing' })).status).toBe(400);
    expect((await bridge.call('POST', '/sessions/s1/presence', { state: 'paused' })).status).toBe(400);
    expect((await bridge.call('POST', '/sessions/s1/read', { from: '5511999999@s.whatsapp.net', messageIds: ['A1', 'A2'] })).status).toBe(200);
    expect((await bridge.call('POST', '/sessions/s1/read', { from: '5511999999', messageIds: [] })).status).toBe(400);
    expect((await bridge.call('POST', '/sessions/nope/read', { from: '5511999999', messageIds: ['A'] })).status).toBe(404);
    expect((await bridge.call('POST', '/sessions/nope/presence', { to: '5511999999', state: 'paused' })).status).toBe(404);
    const activity = (await bridge.call('GET', '/simulator/sessions/s1/activity')).body.data;
    expect(activity.presence).toMatchObject([{ to: '5511999999@s.whatsapp.net', state: 'composing' }]);
    expect(activity.reads).toMatchObject([{ from: '5511999999@s.whatsapp.net', messageIds: ['A1', 'A2'] }]);
  });

  it('downloads inbound media with its content type; 404 for unknown messages', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const inbound = await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '5511999999', type: 'image', mediaBase64: bytes.toString('base64'), mimetype: 'image/png', caption: 'pic' });
    const id = inbound.body.data.media.mediaId as string;
    const res = await fetch(`${bridge.url}/sessions/s1/media/${id}`, { headers: { 'x-api-key': 'test-key-123' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect((await bridge.call('GET', '/sessions/s1/media/UNKNOWN')).status).toBe(404);
    expect((await bridge.call('GET', '/sessions/s1/media/bad.id')).status).toBe(400);
    expect((await bridge.call('GET', '/sessions/nope/media/X')).status).toBe(404);
    const sim = bridge.app.driver as SimulatorDriver;
    expect(sim.session('s1')).toBeDefined();
  });
});

describe('CORS', () => {
  it('is off by default and on for configured origins only', async () => {
    bridge = await startBridge();
    const off = await bridge.call('GET', '/sessions', undefined, { origin: 'http://app.example' });
    expect(off.headers.get('access-control-allow-origin')).toBeNull();
    await bridge.stop();
    bridge = await startBridge({ env: { CORS_ORIGINS: 'http://app.example' } });
    const on = await bridge.call('GET', '/sessions', undefined, { origin: 'http://app.example' });
    expect(on.headers.get('access-control-allow-origin')).toBe('http://app.example');
    const other = await bridge.call('GET', '/sessions', undefined, { origin: 'http://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
