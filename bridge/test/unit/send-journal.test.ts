import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SendJournal } from '../../src/store/send-journal.js';
import { tempDir } from '../helpers/bridge.js';

interface Result { messageId: string; n: number }
const lines = async (root: string) => (await readFile(join(root, 's1', 'sends.jsonl'), 'utf8')).trim().split('\n');

describe('SendJournal', () => {
  it('remembers our ids and key results, on disk, for the next process', async () => {
    const root = await tempDir();
    const a = new SendJournal<Result>(root);
    await a.begin('s1', 'ID1');
    await a.begin('s1', 'ID2', 'k');
    expect(await a.keyState('s1', 'k')).toMatchObject({ messageId: 'ID2' });
    expect((await a.keyState('s1', 'k'))?.result).toBeUndefined();
    await a.finish('s1', 'k', { messageId: 'ID2', n: 1 });
    const b = new SendJournal<Result>(root);
    expect(await b.isOurs('s1', 'ID1')).toBe(true);
    expect(await b.isOurs('s1', 'ID2')).toBe(true);
    expect(await b.isOurs('s1', 'OTHER')).toBe(false);
    expect(await b.isOurs('s2', 'ID1')).toBe(false);
    expect(await b.keyState('s1', 'k')).toMatchObject({ messageId: 'ID2', result: { messageId: 'ID2', n: 1 } });
  });

  it('forgets keys after their TTL and ids after theirs, and compacts the file', async () => {
    const root = await tempDir();
    let now = 1_000_000;
    const options = { keyTtlMs: 40, sentTtlMs: 80, now: () => now };
    const journal = new SendJournal<Result>(root, options);
    await journal.begin('s1', 'ID1', 'k');
    await journal.finish('s1', 'k', { messageId: 'ID1', n: 1 });
    expect(await lines(root)).toHaveLength(2);
    now += 50;
    const later = new SendJournal<Result>(root, options);
    expect(await later.keyState('s1', 'k')).toBeUndefined();
    expect(await later.isOurs('s1', 'ID1')).toBe(true);
    expect(await lines(root)).toEqual([expect.stringContaining('"id":"ID1"')]);
    now += 40;
    expect(await later.isOurs('s1', 'ID1')).toBe(false);
  });

  it('skips a torn last line (a crash in the middle of an append)', async () => {
    const root = await tempDir();
    const journal = new SendJournal<Result>(root);
    await journal.begin('s1', 'ID1', 'k');
    await appendFile(join(root, 's1', 'sends.jsonl'), '{"id":"ID2","at":');
    const next = new SendJournal<Result>(root);
    expect(await next.keyState('s1', 'k')).toMatchObject({ messageId: 'ID1' });
    expect(await next.isOurs('s1', 'ID2')).toBe(false);
    await next.begin('s1', 'ID3');
    expect(await new SendJournal<Result>(root).isOurs('s1', 'ID3')).toBe(true);
  });

  it('forget removes the session file', async () => {
    const root = await tempDir();
    const journal = new SendJournal<Result>(root);
    await journal.begin('s1', 'ID1');
    await journal.forget('s1');
    expect(await new SendJournal<Result>(root).isOurs('s1', 'ID1')).toBe(false);
  });
});
