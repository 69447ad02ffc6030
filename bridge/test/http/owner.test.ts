/** Messages the owner types on the phone are reported (fromMe); our own sends never are. */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectedSession, startBridge, type TestBridge } from '../helpers/bridge.js';
import { accepted, startSink, type WebhookSink } from '../helpers/webhook-sink.js';

let bridge: TestBridge | undefined;
let sink: WebhookSink | undefined;
afterEach(async () => { await bridge?.stop(); await sink?.close(); bridge = undefined; sink = undefined; });

const send = (text: string, headers?: Record<string, string>) =>
  (bridge as TestBridge).call('POST', '/sessions/s1/messages', { to: '5511988887777', type: 'text', text }, headers);

describe('owner messages (fromMe)', () => {
  it('POST /simulator/.../owner is reported as message.received with fromMe and a stable webhook-id', async () => {
    sink = await startSink();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url } });
    await connectedSession(bridge);
    const res = await bridge.call('POST', '/simulator/sessions/s1/owner', { to: '5511988887777', text: 'I will handle this one', messageId: 'OWNER1' });
    expect(res.status).toBe(200);
    await bridge.call('POST', '/simulator/sessions/s1/owner', { to: '5511988887777', text: 'again', messageId: 'OWNER1' });
    await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '5511988887777', text: 'same id, from the contact', messageId: 'OWNER1' });
    const got = accepted(await sink.waitFor((r) => accepted(r, 'message.received').length === 3), 'message.received');
    expect(got[0]?.json.data).toMatchObject({
      from: '5511988887777@s.whatsapp.net', to: '5511900000001:1@s.whatsapp.net', messageId: 'OWNER1', fromMe: true, type: 'text', text: 'I will handle this one', isGroup: false,
    });
    expect(got[0]?.headers['webhook-id']).toBe(got[1]?.headers['webhook-id']);
    expect(got[2]?.headers['webhook-id']).not.toBe(got[0]?.headers['webhook-id']);
    expect(got[2]?.json.data.fromMe).toBeUndefined();
    expect((await bridge.call('POST', '/simulator/sessions/s1/owner', { text: 'no chat' })).status).toBe(400);
  });

  it('never reports our own sends, which the simulator echoes back as fromMe like WhatsApp', async () => {
    sink = await startSink();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url } });
    await connectedSession(bridge);
    const ids = [];
    for (const text of ['one', 'two']) ids.push((await send(text)).body.data.messageId);
    ids.push((await send('three', { 'idempotency-key': 'k3' })).body.data.messageId);
    await sink.waitFor((r) => accepted(r, 'message.sent').length === 3 && accepted(r, 'message.status').length === 3);
    await bridge.call('POST', '/simulator/sessions/s1/owner', { to: '5511988887777', text: 'a real owner message' });
    const received = accepted(await sink.waitFor((r) => accepted(r, 'message.received').length >= 1), 'message.received');
    await bridge.app.dispatcher.idle();
    expect(received.map((r) => r.json.data.text)).toEqual(['a real owner message']);
    expect(ids).toHaveLength(3);
  });

  it('remembers its sends across a restart, so a late echo is still not taken for the owner', async () => {
    sink = await startSink();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url } });
    await connectedSession(bridge);
    const messageId = (await send('before restart')).body.data.messageId as string;
    const { dataDir } = bridge;
    await bridge.stop();
    bridge = await startBridge({ dataDir, env: { WEBHOOK_URL: sink.url } });
    await bridge.app.manager.record('s1').waitFor((r) => r.meta.status === 'connected', 5_000);
    await bridge.call('POST', '/simulator/sessions/s1/owner', { to: '5511988887777', text: 'before restart', messageId });
    await bridge.call('POST', '/simulator/sessions/s1/owner', { to: '5511988887777', text: 'typed by the owner', messageId: 'OWNER2' });
    const received = accepted(await sink.waitFor((r) => accepted(r, 'message.received').length >= 1), 'message.received');
    await bridge.app.dispatcher.idle();
    expect(received.map((r) => r.json.data.messageId)).toEqual(['OWNER2']);
  });
});

describe('the send journal closes the crash window of Idempotency-Key', () => {
  it('a key left without a result by a crash is retried with the same WhatsApp id', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    const { dataDir } = bridge;
    await bridge.stop();
    // what a process killed after WhatsApp took the message, before it wrote the result, leaves
    await appendFile(join(dataDir, 's1', 'sends.jsonl'), `${JSON.stringify({ id: '3EB0CRASHED000001', at: Date.now(), key: 'reply-42' })}\n`);
    bridge = await startBridge({ dataDir });
    await bridge.app.manager.record('s1').waitFor((r) => r.meta.status === 'connected', 5_000);
    const first = await send('hello', { 'idempotency-key': 'reply-42' });
    expect(first.body.data.messageId).toBe('3EB0CRASHED000001');
    expect((await send('hello', { 'idempotency-key': 'reply-42' })).body.data.messageId).toBe('3EB0CRASHED000001');
    const outbox = (await bridge.call('GET', '/simulator/sessions/s1/outbox')).body.data;
    expect(outbox.map((m: { messageId: string }) => m.messageId)).toEqual(['3EB0CRASHED000001']);
  });

  it('reads the idempotency.json of earlier versions', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    const { dataDir } = bridge;
    await bridge.stop();
    await mkdir(join(dataDir, 's1'), { recursive: true });
    await writeFile(join(dataDir, 's1', 'idempotency.json'), JSON.stringify({ old: { result: { messageId: '3EB0OLD', timestamp: 1, status: 'sent' }, at: Date.now() } }));
    bridge = await startBridge({ dataDir });
    await bridge.app.manager.record('s1').waitFor((r) => r.meta.status === 'connected', 5_000);
    expect((await send('x', { 'idempotency-key': 'old' })).body.data).toEqual({ messageId: '3EB0OLD', timestamp: 1, status: 'sent' });
    expect((await bridge.call('GET', '/simulator/sessions/s1/outbox')).body.data).toEqual([]);
  });
});
