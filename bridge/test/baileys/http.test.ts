/** The HTTP API with the Baileys driver, against the fake WhatsApp endpoint. */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { BinaryNode } from '@whiskeysockets/baileys';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { linkedDataDir, waitNode } from '../helpers/baileys.js';
import { startBridge, type TestBridge } from '../helpers/bridge.js';
import { acceptLogin, FakeWhatsAppServer, nodes, trustFakeRoot, type FakeConnection } from '../helpers/fake-wa-server.js';
import { accepted, startSink, type WebhookSink } from '../helpers/webhook-sink.js';

let bridge: TestBridge | undefined;
let wa: FakeWhatsAppServer;
let sink: WebhookSink;
beforeAll(() => trustFakeRoot());
beforeEach(async () => {
  wa = new FakeWhatsAppServer();
  await wa.start();
  sink = await startSink();
});
afterEach(async () => { await bridge?.stop(); bridge = undefined; await wa.stop(); await sink.close(); });

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);
const env = () => ({ BRIDGE_DRIVER: 'baileys', WA_WEBSOCKET_URL: wa.url, WEBHOOK_URL: sink.url, RECONNECT_BACKOFF_BASE_MS: '20', RECONNECT_BACKOFF_MAX_MS: '40' });
const children = (n: BinaryNode): BinaryNode[] => (Array.isArray(n.content) ? n.content : []);

