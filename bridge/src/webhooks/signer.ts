/** Standard Webhooks signing: `v1,<base64 HMAC-SHA256("id.timestamp.body")>`, one signature per active secret. */
import { createHash, createHmac } from 'node:crypto';

function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

export class WebhookSigner {
  private readonly keys: Buffer[];

  constructor(secrets: string[]) {
    this.keys = secrets.map(secretKey);
  }

  get enabled(): boolean { return this.keys.length > 0; }

  /** The webhook-signature header value (space-separated during rotation), or undefined without secrets. */
  sign(id: string, timestampSeconds: number, body: string): string | undefined {
    if (!this.enabled) return undefined;
    const content = `${id}.${timestampSeconds}.${body}`;
    return this.keys.map((key) => `v1,${createHmac('sha256', key).update(content).digest('base64')}`).join(' ');
  }
}

/** A stable id: the same WhatsApp message key always yields the same webhook-id. */
export function stableWebhookId(prefix: string, ...parts: string[]): string {
  return `${prefix}_${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32)}`;
}
