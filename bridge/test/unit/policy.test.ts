import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/backoff.js';
import { DisconnectReason } from '@whiskeysockets/baileys';
import { closePolicy } from '../../src/drivers/close-policy.js';
import { ackRestriction, queryRestriction } from '../../src/drivers/restrictions.js';

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

describe('closePolicy', () => {
  it.each([
    [401, 'logged_out', 'logged-out'], [515, 'restart', 'restart-required'],
    [402, 'stop', 'banned'], [403, 'stop', 'banned'], [406, 'stop', 'banned'], [405, 'stop', 'client-outdated'],
    [411, 'stop', 'multidevice-mismatch'], [440, 'stop', 'replaced'], [429, 'reconnect', 'rate-limited'],
    [428, 'reconnect', 'connection-lost'], [408, 'reconnect', 'connection-lost'], [500, 'reconnect', 'connection-lost'],
    [503, 'reconnect', 'connection-lost'], [undefined, 'reconnect', 'connection-lost'],
  ])('%s -> %s (%s)', (code, action, reason) => {
    expect(closePolicy(code)).toEqual({ action, reason });
  });
  it("uses Baileys' own numbers for the codes it names", () => {
    expect(closePolicy(DisconnectReason.loggedOut).action).toBe('logged_out');
    expect(closePolicy(DisconnectReason.restartRequired).action).toBe('restart');
    expect(closePolicy(DisconnectReason.forbidden).reason).toBe('banned');
    expect(closePolicy(DisconnectReason.connectionReplaced).reason).toBe('replaced');
    expect(closePolicy(DisconnectReason.multideviceMismatch).reason).toBe('multidevice-mismatch');
  });
});

describe('restriction classification', () => {
  it('reads negative acks: 463 is restricted, 429 rate-limited, others are no restriction', () => {
    expect(ackRestriction('463', 'M1')).toMatchObject({ reason: 'restricted', statusCode: 463, messageId: 'M1' });
    expect(ackRestriction('429', 'M1')).toMatchObject({ reason: 'rate-limited', statusCode: 429 });
    expect(ackRestriction('479', 'M1')).toBeUndefined();
  });
  it("reads Baileys' query errors: rate-overlimit (code 429) is rate-limited", () => {
    expect(queryRestriction(Object.assign(new Error('rate-overlimit'), { data: 429 }))).toMatchObject({ reason: 'rate-limited', statusCode: 429 });
    expect(queryRestriction(new Error('item-not-found'))).toBeUndefined();
    expect(queryRestriction(undefined)).toBeUndefined();
  });
});
