/**
 * Memory benchmark: runs the built bridge (simulator driver) as a child process, opens 200
 * sessions, pushes 100,000 inbound messages through it to a local webhook sink, and prints the
 * bridge's RSS per session and its RSS growth per 10,000 messages. Everything stays on 127.0.0.1.
 *
 *   npm run bench            (SESSIONS=200 MESSAGES=100000 CONCURRENCY=32 to change the load)
 */
import { mb, rssOf, startBridge, startSink, waitFor } from './common.js';

const SESSIONS = Number(process.env.SESSIONS ?? 200);
const MESSAGES = Number(process.env.MESSAGES ?? 100_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const STEP = 10_000;

async function main(): Promise<void> {
  const sink = await startSink();
  const bridge = await startBridge(sink.url);
  const { call, child } = bridge;
  try {
    const settle = () => waitFor(async () => (await bridge.pending()) === 0, 300_000, 'webhooks to drain');
    const idle = await rssOf(child.pid as number);
    console.log(`bridge idle RSS: ${mb(idle)}`);

    for (let i = 0; i < SESSIONS; i++) {
      await call('POST', '/sessions', { sessionId: `s${i}` });
      await call('POST', `/simulator/sessions/s${i}/scan`, { phoneNumber: String(5511900000000 + i) });
    }
    await settle();
    const withSessions = await rssOf(child.pid as number);
    console.log(`RSS with ${SESSIONS} connected sessions: ${mb(withSessions)}; per session: ${((withSessions - idle) / SESSIONS / 1024).toFixed(1)} KiB`);

    let sent = 0;
    let last = withSessions;
    const started = Date.now();
    const worker = async (): Promise<void> => {
      while (sent < MESSAGES) {
        const n = sent++;
        await call('POST', `/simulator/sessions/s${n % SESSIONS}/inbound`, { from: String(5511800000000 + (n % 5000)), text: `message ${n} ${'x'.repeat(60)}` });
        if ((n + 1) % STEP === 0) {
          const rss = await rssOf(child.pid as number);
          console.log(`after ${String(n + 1).padStart(6)} messages: RSS ${mb(rss)} (growth over the last ${STEP}: ${mb(rss - last)}), webhooks delivered so far: ${sink.count()}`);
          last = rss;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const pushMs = Date.now() - started;
    await settle();
    const end = await rssOf(child.pid as number);
    const seconds = (Date.now() - started) / 1000;
    console.log(`pushed ${MESSAGES} messages in ${(pushMs / 1000).toFixed(1)} s; all webhooks delivered after ${seconds.toFixed(1)} s (${Math.round(MESSAGES / seconds)} msg/s end to end)`);
    console.log(`final RSS ${mb(end)}; growth over ${MESSAGES} messages: ${mb(end - withSessions)} (${mb(((end - withSessions) / MESSAGES) * STEP)} per ${STEP})`);
    console.log(`webhook requests received by the sink: ${sink.count()}`);
  } finally {
    await bridge.stop();
    sink.close();
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
