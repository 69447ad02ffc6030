/** Shared pieces of the benchmarks: the built bridge as a child process, a webhook sink, RSS sampling. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KEY = 'bench-key';
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

export async function startSink(): Promise<{ url: string; count: () => number; close: () => void }> {
  let received = 0;
  const server = createServer((req, res) => { req.resume(); req.on('end', () => { received += 1; res.end(); }); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, count: () => received, close: () => { server.closeAllConnections(); server.close(); } };
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface BenchBridge {
  base: string;
  child: ChildProcess;
  call(method: string, path: string, body?: unknown): Promise<Response>;
  /** webhook events still waiting for delivery, over every session */
  pending(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts dist/src/main.js with the simulator driver in a fresh data folder, delivering to `webhookUrl`. */
export async function startBridge(webhookUrl: string, env: Record<string, string> = {}): Promise<BenchBridge> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bridge-bench-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.js');
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, BRIDGE_DRIVER: 'simulator', API_KEY: KEY, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      WEBHOOK_URL: webhookUrl, WEBHOOK_SECRET: `whsec_${randomBytes(24).toString('base64')}`, SESSIONS_DATA_PATH: dataDir, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const res = await fetch(base + path, { method, headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }) });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res;
  };
  await waitFor(() => fetch(`${base}/health`).then((r) => r.ok, () => false), 20_000, 'the bridge to start');
  return {
    base, child, call,
    async pending() {
      const body = await (await call('GET', '/events?limit=1')).json() as { data: { pending: Record<string, number> } };
      return Object.values(body.data.pending).reduce((a, b) => a + b, 0);
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
