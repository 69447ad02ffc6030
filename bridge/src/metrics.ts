/**
 * Prometheus metrics (prom-client), one registry per app. Names are a public contract (alert
 * rules rely on them): see docs/bridge-server.md. Gauges are computed when scraped.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { SessionStatus } from './store/metadata.js';

const STATUSES: SessionStatus[] = ['initializing', 'connecting', 'qr_waiting', 'connected', 'disconnected', 'logged_out'];

export interface MetricSources {
  sessionStatuses(): SessionStatus[];
  queueDepths(): Array<{ sessionId: string; depth: number; oldestAt: number | undefined }>;
}

export class Metrics {
  readonly registry = new Registry();
  readonly reconnects: Counter;
  readonly deliveryFailures: Counter;
  readonly messages: Counter<'direction'>;
  private sources: MetricSources | undefined;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.reconnects = new Counter({ name: 'wa_bridge_reconnects_total', help: 'WhatsApp connection attempts after the first one of a session', registers });
    this.deliveryFailures = new Counter({ name: 'wa_bridge_webhook_delivery_failures_total', help: 'Failed webhook delivery attempts (each retry counts)', registers });
    this.messages = new Counter({ name: 'wa_bridge_messages_total', help: 'Messages received from WhatsApp (inbound) and sent through the API (outbound)', labelNames: ['direction'], registers });
    for (const direction of ['inbound', 'outbound']) this.messages.inc({ direction }, 0);
    const self = this;
    new Gauge({
      name: 'wa_bridge_sessions', help: 'Sessions by status', labelNames: ['status'], registers,
      collect() {
        const counts = new Map<string, number>(STATUSES.map((s) => [s, 0]));
        for (const status of self.sources?.sessionStatuses() ?? []) counts.set(status, (counts.get(status) ?? 0) + 1);
        for (const [status, n] of counts) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'wa_bridge_webhook_queue_depth', help: 'Webhook events waiting for delivery, by session', labelNames: ['session'], registers,
      collect() {
        this.reset();
        for (const q of self.sources?.queueDepths() ?? []) this.set({ session: q.sessionId }, q.depth);
      },
    });
    new Gauge({
      name: 'wa_bridge_webhook_queue_oldest_age_seconds', help: 'Age of the oldest undelivered webhook event, by session (0 when none)', labelNames: ['session'], registers,
      collect() {
        this.reset();
        const now = Date.now();
        for (const q of self.sources?.queueDepths() ?? []) {
          this.set({ session: q.sessionId }, q.depth > 0 && q.oldestAt !== undefined ? Math.max(0, (now - q.oldestAt) / 1000) : 0);
        }
      },
    });
  }

  /** Where the gauges read from (set once the parts exist). */
  bind(sources: MetricSources): void { this.sources = sources; }

  render(): Promise<string> { return this.registry.metrics(); }

  get contentType(): string { return this.registry.contentType; }
}
