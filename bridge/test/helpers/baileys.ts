/** Helpers for driving the Baileys driver directly against the fake WhatsApp server. */
import { BufferJSON, initAuthCreds } from '@whiskeysockets/baileys';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { BaileysDriver } from '../../src/drivers/baileys/driver.js';
import type { DriverEvent, DriverSession } from '../../src/drivers/driver.js';

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
  const session = driver.open({ sessionId, authDir, listener: (e) => events.push(e) });
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
