/** GET /metrics: Prometheus text with the names the alert rules use, and values that move. */
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, connectedSession, startBridge, type TestBridge } from '../helpers/bridge.js';
import { startSink, type WebhookSink } from '../helpers/webhook-sink.js';

let bridge: TestBridge | undefined;
let sink: WebhookSink | undefined;
afterEach(async () => { await bridge?.stop(); await sink?.close(); bridge = undefined; sink = undefined; });

/** The value of one sample, e.g. `wa_bridge_sessions{status="connected"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(): Promise<string> {
  const res = await (bridge as TestBridge).call('GET', '/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body as string;
}

describe('GET /metrics', () => {
  it('needs the API key', async () => {
    bridge = await startBridge();
    expect((await bridge.call('GET', '/metrics', undefined, { noauth: '1' })).status).toBe(401);
  });

  it('exposes the contract names and default process metrics, and their values move', async () => {
    sink = await startSink(500);
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url, WEBHOOK_BACKOFF_BASE_MS: '20', WEBHOOK_BACKOFF_MAX_MS: '40' } });
    let text = await scrape();
    for (const name of ['wa_bridge_sessions', 'wa_bridge_reconnects_total', 'wa_bridge_webhook_queue_depth', 'wa_bridge_webhook_queue_oldest_age_seconds',
      'wa_bridge_webhook_delivery_failures_total', 'wa_bridge_messages_total', 'process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes']) {
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
    expect(sample(text, 'wa_bridge_sessions{status="connected"}')).toBe(0);
    expect(sample(text, 'wa_bridge_messages_total{direction="inbound"}')).toBe(0);

    await connectedSession(bridge);
    await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '5511988887777', text: 'hi' });
    await bridge.call('POST', '/sessions/s1/messages', { to: '5511988887777', type: 'text', text: 'hello' });
    await bridge.call('POST', '/simulator/sessions/s1/disconnect', { statusCode: 428 });
    await bridge.app.manager.record('s1').waitFor((r) => r.meta.status === 'connected', 5_000);
    await sink.waitFor((r) => r.length >= 3);
    await new Promise((r) => setTimeout(r, 30));

    text = await scrape();
    expect(sample(text, 'wa_bridge_sessions{status="connected"}')).toBe(1);
    expect(sample(text, 'wa_bridge_messages_total{direction="inbound"}')).toBe(1);
    expect(sample(text, 'wa_bridge_messages_total{direction="outbound"}')).toBe(1);
    expect(sample(text, 'wa_bridge_reconnects_total')).toBe(1);
    expect(sample(text, 'wa_bridge_webhook_delivery_failures_total')).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'wa_bridge_webhook_queue_depth{session="s1"}')).toBeGreaterThan(5);
    expect(sample(text, 'wa_bridge_webhook_queue_oldest_age_seconds{session="s1"}')).toBeGreaterThan(0);

    sink.status = 200;
    await bridge.app.dispatcher.idle();
    text = await scrape();
    expect(sample(text, 'wa_bridge_webhook_queue_depth{session="s1"}')).toBe(0);
    expect(sample(text, 'wa_bridge_webhook_queue_oldest_age_seconds{session="s1"}')).toBe(0);
  });

  it('with METRICS_PORT also serves /metrics on its own port, without the API key', async () => {
    bridge = await startBridge({ env: { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' } });
    const url = bridge.app.metricsUrl as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^wa_bridge_sessions\{status="qr_waiting"\} 0$/m);
    expect((await fetch(`${url}/sessions`)).status).toBe(404);
    expect((await bridge.call('GET', '/metrics', undefined, { 'x-api-key': API_KEY })).status).toBe(200);
  });
});
