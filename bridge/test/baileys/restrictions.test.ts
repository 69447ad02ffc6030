/** Restriction-like answers of WhatsApp, played by the fake endpoint, reach the caller and the webhook distinctly. */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { linkedDataDir } from '../helpers/baileys.js';
import { startBridge, type TestBridge } from '../helpers/bridge.js';
import { acceptLogin, FakeWhatsAppServer, nodes, trustFakeRoot } from '../helpers/fake-wa-server.js';
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

async function start(): Promise<void> {
  bridge = await startBridge({
    dataDir: await linkedDataDir(), env: { BRIDGE_DRIVER: 'baileys', WA_WEBSOCKET_URL: wa.url, WEBHOOK_URL: sink.url, RECONNECT_BACKOFF_BASE_MS: '20', RECONNECT_BACKOFF_MAX_MS: '40' },
  });
}

const send = () => (bridge as TestBridge).call('POST', '/sessions/b1/messages', { to: '5511988887777', type: 'text', text: 'hi' });
const statuses = () => accepted(sink.received, 'session.status').map((r) => r.json.data);

describe('restrictions over Baileys', () => {
  it('error 463 in the server ack: the send answers 403 restricted, session.status and message.status say so', async () => {
    wa.onLogin = acceptLogin;
    wa.ackError = () => '463';
    await start();
    await bridge!.app.manager.record('b1').waitFor((r) => r.meta.status === 'connected', 5_000);
    const res = await send();
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 'error', error: 'restricted', waStatusCode: 463, detail: expect.stringMatching(/463/) });
    await sink.waitFor((r) => accepted(r, 'session.status').some((s) => s.json.data.reason === 'restricted') && accepted(r, 'message.status').length >= 1);
    const restricted = statuses().filter((s) => s.reason === 'restricted');
    expect(restricted).toEqual([expect.objectContaining({ status: 'connected', reason: 'restricted', statusCode: 463, messageId: expect.any(String) })]);
    expect(accepted(sink.received, 'message.status')[0]?.json.data).toEqual({ messageId: restricted[0]?.messageId, status: 'failed', error: '463' });
    wa.ackError = () => undefined;
    expect((await send()).status).toBe(200);
  });

  it('rate-overlimit (429) from a query of the send: the send answers 429 rate-limited', async () => {
    wa.onLogin = acceptLogin;
    await start();
    await bridge!.app.manager.record('b1').waitFor((r) => r.meta.status === 'connected', 5_000);
    wa.answerIq = (iq) => (iq.attrs.xmlns === 'usync' ? nodes.iqError(429, 'rate-overlimit') : undefined);
    const res = await send();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(res.body).toMatchObject({ error: 'rate-limited', waStatusCode: 429, retryAfter: 60 });
    await sink.waitFor((r) => accepted(r, 'session.status').some((s) => s.json.data.reason === 'rate-limited'));
  });

  it('a 403 at login (banned) is reported as banned and not retried', async () => {
    wa.onLogin = async (conn) => { await conn.send(nodes.failure(403)); };
    await start();
    await bridge!.app.manager.record('b1').waitFor((r) => r.meta.status === 'disconnected', 5_000);
    await sink.waitFor((r) => accepted(r, 'session.status').some((s) => s.json.data.status === 'disconnected'));
    expect(statuses().find((s) => s.status === 'disconnected')).toMatchObject({ reason: 'banned', statusCode: 403 });
    await new Promise((r) => setTimeout(r, 200));
    expect(wa.connections).toHaveLength(1);
    const res = await send();
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('banned');
  });
});
