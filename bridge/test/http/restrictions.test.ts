/** Restriction-like refusals (rate limits, restricted and banned numbers) are reported distinctly (simulator). */
import { afterEach, describe, expect, it } from 'vitest';
import { connectedSession, startBridge, type TestBridge } from '../helpers/bridge.js';
import { accepted, startSink, type WebhookSink } from '../helpers/webhook-sink.js';

let bridge: TestBridge | undefined;
let sink: WebhookSink | undefined;
afterEach(async () => { await bridge?.stop(); await sink?.close(); bridge = undefined; sink = undefined; });

const send = (headers?: Record<string, string>) =>
  (bridge as TestBridge).call('POST', '/sessions/s1/messages', { to: '5511988887777', type: 'text', text: 'hi' }, headers);
const refuse = (reason: string, count = 1) => (bridge as TestBridge).call('POST', '/simulator/sessions/s1/refuse', { reason, count });
const statuses = (all: WebhookSink['received']) => accepted(all, 'session.status').map((r) => r.json.data);

describe('restriction-like refusals', () => {
  it('a rate-limited send answers 429 rate-limited with Retry-After, and session.status says why', async () => {
    sink = await startSink();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url, RATE_LIMIT_RETRY_AFTER_S: '90' } });
    await connectedSession(bridge);
    expect((await refuse('rate-limited')).status).toBe(200);
    const res = await send({ 'idempotency-key': 'k1' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('90');
    expect(res.body).toEqual({ status: 'error', error: 'rate-limited', detail: expect.stringMatching(/rate-overlimit/), waStatusCode: 429, retryAfter: 90 });
    const status = (await sink.waitFor((r) => statuses(r).some((s) => s.reason === 'rate-limited'))).map((r) => r.json.data).find((d) => d.reason === 'rate-limited');
    expect(status).toMatchObject({ status: 'connected', reason: 'rate-limited', statusCode: 429, messageId: expect.any(String), detail: expect.any(String) });
    const retry = await send({ 'idempotency-key': 'k1' });
    expect(retry.status).toBe(200);
    expect(retry.body.data.messageId).toBe(status.messageId);
  });

  it('a restricted number answers 403 restricted (WhatsApp error 463)', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    await refuse('restricted', 2);
    for (let i = 0; i < 2; i++) {
      const res = await send();
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ status: 'error', error: 'restricted', waStatusCode: 463 });
    }
    expect((await send()).status).toBe(200);
    expect((await bridge.call('GET', '/simulator/sessions/s1/outbox')).body.data).toHaveLength(1);
  });

  it('a ban (403 on the connection) stops reconnecting; sends answer 403 banned until a reconnect', async () => {
    sink = await startSink();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url } });
    await connectedSession(bridge);
    const dropped = await bridge.call('POST', '/simulator/sessions/s1/disconnect', { statusCode: 403 });
    expect(dropped.body.data).toMatchObject({ status: 'disconnected', reason: 'banned', statusCode: 403 });
    const status = statuses(await sink.waitFor((r) => statuses(r).some((s) => s.status === 'disconnected'))).find((s) => s.status === 'disconnected');
    expect(status).toMatchObject({ status: 'disconnected', reason: 'banned', statusCode: 403 });
    const disconnected = accepted(sink.received, 'session.disconnected')[0]?.json.data.reason;
    expect(disconnected).toMatchObject({ shouldReconnect: false, statusCode: 403, error: { output: { statusCode: 403 } } });
    await new Promise((r) => setTimeout(r, 50));
    expect((await bridge.call('GET', '/sessions/s1')).body.data.status).toBe('disconnected');
    const res = await send();
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'banned', waStatusCode: 403 });
    const back = await bridge.call('POST', '/sessions/s1/reconnect');
    expect(back.body.data.status).toBe('connected');
    expect(back.body.data.reason).toBeUndefined();
    expect((await send()).status).toBe(200);
  });

  it('a retryable close carries its reason too, and reconnects', async () => {
    sink = await startSink();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url } });
    await connectedSession(bridge);
    await bridge.call('POST', '/simulator/sessions/s1/disconnect', { statusCode: 428 });
    await bridge.app.manager.record('s1').waitFor((r) => r.meta.status === 'connected', 5_000);
    const all = statuses(await sink.waitFor((r) => statuses(r).filter((s) => s.status === 'connected').length >= 2));
    expect(all.find((s) => s.status === 'disconnected')).toMatchObject({ reason: 'connection-lost', statusCode: 428 });
    expect((await bridge.call('GET', '/sessions/s1')).body.data.reason).toBeUndefined();
  });
});
