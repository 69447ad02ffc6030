import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DriverEvent } from '../../src/drivers/driver.js';
import { baileysDriver, count, openProbe, writeLinkedCreds, type DriverProbe } from '../helpers/baileys.js';
import { tempDir } from '../helpers/bridge.js';
import { FakeWhatsAppServer, nodes, trustFakeRoot } from '../helpers/fake-wa-server.js';

let wa: FakeWhatsAppServer;
let probe: DriverProbe | undefined;
let authDir: string;
beforeAll(() => trustFakeRoot());
beforeEach(async () => {
  wa = new FakeWhatsAppServer();
  await wa.start();
  authDir = join(await tempDir(), 'auth');
});
afterEach(async () => { await probe?.session.close(); probe = undefined; await wa.stop(); });

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);
const disconnects = (events: DriverEvent[]) => events.flatMap((e) => (e.kind === 'disconnected' ? [e.info] : []));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('BaileysConnection lifecycle (fake WhatsApp over a local WebSocket)', () => {
  it('emits each QR WhatsApp offers, then reconnects for a fresh one when the refs run out (408)', async () => {
    wa.onLogin = async (conn) => { await conn.send(nodes.pairDevice(wa.connections.length === 1 ? ['REF-A', 'REF-B'] : ['REF-C'])); };
    probe = openProbe(baileysDriver(wa.url, { baseMs: 20, maxMs: 40 }, { qrTimeout: 60 }), authDir);
    await probe.waitFor((e) => count(e, 'qr') >= 3);
    const refs = probe.events.flatMap((e) => (e.kind === 'qr' ? [e.qr.split('#')[1]?.split(',')[0]] : []));
    expect(refs.slice(0, 3)).toEqual(['REF-A', 'REF-B', 'REF-C']);
    expect(disconnects(probe.events)[0]).toMatchObject({ statusCode: 408, willReconnect: true, loggedOut: false });
    expect(wa.connections.length).toBeGreaterThanOrEqual(2);
  });

  it('reconnects after every close with capped, growing, jittered backoff', async () => {
    const at: number[] = [];
    wa.onLogin = (conn) => { at.push(Date.now()); conn.close(); };
    probe = openProbe(baileysDriver(wa.url, { baseMs: 40, maxMs: 160 }), authDir);
    await probe.waitFor(() => at.length >= 5, 8_000);
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    // waits are drawn from [d/2, d] with d = 40, 80, 160, 160 ms
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[2]).toBeGreaterThanOrEqual(78);
    expect(gaps[3]).toBeGreaterThanOrEqual(78);
    expect(Math.max(...gaps)).toBeLessThan(1_500);
    for (const info of disconnects(probe.events)) expect(info).toMatchObject({ statusCode: 428, willReconnect: true });
  });

  it('restarts at once on 515 (restart required), without waiting for the backoff', async () => {
    wa.onLogin = async (conn) => { if (wa.connections.length === 1) await conn.send(nodes.streamError(515)); else await conn.send(nodes.pairDevice(['R'])); };
    probe = openProbe(baileysDriver(wa.url, { baseMs: 60_000, maxMs: 60_000 }), authDir);
    await probe.waitFor((e) => count(e, 'qr') === 1, 3_000);
    expect(disconnects(probe.events)[0]).toMatchObject({ statusCode: 515, willReconnect: true });
    expect(wa.connections).toHaveLength(2);
  });

  it('on 401 moves to logged out, clears credentials and does not retry', async () => {
    await writeLinkedCreds(authDir);
    wa.onLogin = async (conn) => { await conn.send(nodes.failure(401)); };
    probe = openProbe(baileysDriver(wa.url, { baseMs: 10, maxMs: 20 }), authDir);
    await probe.waitFor((e) => count(e, 'disconnected') === 1);
    expect(disconnects(probe.events)[0]).toMatchObject({ statusCode: 401, loggedOut: true, willReconnect: false });
    expect(wa.connections[0]?.isRegistration).toBe(false);
    expect(await exists(join(authDir, 'creds.json'))).toBe(false);
    await sleep(150);
    expect(wa.connections).toHaveLength(1);
  });

  it('stops on 440 (connection replaced) instead of fighting the other client', async () => {
    wa.onLogin = async (conn) => { await conn.send(nodes.streamError(440)); };
    probe = openProbe(baileysDriver(wa.url, { baseMs: 10, maxMs: 20 }), authDir);
    await probe.waitFor((e) => count(e, 'disconnected') === 1);
    expect(disconnects(probe.events)[0]).toMatchObject({ statusCode: 440, willReconnect: false, loggedOut: false });
    await sleep(150);
    expect(wa.connections).toHaveLength(1);
  });

  it('logs in with stored credentials and reports the account; logout unlinks the device', async () => {
    await writeLinkedCreds(authDir, '5511999990000:3@s.whatsapp.net');
    wa.onLogin = async (conn) => { await conn.send(nodes.success()); };
    probe = openProbe(baileysDriver(wa.url), authDir);
    await probe.waitFor((e) => count(e, 'connected') === 1);
    expect(probe.events.find((e) => e.kind === 'connected')).toMatchObject({ phoneNumber: '5511999990000', name: 'Shop' });
    expect(wa.connections[0]?.payload?.username?.toString()).toBe('5511999990000');
    await probe.session.logout();
    const conn = wa.connections[0];
    await probe.waitFor(() => Boolean(conn?.received.some((n) => Array.isArray(n.content) && n.content.some((c) => c.tag === 'remove-companion-device'))));
    expect(disconnects(probe.events).at(-1)).toMatchObject({ statusCode: 401, loggedOut: true });
    expect(await exists(join(authDir, 'creds.json'))).toBe(false);
  });

  it('asks WhatsApp for a pairing code while waiting for a scan', async () => {
    wa.onLogin = async (conn) => { await conn.send(nodes.pairDevice(['R1'])); };
    probe = openProbe(baileysDriver(wa.url), authDir);
    await probe.waitFor((e) => count(e, 'qr') === 1);
    const code = await probe.session.requestPairingCode('5511988887777');
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    const findReg = () => wa.connections[0]?.received.flatMap((n) => (Array.isArray(n.content) ? n.content : [])).find((c) => c.tag === 'link_code_companion_reg');
    await probe.waitFor(() => findReg() !== undefined);
    expect(findReg()?.attrs.jid).toBe('5511988887777@s.whatsapp.net');
  });
});
