import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookSigner } from '../../src/webhooks/signer.js';
import { connectedSession, startBridge, type TestBridge } from '../helpers/bridge.js';
import { accepted, startSink, type Received, type WebhookSink } from '../helpers/webhook-sink.js';

const newSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;
const headersOf = (r: Received): Record<string, string> => r.headers as Record<string, string>;

let bridge: TestBridge | undefined;
let sink: WebhookSink | undefined;
afterEach(async () => { await bridge?.stop(); await sink?.close(); bridge = undefined; sink = undefined; });

describe('WebhookSigner', () => {
  it('produces signatures the standardwebhooks package accepts', () => {
    const secret = newSecret();
    const body = JSON.stringify({ hello: 'wörld' });
    const ts = Math.floor(Date.now() / 1000);
    const signature = new WebhookSigner([secret]).sign('msg_1', ts, body) as string;
    const payload = new Webhook(secret).verify(body, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': signature });
    expect(payload).toEqual({ hello: 'wörld' });
    expect(() => new Webhook(newSecret()).verify(body, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': signature })).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': signature })).toThrow();
  });

  it('matches a hand-written HMAC of "id.timestamp.body" keyed by the decoded secret', () => {
    const raw = randomBytes(32);
    const signature = new WebhookSigner([`whsec_${raw.toString('base64')}`]).sign('evt_x', 1700000000, '{}');
    const expected = createHmac('sha256', raw).update('evt_x.1700000000.{}').digest('base64');
    expect(signature).toBe(`v1,${expected}`);
  });

  it('signs with both secrets during rotation, space-separated', () => {
    const [oldSecret, newer] = [newSecret(), newSecret()];
    const ts = Math.floor(Date.now() / 1000);
    const signature = new WebhookSigner([oldSecret, newer]).sign('id', ts, 'body') as string;
    expect(signature.split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newer]) {
      expect(() => new Webhook(secret).verify('body', { 'webhook-id': 'id', 'webhook-timestamp': String(ts), 'webhook-signature': signature }, { jsonParse: false })).not.toThrow();
    }
    expect(new WebhookSigner([]).sign('id', ts, 'body')).toBeUndefined();
  });
});

describe('webhook delivery', () => {
  it('delivers every session event signed, with X-Webhook-Event and the zapw envelope', async () => {
    sink = await startSink();
    const secret = newSecret();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url, WEBHOOK_SECRET: secret } });
    await connectedSession(bridge, 's1', '5511900000001');
    await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '5511988887777', text: 'hi', pushName: 'Ana' });
    const sent = await bridge.call('POST', '/sessions/s1/messages', { to: '5511988887777', type: 'text', text: 'yo' });
    await bridge.call('POST', '/simulator/sessions/s1/status', { messageId: sent.body.data.messageId, status: 'read' });
    await bridge.call('POST', '/simulator/sessions/s1/disconnect', { statusCode: 401 });
    const all = await sink.waitFor((r) => accepted(r, 'session.status').some((x) => x.json.data.status === 'logged_out'));
    const types = all.map((r) => r.json.eventType);
    expect(types).toEqual(expect.arrayContaining(['session.qr', 'session.status', 'session.connected', 'message.received', 'message.sent', 'message.status', 'session.disconnected']));
    const verifier = new Webhook(secret);
    for (const r of all) {
      expect(r.headers['x-webhook-event']).toBe(r.json.eventType);
      expect(Math.abs(Number(r.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      expect(verifier.verify(r.body, headersOf(r))).toEqual(r.json);
      expect(r.json).toMatchObject({ sessionId: 's1', timestamp: expect.any(Number), data: expect.any(Object) });
    }
    const connected = accepted(all, 'session.connected')[0]?.json;
    expect(connected.data).toEqual({ phoneNumber: '5511900000001', name: 'Shop' });
    const qr = accepted(all, 'session.qr')[0]?.json;
    expect(qr.data.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(qr.origin).toBe('s1');
    const received = accepted(all, 'message.received')[0]?.json;
    expect(received.origin).toBe('5511900000001');
    expect(received.data).toMatchObject({ from: '5511988887777@s.whatsapp.net', to: '5511900000001:1@s.whatsapp.net', type: 'text', text: 'hi', isGroup: false, pushName: 'Ana' });
    expect(accepted(all, 'message.status').map((r) => r.json.data.status)).toEqual(expect.arrayContaining(['sent', 'read']));
    const disconnected = accepted(all, 'session.disconnected')[0]?.json;
    expect(disconnected.data.reason).toMatchObject({ shouldReconnect: false, error: { output: { statusCode: 401 } } });
    const statuses = accepted(all, 'session.status').map((r) => r.json.data.status);
    expect(statuses).toEqual(['connecting', 'qr_waiting', 'connected', 'logged_out']);
  });

  it('gives a redelivered message the same webhook-id (derived from the message key)', async () => {
    sink = await startSink();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url } });
    await connectedSession(bridge);
    for (const from of ['5511988887777', '5511988887777', '5511911112222']) {
      await bridge.call('POST', '/simulator/sessions/s1/inbound', { from, text: 'x', messageId: 'ABC123' });
    }
    const msgs = accepted(await sink.waitFor((r) => accepted(r, 'message.received').length === 3), 'message.received');
    const ids = msgs.map((r) => r.headers['webhook-id']);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[0]).toMatch(/^msg_/);
    const others = accepted(sink.received).filter((r) => r.json.eventType !== 'message.received').map((r) => r.headers['webhook-id']);
    expect(new Set(others).size).toBe(others.length);
  });

  it('sends no signature header without a secret, but the other headers', async () => {
    sink = await startSink();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url } });
    await bridge.call('POST', '/sessions', { sessionId: 's1' });
    const [first] = await sink.waitFor((r) => r.length > 0);
    expect(first?.headers['webhook-signature']).toBeUndefined();
    expect(first?.headers['webhook-id']).toMatch(/^evt_/);
  });
});
