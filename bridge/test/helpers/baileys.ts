/** Helpers for driving the Baileys driver directly against the fake WhatsApp server. */
import { BufferJSON, initAuthCreds, type BinaryNode } from '@whiskeysockets/baileys';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { BaileysDriver } from '../../src/drivers/baileys/driver.js';
import type { DriverEvent, DriverSession } from '../../src/drivers/driver.js';
import { tempDir } from './bridge.js';
import type { FakeConnection } from './fake-wa-server.js';

export interface DriverProbe {
  session: DriverSession;
  events: DriverEvent[];
  waitFor(predicate: (events: DriverEvent[]) => boolean, timeoutMs?: number): Promise<void>;
}

export function baileysDriver(url: string, backoff = { baseMs: 40, maxMs: 160 }, socketOverrides = {}): BaileysDriver {
  return new BaileysDriver({ logger: pino({ level: 'silent' }), backoff, connectTimeoutMs: 2_000, waWebSocketUrl: url, socketOverrides });
}

export function openProbe(driver: BaileysDriver, authDir: string, sessionId = 'b1'): DriverProbe {
  const events: DriverEvent[] = [];
  const session = driver.open({ sessionId, authDir, dataDir: dirname(authDir), listener: (e) => { events.push(e); } });
  return {
    session, events,
    async waitFor(predicate, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`driver events: condition not met; got ${events.map((e) => e.kind).join(',')}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}

/** Writes credentials of an already linked device, as a previous run would have left them. */
export async function writeLinkedCreds(authDir: string, jid = '5511999990000:3@s.whatsapp.net'): Promise<void> {
  const creds = { ...initAuthCreds(), me: { id: jid, name: 'Shop' }, registered: true, accountSyncCounter: 1 };
  await mkdir(authDir, { recursive: true });
  await writeFile(join(authDir, 'creds.json'), JSON.stringify(creds, BufferJSON.replacer));
}

export const count = (events: DriverEvent[], kind: DriverEvent['kind']): number => events.filter((e) => e.kind === kind).length;

/** A data folder holding one linked session, as a previous run leaves it. */
export async function linkedDataDir(id = 'b1'): Promise<string> {
  const dataDir = await tempDir();
  await mkdir(join(dataDir, id), { recursive: true });
  await writeFile(join(dataDir, id, 'session.json'), JSON.stringify({ id, status: 'connected', createdAt: new Date().toISOString(), phoneNumber: '5511999990000' }));
  await writeLinkedCreds(join(dataDir, id, 'auth'));
  return dataDir;
}

/** The first node the client sent that matches (waits up to 5 s). */
export async function waitNode(conn: FakeConnection, predicate: (n: BinaryNode) => boolean): Promise<BinaryNode> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = conn.received.find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`node not received; got ${conn.received.map((n) => n.tag).join(',')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
