/**
 * Bounds the PostgreSQL fallback: at most `limit` fallback searches run at once and at
 * most `queue` wait (each no longer than `maxWaitMs`); the rest are refused at once so
 * the caller can answer 503 + Retry-After. PostgreSQL full-text search costs far more
 * than a Meilisearch query, so an unbounded fallback turns an engine outage into a
 * database outage.
 */
export class GateFullError extends Error {
  constructor() {
    super('The PostgreSQL search fallback is at capacity');
    this.name = 'GateFullError';
  }
}

export interface FallbackGate {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export interface GateOptions {
  limit: number;
  queue: number;
  maxWaitMs: number;
}

export function createFallbackGate(opts: GateOptions): FallbackGate {
  let active = 0;
  const waiters: { grant: () => void; timer: NodeJS.Timeout }[] = [];
  const release = () => {
    const w = waiters.shift();
    if (w) {
      clearTimeout(w.timer);
      w.grant(); // the slot passes straight to the next waiter
    } else active--;
  };
  const acquire = (): Promise<void> => {
    if (active < opts.limit) {
      active++;
      return Promise.resolve();
    }
    // With no slots at all (fallback turned off) nothing would ever release a waiter: refuse now.
    if (opts.limit === 0 || waiters.length >= opts.queue) return Promise.reject(new GateFullError());
    return new Promise<void>((resolve, reject) => {
      const w = {
        grant: resolve,
        timer: setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new GateFullError());
        }, opts.maxWaitMs),
      };
      waiters.push(w);
    });
  };
  return {
    async run(fn) {
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return waiters.length;
    },
  };
}
