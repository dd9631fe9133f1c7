import http from 'node:http';

/** A small closed-loop load generator: N connections, each sending the next request when the last answered. */
export interface LoadResult {
  /** Successful answers (with `classify`: answered by the primary path, neither fallback nor shed). */
  requests: number;
  errors: number;
  /** With `classify`: answers from the fallback, and refusals for load (503), counted apart from successes. */
  fallbacks: number;
  sheds: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

export interface Req {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** What an answer was: a success, a fallback answer, a refusal for load, or an error. */
export type Outcome = 'ok' | 'fallback' | 'shed' | 'error';
export type Classify = (status: number, headers: http.IncomingHttpHeaders) => Outcome;

/** /api/jobs and /jobs: 503 is a shed; an answer from PostgreSQL (X-Search-Engine) is a fallback, not a success. */
export const classifySearch: Classify = (status, headers) => {
  if (status === 503) return 'shed';
  if (status >= 400) return 'error';
  if (headers['x-search-engine'] !== 'meilisearch') return 'fallback';
  return 'ok';
};

export async function runLoad(base: string, requests: Req[], connections: number, seconds: number, classify?: Classify): Promise<LoadResult> {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  /** Latencies of every answer that was not an error (successes, fallbacks and sheds). */
  const answered: number[] = [];
  let errors = 0;
  let fallbacks = 0;
  let sheds = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  const one = (r: Req) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: r.path,
          method: r.method,
          agent,
          headers: {
            ...(r.body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.body) } : {}),
            ...r.headers,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const ms = performance.now() - t0;
            const status = res.statusCode ?? 500;
            const outcome = classify ? classify(status, res.headers) : status >= 400 ? 'error' : 'ok';
            if (outcome === 'error') errors++;
            else {
              answered.push(ms);
              if (outcome === 'ok') latencies.push(ms);
              else if (outcome === 'fallback') fallbacks++;
              else sheds++;
            }
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      if (r.body) req.write(r.body);
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) await one(requests[next++ % requests.length]!);
    }),
  );
  const secs = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  // Without classify, latencies are the successes' (as before); with it, every answer's, sheds included.
  const lat = classify ? answered : latencies;
  return {
    requests: latencies.length,
    errors,
    fallbacks,
    sheds,
    seconds: secs,
    rps: latencies.length / secs,
    p50: percentile(lat, 50),
    p95: percentile(lat, 95),
    p99: percentile(lat, 99),
  };
}

export function fmt(r: LoadResult): string {
  return `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2).padStart(7)} ms  p95 ${r.p95.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms  (${r.requests} ok, ${r.errors} errors, ${r.fallbacks} fallbacks, ${r.sheds} shed)`;
}
