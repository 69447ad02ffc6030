/**
 * Fetches a `mediaUrl` safely: http(s) only, a deadline, a size cap, at most 3 redirects, and no
 * private, loopback or link-local addresses. The address check runs in the socket's DNS lookup,
 * so a name that re-resolves to a private address between check and connect is still refused.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { badRequest } from '../errors.js';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  allowPrivate: boolean;
}

const blocked = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad || addresses.length === 0) return callback(Object.assign(new Error(`refused private address for ${hostname}`), { code: 'EPRIVATE' }), '', 0);
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0] as LookupAddress;
    return callback(null, first.address, first.family);
  });
};

export interface FetchedMedia { data: Buffer; mimetype?: string }

export async function fetchMedia(rawUrl: string, limits: FetchLimits): Promise<FetchedMedia> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let url = parseUrl(rawUrl);
  for (let redirects = 0; redirects <= 3; redirects++) {
    const result = await get(url, limits, signal);
    if ('location' in result) { url = parseUrl(new URL(result.location, url).toString()); continue; }
    return result;
  }
  throw badRequest('mediaUrl: too many redirects');
}

function parseUrl(raw: string): URL {
  let url: URL;
  try { url = new URL(raw); } catch { throw badRequest('mediaUrl is not a valid URL'); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest('mediaUrl must be http or https');
  return url;
}

function get(url: URL, limits: FetchLimits, signal: AbortSignal): Promise<FetchedMedia | { location: string }> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!limits.allowPrivate && isIP(host) && isPrivateAddress(host)) return Promise.reject(badRequest('mediaUrl points to a private address'));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const fail = (err: Error): void => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPRIVATE') reject(badRequest('mediaUrl points to a private address'));
      else if (signal.aborted) reject(badRequest('mediaUrl fetch timed out'));
      else reject(err instanceof Error && 'statusCode' in err ? err : badRequest(`mediaUrl fetch failed: ${err.message}`));
    };
    const req = client.get(url, { signal, ...(limits.allowPrivate ? {} : { lookup: guardedLookup }) }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) { res.resume(); resolve({ location: res.headers.location }); return; }
      if (status < 200 || status >= 300) { res.resume(); reject(badRequest(`mediaUrl answered HTTP ${status}`)); return; }
      if (Number(res.headers['content-length'] ?? 0) > limits.maxBytes) { res.destroy(); reject(badRequest('mediaUrl content exceeds the size limit')); return; }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) { res.destroy(); reject(badRequest('mediaUrl content exceeds the size limit')); return; }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const type = res.headers['content-type']?.split(';')[0]?.trim();
        resolve({ data: Buffer.concat(chunks), ...(type ? { mimetype: type } : {}) });
      });
      res.on('error', fail);
    });
    req.on('error', fail);
  });
}
