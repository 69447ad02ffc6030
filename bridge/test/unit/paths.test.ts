import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../src/media/fetch-url.js';
import { isValidSessionId, sessionPath } from '../../src/sessions/ids.js';
import { writeJsonAtomic } from '../../src/store/atomic.js';

describe('session ids and paths', () => {
  it('accepts only ^[A-Za-z0-9_-]{1,64}$', () => {
    for (const ok of ['a', 'Shop_1-x', 'x'.repeat(64)]) expect(isValidSessionId(ok)).toBe(true);
    for (const bad of ['', '..', '../x', 'a/b', 'a\\b', 'a.b', 'x'.repeat(65), 'é', ' a', 42, null]) expect(isValidSessionId(bad)).toBe(false);
  });
  it('never resolves outside the root', () => {
    expect(sessionPath('/data', 's1', 'auth')).toBe('/data/s1/auth');
    expect(() => sessionPath('/data', '../etc')).toThrow();
    expect(() => sessionPath('/data', 's1', '..', '..', 'etc')).toThrow(/escapes/);
  });
});

describe('writeJsonAtomic', () => {
  it('leaves the complete file and no temp files behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'nested', 'x.json');
    await Promise.all(Array.from({ length: 20 }, (_, i) => writeJsonAtomic(path, { i, pad: 'x'.repeat(10_000) })));
    expect(JSON.parse(await readFile(path, 'utf8')).pad).toHaveLength(10_000);
    expect(await readdir(join(dir, 'nested'))).toEqual(['x.json']);
  });
});

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip'])('%s is refused', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is allowed', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});