describe('HTTP API over Baileys', () => {
  it('restores a linked session on start and reconnects it', async () => {
    wa.onLogin = acceptLogin;
    bridge = await startBridge({ dataDir: await linkedDataDir(), env: env() });
    await bridge.app.manager.record('b1').waitFor((r) => r.meta.status === 'connected', 5_000);
    const res = await bridge.call('GET', '/sessions/b1');
    expect(res.body.data).toMatchObject({ status: 'connected', phoneNumber: '5511999990000' });
    const connected = accepted(await sink.waitFor((r) => accepted(r, 'session.connected').length === 1), 'session.connected');
    expect(connected[0]?.json.data.phoneNumber).toBe('5511999990000');
  });

  it('sends a message on the wire, then maps delivery and read receipts to message.status', async () => {
    wa.onLogin = acceptLogin;
    bridge = await startBridge({ dataDir: await linkedDataDir(), env: env() });
    await bridge.app.manager.record('b1').waitFor((r) => r.meta.status === 'connected', 5_000);
    const res = await bridge.call('POST', '/sessions/b1/messages', { to: '5511988887777', type: 'text', text: 'hi' }, { 'idempotency-key': 'once' });
    expect(res.status).toBe(200);
    const messageId = res.body.data.messageId as string;
    const conn = wa.connections[0] as FakeConnection;
    const wire = await waitNode(conn, (n) => n.tag === 'message');
    expect(wire.attrs).toMatchObject({ id: messageId, to: '5511988887777@s.whatsapp.net' });
    expect((await bridge.call('POST', '/sessions/b1/messages', { to: '5511988887777', type: 'text', text: 'hi' }, { 'idempotency-key': 'once' })).body.data.messageId).toBe(messageId);
    expect(conn.received.filter((n) => n.tag === 'message')).toHaveLength(1);

    const t = String(Math.floor(Date.now() / 1000));
    await conn.send({ tag: 'receipt', attrs: { id: messageId, from: '5511988887777@s.whatsapp.net', t } });
    await sink.waitFor((r) => accepted(r, 'message.status').length >= 1);
    await conn.send({ tag: 'receipt', attrs: { id: messageId, from: '5511988887777@s.whatsapp.net', t, type: 'read' } });
    const statuses = accepted(await sink.waitFor((r) => accepted(r, 'message.status').length >= 2), 'message.status').map((r) => r.json.data);
    expect(statuses).toEqual([{ messageId, status: 'delivered' }, { messageId, status: 'read' }]);
    expect(accepted(sink.received, 'message.sent')[0]?.json.data.messageId).toBe(messageId);
  });

  it('reports group receipts (per participant) as message.status', async () => {
    wa.onLogin = acceptLogin;
    bridge = await startBridge({ dataDir: await linkedDataDir(), env: env() });
    await bridge.app.manager.record('b1').waitFor((r) => r.meta.status === 'connected', 5_000);
    const res = await bridge.call('POST', '/sessions/b1/messages', { to: '120363025555555555@g.us', type: 'text', text: 'hi all' });
    expect(res.status).toBe(200);
    const messageId = res.body.data.messageId as string;
    const conn = wa.connections[0] as FakeConnection;
    await waitNode(conn, (n) => n.tag === 'message');
    await sink.waitFor((r) => accepted(r, 'message.sent').length === 1);
    const attrs = { id: messageId, from: '120363025555555555@g.us', participant: '5511977776666@s.whatsapp.net', t: String(Math.floor(Date.now() / 1000)) };
    await conn.send({ tag: 'receipt', attrs: { ...attrs, type: 'read' } });
    const statuses = accepted(await sink.waitFor((r) => accepted(r, 'message.status').length >= 1), 'message.status').map((r) => r.json.data);
    expect(statuses).toEqual([{ messageId, status: 'read' }]);
  });

  it('sends presence and read receipts on the wire', async () => {
    wa.onLogin = acceptLogin;
    bridge = await startBridge({ dataDir: await linkedDataDir(), env: env() });
    await bridge.app.manager.record('b1').waitFor((r) => r.meta.status === 'connected', 5_000);
    expect((await bridge.call('POST', '/sessions/b1/presence', { to: '5511988887777', state: 'composing' })).status).toBe(200);
    expect((await bridge.call('POST', '/sessions/b1/read', { from: '5511988887777', messageIds: ['ABCD1'] })).status).toBe(200);
    const conn = wa.connections[0] as FakeConnection;
    const chat = await waitNode(conn, (n) => n.tag === 'chatstate');
    expect(chat.attrs.to).toBe('5511988887777@s.whatsapp.net');
    expect(children(chat)[0]?.tag).toBe('composing');
    // 'read-self' when the account's privacy settings turn read receipts off (the fake returns none)
    const receipt = await waitNode(conn, (n) => n.tag === 'receipt' && ['read', 'read-self'].includes(n.attrs.type ?? ''));
    expect(receipt.attrs).toMatchObject({ id: 'ABCD1', to: '5511988887777@s.whatsapp.net' });
    expect((await bridge.call('GET', '/sessions/b1/media/NOPE')).status).toBe(404);
  });

  it('logout unlinks the device on the wire and clears credentials', async () => {
    wa.onLogin = acceptLogin;
    const dataDir = await linkedDataDir();
    bridge = await startBridge({ dataDir, env: env() });
    await bridge.app.manager.record('b1').waitFor((r) => r.meta.status === 'connected', 5_000);
    const res = await bridge.call('POST', '/sessions/b1/logout');
    expect(res.body.data.status).toBe('logged_out');
    await waitNode(wa.connections[0] as FakeConnection, (n) => children(n).some((c) => c.tag === 'remove-companion-device'));
    expect(await exists(join(dataDir, 'b1', 'auth', 'creds.json'))).toBe(false);
    expect((await bridge.call('POST', '/sessions/b1/messages', { to: '5511988887777', type: 'text', text: 'x' })).status).toBe(409);
  });

  it('a 401 from WhatsApp shows as logged_out with session.disconnected carrying the status code', async () => {
    wa.onLogin = async (conn) => { await conn.send(nodes.failure(401)); };
    bridge = await startBridge({ dataDir: await linkedDataDir(), env: env() });
    await bridge.app.manager.record('b1').waitFor((r) => r.meta.status === 'logged_out', 5_000);
    const ev = accepted(await sink.waitFor((r) => accepted(r, 'session.disconnected').length === 1), 'session.disconnected')[0];
    expect(ev?.json.data.reason).toMatchObject({ shouldReconnect: false, error: { output: { statusCode: 401 } } });
    expect((await bridge.call('GET', '/sessions/b1')).body.data.status).toBe('logged_out');
  });

  it('creates a session, gives its QR and a pairing code', async () => {
    wa.onLogin = async (conn) => { await conn.send(nodes.pairDevice(['R1', 'R2'])); };
    bridge = await startBridge({ env: env() });
    const created = await bridge.call('POST', '/sessions', { sessionId: 'fresh' });
    expect(created.body.data).toMatchObject({ status: 'qr_waiting', qrCode: expect.stringMatching(/^data:image\/png;base64,/) });
    const code = await bridge.call('POST', '/sessions/fresh/pairing-code', { phoneNumber: '5511988887777' });
    expect(code.status).toBe(200);
    expect(code.body.data.pairingCode).toMatch(/^[A-Z0-9]{8}$/);
    expect(accepted(await sink.waitFor((r) => accepted(r, 'session.qr').length >= 1), 'session.qr')[0]?.json.data.qrExpiresAt).toBeDefined();
    expect((await bridge.call('DELETE', '/sessions/fresh')).status).toBe(204);
  });
});
