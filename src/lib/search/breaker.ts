/**
 * The search circuit breaker: after Meilisearch fails a search, searches skip it for a
 * while and go straight to PostgreSQL, so a dead engine costs one timeout, not one per
 * request. Each engine (createEngine) has its own, so a test's engine starts closed and
 * a test that needs time to pass injects the clock.
 */
export interface CircuitBreaker {
  /** Meilisearch is being skipped. */
  isOpen(): boolean;
  /** A search failed: skip Meilisearch for the open period from now. */
  trip(): void;
}

export const BREAKER_OPEN_MS = 5000;

export function createBreaker(opts: { openMs?: number; now?: () => number } = {}): CircuitBreaker {
  const openMs = opts.openMs ?? BREAKER_OPEN_MS;
  const now = opts.now ?? Date.now;
  let openUntil = 0;
  return {
    isOpen: () => now() < openUntil,
    trip: () => {
      openUntil = now() + openMs;
    },
  };
}
