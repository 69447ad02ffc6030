import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/backoff.js';
import { closeAction } from '../../src/drivers/baileys/close-policy.js';

describe('backoffDelay', () => {
  const cfg = { baseMs: 1_000, maxMs: 30_000 };
  it('doubles per attempt and caps, with the wait drawn from [d/2, d]', () => {
    expect(backoffDelay(1, cfg, () => 0)).toBe(500);
    expect(backoffDelay(1, cfg, () => 1)).toBe(1_000);
    expect(backoffDelay(3, cfg, () => 1)).toBe(4_000);
    expect(backoffDelay(10, cfg, () => 1)).toBe(30_000);
    expect(backoffDelay(10, cfg, () => 0)).toBe(15_000);
    expect(backoffDelay(10_000, cfg, () => 1)).toBe(30_000);
  });
  it('jitters between calls', () => {
    const values = new Set(Array.from({ length: 20 }, () => backoffDelay(5, cfg)));
    expect(values.size).toBeGreaterThan(1);
    for (const v of values) { expect(v).toBeGreaterThanOrEqual(8_000); expect(v).toBeLessThanOrEqual(16_000); }
  });
});

describe('closeAction', () => {
  it.each([
    [401, 'logged_out'], [515, 'restart'], [403, 'stop'], [411, 'stop'], [440, 'stop'],
    [428, 'reconnect'], [408, 'reconnect'], [500, 'reconnect'], [503, 'reconnect'], [undefined, 'reconnect'],
  ])('%s -> %s', (code, action) => {
    expect(closeAction(code).action).toBe(action);
  });
});
