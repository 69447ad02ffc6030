/**
 * Media benchmark: the built bridge (simulator driver) as a child process. Prints the bridge's
 * peak RSS while a client downloads a generated 100 MB file through GET /sessions/{id}/media/…,
 * and while it takes a 16 MiB document as base64 through POST /sessions/{id}/messages; then how
 * many inbound messages one session queues per second (each webhook event is fsynced).
 *
 *   npm run bench:media      (MEDIA_BYTES=100000000 BURST=500 to change the load)
 */
import { mb, rssOf, startBridge, startSink, waitFor } from './common.js';

const MEDIA_BYTES = Number(process.env.MEDIA_BYTES ?? 100_000_000);
const BURST = Number(process.env.BURST ?? 500);

/** Runs `work` while sampling the child's RSS every 10 ms; resolves to the peak. */
async function peakRss(pid: number, work: () => Promise<void>): Promise<number> {
  let peak = await rssOf(pid);
  let running = true;
  const sampler = (async () => { while (running) { peak = Math.max(peak, await rssOf(pid)); await new Promise((r) => setTimeout(r, 10)); } })();
  try { await work(); } finally { running = false; await sampler; }
  return peak;
}

async function main(): Promise<void> {
  const sink = await startSink();
  const bridge = await startBridge(sink.url, { MEDIA_DOWNLOAD_MAX_BYTES: String(MEDIA_BYTES * 2) });
  const { call, child } = bridge;
  const pid = child.pid as number;
  try {
    await call('POST', '/sessions', { sessionId: 'm1' });
    await call('POST', '/simulator/sessions/m1/scan', { phoneNumber: '5511900000001' });
    const idle = await rssOf(pid);
    console.log(`bridge RSS with one session: ${mb(idle)}`);

    const inbound = await (await call('POST', '/simulator/sessions/m1/inbound', { from: '5511988887777', type: 'video', mediaSize: MEDIA_BYTES })).json() as { data: { messageId: string } };
    let received = 0;
    const started = Date.now();
    const downloadPeak = await peakRss(pid, async () => {
      const res = await call('GET', `/sessions/m1/media/${inbound.data.messageId}`);
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) received += chunk.length;
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(`download of ${mb(received)}: ${seconds.toFixed(1)} s (${mb(received / seconds)}/s); peak RSS ${mb(downloadPeak)} (+${mb(downloadPeak - idle)})`);

    const doc = Buffer.alloc(16 * 1024 * 1024, 7).toString('base64');
    const before = await rssOf(pid);
    const sendPeak = await peakRss(pid, async () => {
      await call('POST', '/sessions/m1/messages', { to: '5511988887777', type: 'document', mediaBase64: doc, mimetype: 'application/pdf', fileName: 'big.pdf' });
    });
    console.log(`send of a 16 MiB document as base64 (${mb(doc.length)} of JSON): peak RSS ${mb(sendPeak)} (+${mb(sendPeak - before)})`);

    await waitFor(async () => (await bridge.pending()) === 0, 60_000, 'webhooks to drain');
    const burstStart = Date.now();
    for (let i = 0; i < BURST; i++) await call('POST', '/simulator/sessions/m1/inbound', { from: '5511988887777', text: `burst ${i}` });
    const queued = (Date.now() - burstStart) / 1000;
    console.log(`${BURST} inbound messages to one session queued (fsynced) in ${queued.toFixed(1)} s: ${Math.round(BURST / queued)} msg/s`);
  } finally {
    await bridge.stop();
    sink.close();
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
