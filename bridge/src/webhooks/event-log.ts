/** A bounded in-memory record of recent webhook deliveries, for GET /events. */
export type DeliveryOutcome = 'delivered' | 'retrying' | 'dead';

export interface DeliveryRecord {
  webhookId: string;
  sessionId: string;
  eventType: string;
  outcome: DeliveryOutcome;
  attempts: number;
  httpStatus?: number;
  error?: string;
  at: string;
  /** the event body; only shown to callers holding the API key who ask for it */
  body: string;
}

export class EventLog {
  private readonly records: DeliveryRecord[] = [];

  constructor(private readonly limit = 500) {}

  add(record: DeliveryRecord): void {
    this.records.push(record);
    if (this.records.length > this.limit) this.records.shift();
  }

  /** Newest first. Without `withContents` the body is left out. */
  list(options: { limit: number; withContents: boolean; sessionId?: string }): Array<Omit<DeliveryRecord, 'body'> & { body?: unknown }> {
    const rows = options.sessionId ? this.records.filter((r) => r.sessionId === options.sessionId) : this.records;
    return rows.slice(-options.limit).reverse().map(({ body, ...rest }) =>
      options.withContents ? { ...rest, body: JSON.parse(body) as unknown } : rest);
  }
}
