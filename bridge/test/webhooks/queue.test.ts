import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, connectedSession, startBridge, type TestBridge } from '../helpers/bridge.js';
import { accepted, startSink, type WebhookSink } from '../helpers/webhook-sink.js';

let bridge: TestBridge | undefined;
let sink: WebhookSink | undefined;
afterEach(async () => { await bridge?.stop(); await sink?.close(); bridge = undefined; sink = undefined; });

const fastRetry = { WEBHOOK_BACKOFF_BASE_MS: '20', WEBHOOK_BACKOFF_MAX_MS: '40' };
const queued = async (dataDir: string, sessionId: string): Promise<string[]> =>
  (await readdir(join(dataDir, '.webhooks', sessionId)).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));

describe('durable webhook queue', () => {
  it('keeps undelivered events on disk across a restart and then delivers them in order', async () => {
    sink = await startSink(503);
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url, ...fastRetry } });
    await connectedSession(bridge);
    for (let i = 0; i < 5; i++) await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '5511988887777', text: `m${i}` });
    await sink.waitFor((r) => r.length >= 2);
    await bridge.stop();
    const dataDir = bridge.dataDir;
    const files = await queued(dataDir, 's1');
    expect(files.length).toBeGreaterThanOrEqual(9);
    const head = JSON.parse(await readFile(join(dataDir, '.webhooks', 's1', files.sort()[0] as string), 'utf8'));
    expect(head.attempts).toBeGreaterThanOrEqual(1);

    sink.status = 200;
    bridge = await startBridge({ dataDir, env: { WEBHOOK_URL: sink.url, ...fastRetry } });
    const all = await sink.waitFor((r) => accepted(r, 'message.received').filter((x) => x.json.data.text?.startsWith('m')).length === 5);
    const texts = accepted(all, 'message.received').map((r) => r.json.data.text);
    expect(texts).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    const firstTypes = accepted(all).slice(0, 3).map((r) => r.json.eventType);
    expect(firstTypes).toEqual(['session.status', 'session.qr', 'session.status']);
    await bridge.app.dispatcher.idle();
    expect(await queued(dataDir, 's1')).toEqual([]);
  });

  it('retries with backoff in order per session, and other sessions are not blocked', async () => {
    sink = await startSink(500);
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url, ...fastRetry } });
    await bridge.call('POST', '/sessions', { sessionId: 'a' });
    await sink.waitFor((r) => r.length >= 3);
    sink.status = 200;
    await bridge.call('POST', '/sessions', { sessionId: 'b' });
    const all = await sink.waitFor((r) => accepted(r).filter((x) => x.json.sessionId === 'a').length === 3 && accepted(r).some((x) => x.json.sessionId === 'b'));
    const a = accepted(all).filter((x) => x.json.sessionId === 'a').map((x) => x.json.eventType);
    expect(a).toEqual(['session.status', 'session.qr', 'session.status']);
    const rejectedIds = all.filter((r) => r.json.rejected).map((r) => r.headers['webhook-id']);
    expect(new Set(rejectedIds).size).toBe(1);
  });

  it('dead-letters after the retry window and shows failures on GET /events without contents', async () => {
    sink = await startSink(500);
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url, WEBHOOK_RETRY_WINDOW_MS: '60', ...fastRetry } });
    await connectedSession(bridge);
    await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '5511988887777', text: 'secret text' });
    await bridge.app.dispatcher.idle();
    const dead = (await readFile(join(bridge.dataDir, '.webhooks', 'dead-letter.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(dead.map((d) => d.eventType)).toContain('message.received');
    expect(dead.every((d) => d.attempts >= 1 && d.lastError === 'HTTP 500')).toBe(true);
    expect(await queued(bridge.dataDir, 's1')).toEqual([]);

    const open = await bridge.call('GET', '/events?limit=500', undefined, { noauth: '1' });
    expect(open.status).toBe(200);
    const rows = open.body.data.deliveries as Array<Record<string, unknown>>;
    expect(rows.some((r) => r.outcome === 'dead' && r.eventType === 'message.received')).toBe(true);
    expect(rows.some((r) => r.outcome === 'retrying' && r.httpStatus === 500)).toBe(true);
    expect(JSON.stringify(open.body)).not.toContain('secret text');
    expect((await bridge.call('GET', '/events?contents=true', undefined, { noauth: '1' })).status).toBe(401);
    expect((await bridge.call('GET', '/events?contents=true', undefined, { 'x-api-key': 'wrong' })).status).toBe(401);
    const withKey = await bridge.call('GET', '/events?contents=true&sessionId=s1', undefined, { 'x-api-key': API_KEY });
    expect(JSON.stringify(withKey.body)).toContain('secret text');
    expect((await bridge.call('GET', '/events?limit=0')).status).toBe(400);
    expect((await bridge.call('GET', '/events?sessionId=../x')).status).toBe(400);
  });

  it('records deliveries and pending counts', async () => {
    sink = await startSink(200);
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url } });
    await bridge.call('POST', '/sessions', { sessionId: 's1' });
    await bridge.app.dispatcher.idle();
    const res = await bridge.call('GET', '/events');
    expect(res.body.data.pending).toEqual({});
    expect(res.body.data.deliveries[0]).toMatchObject({ sessionId: 's1', outcome: 'delivered', httpStatus: 200, attempts: 1 });
    expect(res.body.data.deliveries[0].body).toBeUndefined();
  });

  it('queues nothing without WEBHOOK_URL', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    expect(await queued(bridge.dataDir, 's1')).toEqual([]);
  });
});
