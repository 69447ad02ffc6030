/**
 * Memory benchmark: runs the built bridge (simulator driver) as a child process, opens 200
 * sessions, pushes 100,000 inbound messages through it to a local webhook sink, and prints the
 * bridge's RSS per session and its RSS growth per 10,000 messages. Everything stays on 127.0.0.1.
 *
 *   npm run bench            (SESSIONS=200 MESSAGES=100000 CONCURRENCY=32 to change the load)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SESSIONS = Number(process.env.SESSIONS ?? 200);
const MESSAGES = Number(process.env.MESSAGES ?? 100_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const STEP = 10_000;
const KEY = 'bench-key';
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

async function startSink(): Promise<{ url: string; count: () => number; close: () => void }> {
  let received = 0;
  const server = createServer((req, res) => { req.resume(); req.on('end', () => { received += 1; res.end(); }); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, count: () => received, close: () => { server.closeAllConnections(); server.close(); } };
}

async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const sink = await startSink();
  const dataDir = await mkdtemp(join(tmpdir(), 'bridge-bench-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.js');
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, BRIDGE_DRIVER: 'simulator', API_KEY: KEY, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      WEBHOOK_URL: sink.url, WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`, SESSIONS_DATA_PATH: dataDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const res = await fetch(base + path, { method, headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res;
  };
  try {
    await waitFor(() => fetch(`${base}/health`).then((r) => r.ok, () => false), 20_000, 'the bridge to start');
    const pending = async (): Promise<number> => {
      const res = await fetch(`${base}/events?limit=1`, { headers: { 'x-api-key': KEY } });
      const body = await res.json() as { data: { pending: Record<string, number> } };
      return Object.values(body.data.pending).reduce((a, b) => a + b, 0);
    };
    const settle = () => waitFor(async () => (await pending()) === 0, 300_000, 'webhooks to drain');
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
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    sink.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
