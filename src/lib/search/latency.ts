/**
 * The engine's recent search latency and the timeout it earns. A busy engine answers
 * slowly but answers: the timeout follows its recent p95 (times a factor, between a
 * configured floor and a cap) so it is given time instead of being abandoned. A search
 * that timed out counts as taking the whole timeout, so repeated timeouts widen the
 * next one (up to the cap) and fast answers narrow it again.
 */
export interface LatencyWindow {
  record(ms: number): void;
  /** The p95 of the last `size` samples; 0 before any. */
  p95(): number;
  /** max(floor, factor × p95), at most cap. */
  timeoutMs(): number;
}

export interface LatencyOptions {
  floorMs: number;
  capMs?: number;
  factor?: number;
  size?: number;
}

export const DEFAULT_TIMEOUT_CAP_MS = 10_000;
export const DEFAULT_TIMEOUT_FACTOR = 3;

export function createLatencyWindow(opts: LatencyOptions): LatencyWindow {
  const size = opts.size ?? 200;
  const cap = Math.max(opts.floorMs, opts.capMs ?? DEFAULT_TIMEOUT_CAP_MS);
  const factor = opts.factor ?? DEFAULT_TIMEOUT_FACTOR;
  const ring = new Float64Array(size);
  let count = 0;
  let next = 0;
  // The p95 is recomputed (a sort of at most `size` numbers) only after new samples, not per call.
  let cached: number | undefined;
  const p95 = () => {
    if (cached !== undefined) return cached;
    if (count === 0) return (cached = 0);
    const sorted = Array.from(ring.subarray(0, count)).sort((a, b) => a - b);
    cached = sorted[Math.min(count - 1, Math.ceil(0.95 * count) - 1)]!;
    return cached;
  };
  return {
    record(ms) {
      ring[next] = ms;
      next = (next + 1) % size;
      count = Math.min(count + 1, size);
      cached = undefined;
    },
    p95,
    timeoutMs: () => Math.min(cap, Math.max(opts.floorMs, Math.round(factor * p95()))),
  };
}
