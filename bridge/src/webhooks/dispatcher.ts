/**
 * Delivers queued webhook events: one worker per session, in order, signed on every attempt,
 * retried with capped jittered backoff until the retry window ends, then dead-lettered.
 */
import type { Logger } from 'pino';
import { backoffDelay, Sleeper, type Backoff } from '../backoff.js';
import type { EventLog } from './event-log.js';
import type { QueuedEvent, WebhookQueue } from './queue.js';
import type { WebhookSigner } from './signer.js';

export interface DispatcherOptions {
  url: string | undefined;
  signer: WebhookSigner;
  queue: WebhookQueue;
  log: EventLog;
  logger: Logger;
  timeoutMs: number;
  retryWindowMs: number;
  backoff: Backoff;
  /** called on every failed delivery attempt (metrics) */
  onFailedAttempt?: () => void;
}

export interface WebhookEnvelope {
  sessionId: string;
  origin: string;
  eventType: string;
  timestamp: number;
  data: unknown;
}

export class WebhookDispatcher {
  private readonly workers = new Map<string, Promise<void>>();
  private readonly sleeper = new Sleeper();
  private stopping = false;

  constructor(private readonly opts: DispatcherOptions) {}

  get enabled(): boolean { return this.opts.url !== undefined; }

  async start(): Promise<void> {
    await this.opts.queue.load();
    for (const sessionId of this.opts.queue.sessionsWithPending()) this.kick(sessionId);
  }

  /** Resolves once the event is durably queued (a no-op without WEBHOOK_URL). */
  async publish(envelope: WebhookEnvelope, webhookId: string): Promise<void> {
    if (!this.enabled || this.stopping) return;
    await this.opts.queue.enqueue({
      webhookId, sessionId: envelope.sessionId, eventType: envelope.eventType,
      body: JSON.stringify(envelope), enqueuedAt: Date.now(), attempts: 0,
    });
    this.kick(envelope.sessionId);
  }

  /** Resolves when every queue is empty or every worker has stopped (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.workers.size > 0) await Promise.all([...this.workers.values()]);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wakeAll();
    await Promise.all([...this.workers.values()]);
  }

  private kick(sessionId: string): void {
    if (this.workers.has(sessionId) || this.stopping) return;
    const worker = this.run(sessionId)
      .catch((err: unknown) => this.opts.logger.error({ err, sessionId }, 'webhook worker failed'))
      .finally(() => {
        this.workers.delete(sessionId);
        if (!this.stopping && this.opts.queue.size(sessionId) > 0) this.kick(sessionId);
      });
    this.workers.set(sessionId, worker);
  }

  private async run(sessionId: string): Promise<void> {
    const { queue } = this.opts;
    for (let event = await queue.head(sessionId); event && !this.stopping; event = await queue.head(sessionId)) {
      const result = await this.attempt(event);
      event.attempts += 1;
      if (result.ok) {
        await queue.ackHead(sessionId);
        this.record(event, 'delivered', result);
        continue;
      }
      event.lastError = result.error;
      this.opts.onFailedAttempt?.();
      if (Date.now() - event.enqueuedAt >= this.opts.retryWindowMs) {
        await queue.deadLetterHead(event);
        this.record(event, 'dead', result);
        this.opts.logger.error({ webhookId: event.webhookId, sessionId, error: result.error }, 'webhook dead-lettered');
        continue;
      }
      await queue.updateHead(event);
      this.record(event, 'retrying', result);
      const delay = backoffDelay(event.attempts, this.opts.backoff);
      this.opts.logger.warn({ webhookId: event.webhookId, sessionId, attempts: event.attempts, delay, error: result.error }, 'webhook delivery failed');
      await this.sleeper.sleep(delay);
    }
  }

  private async attempt(event: QueuedEvent): Promise<{ ok: boolean; status?: number; error?: string }> {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'webhook-id': event.webhookId,
      'webhook-timestamp': String(timestamp),
      'x-webhook-event': event.eventType,
    };
    const signature = this.opts.signer.sign(event.webhookId, timestamp, event.body);
    if (signature) headers['webhook-signature'] = signature;
    try {
      const response = await fetch(this.opts.url as string, {
        method: 'POST', headers, body: event.body, redirect: 'manual', signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
      return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private record(event: QueuedEvent, outcome: 'delivered' | 'retrying' | 'dead', result: { status?: number; error?: string }): void {
    this.opts.log.add({
      webhookId: event.webhookId, sessionId: event.sessionId, eventType: event.eventType, outcome,
      attempts: event.attempts, at: new Date().toISOString(), body: event.body,
      ...(result.status !== undefined ? { httpStatus: result.status } : {}),
      ...(result.error ? { error: result.error } : {}),
    });
  }
}
