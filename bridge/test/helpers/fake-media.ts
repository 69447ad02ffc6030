/**
 * A local stand-in for WhatsApp's media CDN: it serves files encrypted the way WhatsApp encrypts
 * them (AES-256-CBC with keys derived from the message's mediaKey, a 10-byte HMAC appended), so
 * Baileys' real download and decryption run against it, and (over HTTPS, with a test certificate)
 * accepts uploads like `mmg.whatsapp.net/mms/<type>/…`.
 */
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { getMediaKeys, type MediaType } from '@whiskeysockets/baileys';

export interface EncryptedMedia { file: Buffer; mediaKey: Buffer }

export async function encryptMedia(plain: Buffer, type: MediaType): Promise<EncryptedMedia> {
  const mediaKey = randomBytes(32);
  const { cipherKey, iv, macKey } = await getMediaKeys(mediaKey, type);
  const cipher = createCipheriv('aes-256-cbc', cipherKey, iv);
  const enc = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = createHmac('sha256', macKey as Uint8Array).update(Buffer.concat([iv, enc])).digest().subarray(0, 10);
  return { file: Buffer.concat([enc, mac]), mediaKey };
}

export interface Upload { path: string; bytes: number }

const fixture = (name: string): Buffer => readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)));

export class FakeMediaServer {
  readonly files = new Map<string, Buffer>();
  readonly uploads: Upload[] = [];
  /** download requests, by path */
  readonly downloads: string[] = [];
  private server!: Server;
  url = '';
  host = '';

  /** `https: true` serves TLS with the test certificate in test/fixtures (clients must not verify it). */
  async start({ https = false } = {}): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res);
    this.server = https ? createHttps({ key: fixture('test-key.pem'), cert: fixture('test-cert.pem') }, handler) : createHttp(handler);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.url = `${https ? 'https' : 'http'}://${this.host}`;
  }

  /** Serves `file` at `path`; returns its URL. */
  put(path: string, file: Buffer): string {
    this.files.set(path, file);
    return `${this.url}${path}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0] as string;
    if (req.method === 'POST') {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      req.on('end', () => {
        this.uploads.push({ path, bytes });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ url: `${this.url}${path}`, direct_path: `${path}?direct=1` }));
      });
      return;
    }
    this.downloads.push(path);
    const file = this.files.get(path);
    if (!file) { res.statusCode = 404; res.end(); return; }
    res.setHeader('content-length', String(file.length));
    res.end(file);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
