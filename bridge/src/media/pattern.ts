/**
 * Generated media bytes for the simulator: byte `i` of a file is `i % 251`, produced in 64 KB
 * chunks while the stream is read, so a 100 MB "file" never sits in memory. Tests can check
 * any byte they receive without having stored the file.
 */
import { Readable } from 'node:stream';

const PERIOD = 251;
/** a whole number of periods, so consecutive chunks continue the pattern */
const CHUNK = Buffer.from(Array.from({ length: PERIOD * 256 }, (_, i) => i % PERIOD));

export function patternByte(offset: number): number { return offset % PERIOD; }

export function patternStream(size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) { this.push(null); return; }
      const n = Math.min(CHUNK.length, size - sent);
      sent += n;
      this.push(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
    },
  });
}
