import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatorDriver } from '../../src/drivers/simulator/driver.js';
import { API_KEY, connectedSession, startBridge, type TestBridge } from '../helpers/bridge.js';

let bridge: TestBridge;
afterEach(async () => { await bridge?.stop(); });

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

describe('health and auth', () => {
  it('GET /health is open and has the zapw shape', async () => {
    bridge = await startBridge();
    const res = await bridge.call('GET', '/health', undefined, { noauth: '1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', service: 'wa-agents-bridge' });
    expect(typeof res.body.uptime).toBe('number');
    expect(new Date(res.body.timestamp).toString()).not.toBe('Invalid Date');
  });

  it('requires the API key everywhere else, by Bearer or X-API-Key', async () => {
    bridge = await startBridge();
    expect((await bridge.call('GET', '/sessions', undefined, { noauth: '1' })).status).toBe(401);
    const wrong = await bridge.call('GET', '/sessions', undefined, { 'x-api-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ status: 'error', error: expect.any(String) });
    expect((await bridge.call('GET', '/sessions', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await bridge.call('GET', '/sessions', undefined, { authorization: `Bearer ${API_KEY}` })).status).toBe(200);
    expect((await bridge.call('GET', '/sessions', undefined, { 'x-api-key': API_KEY })).status).toBe(200);
  });

  it('lets everything through when BRIDGE_API_KEY_DISABLED=true', async () => {
    bridge = await startBridge({ env: { API_KEY: '', BRIDGE_API_KEY_DISABLED: 'true' } });
    expect((await bridge.call('GET', '/sessions', undefined, { noauth: '1' })).status).toBe(200);
  });

  it('answers unknown routes with the error envelope', async () => {
    bridge = await startBridge();
    const res = await bridge.call('GET', '/nope');
    expect(res.status).toBe(404);
    expect(res.body.status).toBe('error');
  });
});

describe('session lifecycle', () => {
  it('creates a session with a QR (201), refuses a duplicate (409), lists and gets it', async () => {
    bridge = await startBridge();
    const created = await bridge.call('POST', '/sessions', { sessionId: 'shop-1' });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('success');
    expect(created.body.data).toMatchObject({ id: 'shop-1', status: 'qr_waiting' });
    expect(created.body.data.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(Date.parse(created.body.data.qrExpiresAt)).toBeGreaterThan(Date.now());
    expect((await bridge.call('POST', '/sessions', { sessionId: 'shop-1' })).status).toBe(409);
    const list = await bridge.call('GET', '/sessions');
    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual(['shop-1']);
    const one = await bridge.call('GET', '/sessions/shop-1');
    expect(one.body.data.id).toBe('shop-1');
    expect((await bridge.call('GET', '/sessions/other')).status).toBe(404);
  });

  it('refuses invalid ids with 400 and never touches the file system for them', async () => {
    bridge = await startBridge();
    for (const sessionId of ['../x', 'a/b', '', 'x'.repeat(65), 'dot.ted', '..']) {
      const res = await bridge.call('POST', '/sessions', { sessionId });
      expect(res.status, sessionId).toBe(400);
      expect(res.body.status).toBe('error');
    }
    expect((await bridge.call('POST', '/sessions', {})).status).toBe(400);
    expect((await bridge.call('GET', '/sessions/%2E%2E%2Fetc')).status).toBe(400);
    expect((await bridge.call('DELETE', '/sessions/..%2F..%2Ftmp')).status).toBe(400);
    expect((await bridge.call('POST', '/sessions/..%2Fx/messages', { to: '551199', type: 'text', text: 'x' })).status).toBe(400);
    const entries = (await readdir(bridge.dataDir)).filter((e) => !e.startsWith('.'));
    expect(entries).toEqual([]);
    expect(await exists(join(bridge.dataDir, '..', 'x'))).toBe(false);
  });

  it('refreshes an expired QR on GET', async () => {
    // a QR that lives 400 ms: long enough to settle on a loaded machine, short enough to wait out
    bridge = await startBridge({ driver: new SimulatorDriver(400) });
    const created = await bridge.call('POST', '/sessions', { sessionId: 's1' });
    expect(created.body.data.status).toBe('qr_waiting');
    await new Promise((r) => setTimeout(r, 450));
    const res = await bridge.call('GET', '/sessions/s1');
    expect(res.body.data.status).toBe('qr_waiting');
    expect(res.body.data.qrCode).not.toBe(created.body.data.qrCode);
  });

  it('deletes a session (204), its folder too', async () => {
    bridge = await startBridge();
    await connectedSession(bridge, 's1');
    expect(await exists(join(bridge.dataDir, 's1', 'session.json'))).toBe(true);
    const res = await bridge.call('DELETE', '/sessions/s1');
    expect(res.status).toBe(204);
    expect(await exists(join(bridge.dataDir, 's1'))).toBe(false);
    expect((await bridge.call('GET', '/sessions/s1')).status).toBe(404);
    expect((await bridge.call('DELETE', '/sessions/s1')).status).toBe(404);
  });

  it('logout unlinks and clears credentials; reconnect then offers a new QR', async () => {
    bridge = await startBridge();
    await connectedSession(bridge, 's1');
    expect(await exists(join(bridge.dataDir, 's1', 'auth', 'sim-creds.json'))).toBe(true);
    const out = await bridge.call('POST', '/sessions/s1/logout');
    expect(out.status).toBe(200);
    expect(out.body.data.status).toBe('logged_out');
    expect(await exists(join(bridge.dataDir, 's1', 'auth', 'sim-creds.json'))).toBe(false);
    const again = await bridge.call('POST', '/sessions/s1/reconnect');
    expect(again.status).toBe(200);
    expect(again.body.data.status).toBe('qr_waiting');
    expect((await bridge.call('POST', '/sessions/nope/logout')).status).toBe(404);
    expect((await bridge.call('POST', '/sessions/nope/reconnect')).status).toBe(404);
  });

  it('reconnect of a linked session comes back connected', async () => {
    bridge = await startBridge();
    await connectedSession(bridge, 's1');
    const res = await bridge.call('POST', '/sessions/s1/reconnect');
    expect(res.body.data.status).toBe('connected');
  });

  it('gives a pairing code while waiting for a scan, 409 once connected, 400 for a bad number', async () => {
    bridge = await startBridge();
    await bridge.call('POST', '/sessions', { sessionId: 's1' });
    const code = await bridge.call('POST', '/sessions/s1/pairing-code', { phoneNumber: '+5511988887777' });
    expect(code.status).toBe(200);
    expect(code.body.data.pairingCode).toMatch(/^[A-Z0-9]{8}$/);
    expect((await bridge.call('POST', '/sessions/s1/pairing-code', { phoneNumber: 'abc' })).status).toBe(400);
    await bridge.call('POST', '/simulator/sessions/s1/scan', {});
    expect((await bridge.call('POST', '/sessions/s1/pairing-code', { phoneNumber: '5511988887777' })).status).toBe(409);
    expect((await bridge.call('POST', '/sessions/zz/pairing-code', { phoneNumber: '5511988887777' })).status).toBe(404);
  });
});

describe('restart', () => {
  it('restores sessions: linked ones reconnect, logged-out ones stay logged out', async () => {
    bridge = await startBridge();
    await connectedSession(bridge, 'linked');
    await connectedSession(bridge, 'gone');
    await bridge.call('POST', '/sessions/gone/logout');
    await bridge.stop();
    bridge = await startBridge({ dataDir: bridge.dataDir });
    await bridge.app.manager.record('linked').waitFor((r) => r.meta.status === 'connected', 2_000);
    const list = (await bridge.call('GET', '/sessions')).body.data as Array<{ id: string; status: string; phoneNumber?: string }>;
    expect(list.find((s) => s.id === 'linked')).toMatchObject({ status: 'connected', phoneNumber: '5511900000001' });
    expect(list.find((s) => s.id === 'gone')).toMatchObject({ status: 'logged_out' });
    expect(bridge.app.manager.record('gone').driver).toBeUndefined();
  });
});
