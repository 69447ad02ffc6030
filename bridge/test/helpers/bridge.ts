/** Starts a real bridge (real Fastify, real HTTP on an ephemeral port) in a temp data folder. */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { WhatsAppDriver } from '../../src/drivers/driver.js';

export const API_KEY = 'test-key-123';

export interface TestBridge {
  app: App;
  url: string;
  dataDir: string;
  config: Config;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

// The data folder sits one level inside a private temp folder, so a test that checks `..`
// looks at a folder only this test owns, not the machine's shared /tmp.
export async function tempDir(): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'bridge-test-'));
  const dataDir = join(parent, 'sessions');
  await mkdir(dataDir);
  return dataDir;
}

export async function startBridge(options: { env?: Record<string, string>; config?: Partial<Config>; driver?: WhatsAppDriver; dataDir?: string } = {}): Promise<TestBridge> {
  const dataDir = options.dataDir ?? await tempDir();
  const config: Config = {
    ...loadConfig({ API_KEY, BRIDGE_DRIVER: 'simulator', SESSIONS_DATA_PATH: dataDir, PORT: '0', HOST: '127.0.0.1', SESSION_CREATE_TIMEOUT_MS: '5000', ...options.env }),
    ...options.config,
  };
  const app = await createApp(config, { logger: pino({ level: 'silent' }), ...(options.driver ? { driver: options.driver } : {}) });
  const url = await app.start();
  let stopped = false;
  return {
    app, url, dataDir, config,
    async call(method, path, body, headers = {}) {
      const { noauth, ...rest } = headers;
      const all: Record<string, string> = { ...rest };
      if (!noauth && !('x-api-key' in all) && !('authorization' in all)) all['x-api-key'] = API_KEY;
      if (body !== undefined && !('content-type' in all)) all['content-type'] = 'application/json';
      const response = await fetch(url + path, {
        method,
        headers: all,
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
    },
  };
}

/** Creates a session and links it through the simulator. */
export async function connectedSession(bridge: TestBridge, id = 's1', phoneNumber = '5511900000001'): Promise<void> {
  const created = await bridge.call('POST', '/sessions', { sessionId: id });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  const scanned = await bridge.call('POST', `/simulator/sessions/${id}/scan`, { phoneNumber, name: 'Shop' });
  if (scanned.body?.data?.status !== 'connected') throw new Error(`scan failed: ${JSON.stringify(scanned.body)}`);
}
