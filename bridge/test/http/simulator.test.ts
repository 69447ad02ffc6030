import { afterEach, describe, expect, it } from 'vitest';
import { connectedSession, startBridge, type TestBridge } from '../helpers/bridge.js';
import { accepted, startSink, type WebhookSink } from '../helpers/webhook-sink.js';

let bridge: TestBridge | undefined;
let sink: WebhookSink | undefined;
afterEach(async () => { await bridge?.stop(); await sink?.close(); bridge = undefined; sink = undefined; });

describe('/simulator routes', () => {
  it('scan links a waiting session once; a second scan is 409', async () => {
    bridge = await startBridge();
    await bridge.call('POST', '/sessions', { sessionId: 's1' });
    const res = await bridge.call('POST', '/simulator/sessions/s1/scan', { phoneNumber: '5511977776666', name: 'Bakery' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'connected', phoneNumber: '5511977776666', name: 'Bakery' });
    expect(res.body.data.qrCode).toBeUndefined();
    expect((await bridge.call('POST', '/simulator/sessions/s1/scan', {})).status).toBe(409);
    expect((await bridge.call('POST', '/simulator/sessions/nope/scan', {})).status).toBe(404);
    expect((await bridge.call('POST', '/simulator/sessions/s1/scan', { phoneNumber: 'x' })).status).toBe(400);
  });

  it('inbound plays a WhatsApp user: text, media and groups reach the webhook', async () => {
    sink = await startSink();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url } });
    await connectedSession(bridge);
    expect((await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '5511988887777', text: 'hello' })).status).toBe(200);
    await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '120363025555555555@g.us', text: 'group hi' });
    await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '5511988887777', type: 'document', mediaBase64: 'AAEC', mimetype: 'application/pdf', fileName: 'f.pdf' });
    const msgs = accepted(await sink.waitFor((r) => accepted(r, 'message.received').length === 3), 'message.received').map((r) => r.json.data);
    expect(msgs[0]).toMatchObject({ type: 'text', text: 'hello', isGroup: false });
    expect(msgs[1]).toMatchObject({ isGroup: true, groupId: '120363025555555555@g.us' });
    expect(msgs[2]).toMatchObject({ type: 'document', hasMedia: true, fileName: 'f.pdf', mimetype: 'application/pdf', fileLength: 3, media: { mediaId: expect.any(String) } });
    expect((await bridge.call('POST', '/simulator/sessions/s1/inbound', { text: 'no from' })).status).toBe(400);
    expect((await bridge.call('POST', '/simulator/sessions/nope/inbound', { from: '1', text: 'x' })).status).toBe(404);
  });

  it('inbound from a LID contact with its phone JID: the webhook body carries senderAlt, senderPn and senderLid', async () => {
    sink = await startSink();
    bridge = await startBridge({ env: { WEBHOOK_URL: sink.url } });
    await connectedSession(bridge);
    const lid = '204060801234567@lid', pn = '5511988887777@s.whatsapp.net';
    const res = await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: lid, senderAlt: '5511988887777', text: 'hi as a LID' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ from: lid, senderAlt: pn, senderPn: pn, senderLid: lid });
    await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '5511988887777', text: 'hi as a phone' });
    await bridge.call('POST', '/simulator/sessions/s1/owner', { to: lid, senderAlt: pn, text: 'typed on the phone' });
    const bodies = accepted(await sink.waitFor((r) => accepted(r, 'message.received').length === 3), 'message.received').map((r) => r.json.data);
    expect(bodies[0]).toMatchObject({ from: lid, text: 'hi as a LID', senderAlt: pn, senderPn: pn, senderLid: lid });
    for (const field of ['senderAlt', 'senderPn', 'senderLid']) expect(bodies[1]).not.toHaveProperty(field); // only fields with values
    expect(bodies[2]).toMatchObject({ from: lid, fromMe: true, senderAlt: pn });
    expect((await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: lid, senderAlt: 'x@evil.com', text: 'x' })).status).toBe(400);
  });

  it('inbound to a session that is not linked is 409', async () => {
    bridge = await startBridge();
    await bridge.call('POST', '/sessions', { sessionId: 's1' });
    expect((await bridge.call('POST', '/simulator/sessions/s1/inbound', { from: '5511988887777', text: 'x' })).status).toBe(409);
  });

  it('outbox lists what was sent; status reports delivery', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    const sent = await bridge.call('POST', '/sessions/s1/messages', { to: '5511988887777', type: 'text', text: 'a' });
    const outbox = await bridge.call('GET', '/simulator/sessions/s1/outbox');
    expect(outbox.body.data).toHaveLength(1);
    expect(outbox.body.data[0].messageId).toBe(sent.body.data.messageId);
    expect((await bridge.call('POST', '/simulator/sessions/s1/status', { messageId: sent.body.data.messageId, status: 'delivered' })).status).toBe(200);
    expect((await bridge.call('POST', '/simulator/sessions/s1/status', { messageId: 'unknown', status: 'delivered' })).status).toBe(404);
    expect((await bridge.call('POST', '/simulator/sessions/s1/status', { messageId: 'x', status: 'bogus' })).status).toBe(400);
    expect((await bridge.call('GET', '/simulator/sessions/nope/outbox')).status).toBe(404);
  });

  it('disconnect with a retryable code reconnects; 401 logs out', async () => {
    bridge = await startBridge();
    await connectedSession(bridge);
    const dropped = await bridge.call('POST', '/simulator/sessions/s1/disconnect', { statusCode: 428 });
    expect(dropped.status).toBe(200);
    await bridge.app.manager.record('s1').waitFor((r) => r.meta.status === 'connected', 2_000);
    expect((await bridge.call('GET', '/sessions/s1')).body.data.status).toBe('connected');
    const out = await bridge.call('POST', '/simulator/sessions/s1/disconnect', { statusCode: 401 });
    expect(out.body.data.status).toBe('logged_out');
    expect((await bridge.call('POST', '/simulator/sessions/s1/disconnect', { statusCode: 200 })).status).toBe(400);
  });

  it('answers 404 for unknown sessions and 400 for bad ids on every simulator route', async () => {
    bridge = await startBridge();
    const routes: Array<[string, string, unknown]> = [
      ['POST', 'scan', {}], ['POST', 'inbound', { from: '1', text: 'x' }], ['GET', 'outbox', undefined], ['GET', 'activity', undefined],
      ['POST', 'status', { messageId: 'x', status: 'read' }], ['POST', 'disconnect', { statusCode: 428 }],
    ];
    for (const [method, route, body] of routes) {
      expect((await bridge.call(method, `/simulator/sessions/nope/${route}`, body)).status, route).toBe(404);
      expect((await bridge.call(method, `/simulator/sessions/bad.id/${route}`, body)).status, route).toBe(400);
      expect((await bridge.call(method, `/simulator/sessions/nope/${route}`, body, { noauth: '1' })).status, route).toBe(401);
    }
  });

  it('answers 415 for an unknown content type and 400 for a body that is not an object, with the error envelope', async () => {
    bridge = await startBridge();
    const xml = await bridge.call('POST', '/sessions', '<sessionId>x</sessionId>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.body).toEqual({ status: 'error', error: expect.any(String) });
    const text = await bridge.call('POST', '/sessions', 'sessionId=x', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(text.body).toEqual({ status: 'error', error: expect.any(String) });
  });
});
