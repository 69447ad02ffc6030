/** Capped exponential backoff with jitter: attempt 1 waits about baseMs, doubling up to maxMs; the wait is drawn from [d/2, d]. */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export function backoffDelay(attempt: number, { baseMs, maxMs }: Backoff, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const capped = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(capped / 2 + random() * (capped / 2));
}

/** A sleep that can be cut short (shutdown). */
export class Sleeper {
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = { timer: setTimeout(() => { this.timers.delete(entry); resolve(); }, ms), resolve };
      this.timers.add(entry);
    });
  }

  wakeAll(): void {
    for (const entry of this.timers) { clearTimeout(entry.timer); entry.resolve(); }
    this.timers.clear();
  }
}
