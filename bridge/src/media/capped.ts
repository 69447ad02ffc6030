/** A stream that fails once more than `maxBytes` went through (the response is then cut short). */
import { Transform, type Readable } from 'node:stream';

export function capped(source: Readable, maxBytes: number): Readable {
  let seen = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new Error(`media stream exceeds ${maxBytes} bytes`));
      else callback(null, chunk);
    },
  });
  source.on('error', (err) => guard.destroy(err));
  return source.pipe(guard);
}
