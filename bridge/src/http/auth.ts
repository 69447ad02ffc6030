/** API key check: `Authorization: Bearer <key>` or `X-API-Key: <key>`, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

export class ApiKeyGuard {
  private readonly expected: Buffer | undefined;

  constructor(apiKey: string | undefined, readonly disabled: boolean) {
    this.expected = apiKey ? digest(apiKey) : undefined;
  }

  /** True when the request may pass: auth disabled, or the right key presented. */
  allows(request: FastifyRequest): boolean {
    if (this.disabled) return true;
    const key = presentedKey(request);
    if (key === undefined || !this.expected) return false;
    return timingSafeEqual(digest(key), this.expected);
  }
}
