import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../helpers/bridge.js';
import { FakeWhatsAppServer, nodes, trustFakeRoot } from '../helpers/fake-wa-server.js';

let bridge: TestBridge | undefined;
let wa: FakeWhatsAppServer;
beforeAll(() => trustFakeRoot());
afterEach(async () => { await bridge?.stop(); await wa?.stop(); bridge = undefined; });

describe('Baileys driver against a fake WhatsApp endpoint', () => {
  it('registers a new session and shows the QR WhatsApp offers', async () => {
    wa = new FakeWhatsAppServer();
    await wa.start();
    wa.onLogin = async (conn) => { if (conn.isRegistration) await conn.send(nodes.pairDevice(['REF-ONE', 'REF-TWO'])); };
    bridge = await startBridge({ env: { BRIDGE_DRIVER: 'baileys', WA_WEBSOCKET_URL: wa.url, LOG_LEVEL: 'silent' } });
    const res = await bridge.call('POST', '/sessions', { sessionId: 'b1' });
    expect(res.status).toBe(201);
    expect(res.body.data.status).toBe('qr_waiting');
    expect(res.body.data.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(wa.connections[0]?.isRegistration).toBe(true);
  });
});
