/** A local webhook receiver that records every request and answers with a status we choose. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received { headers: IncomingHttpHeaders; body: string; json: any }

export interface WebhookSink {
  url: string;
  received: Received[];
  /** status to answer with; may be changed at any time */
  status: number;
  waitFor(predicate: (all: Received[]) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startSink(status = 200): Promise<WebhookSink> {
  const received: Received[] = [];
  const sink = { received, status } as WebhookSink;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (sink.status >= 200 && sink.status < 300) received.push({ headers: req.headers, body, json: JSON.parse(body) });
      else received.push({ headers: req.headers, body, json: { rejected: true, ...JSON.parse(body) } });
      res.statusCode = sink.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  sink.waitFor = async (predicate, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(received)) {
      if (Date.now() > deadline) throw new Error(`webhook sink: condition not met; got ${received.map((r) => r.json.eventType).join(',')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return received;
  };
  sink.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return sink;
}

/** Only the events the sink accepted (2xx), of the given type. */
export const accepted = (all: Received[], eventType?: string): Received[] =>
  all.filter((r) => !r.json.rejected && (!eventType || r.json.eventType === eventType));
