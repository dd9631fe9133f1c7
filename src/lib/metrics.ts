import client from 'prom-client';

/**
 * Prometheus metrics for operators (scraped at /metrics behind METRICS_TOKEN). prom-client
 * keeps one registry per process; the server bundle and the CLI import the same package
 * from node_modules (it is external to the bundle), so both record into it.
 * Gauges that need a query (queue depths) are filled by collectors registered at startup.
 */
const KEY = Symbol.for('php-iop-jobs.metrics');
type Metrics = ReturnType<typeof create>;

/**
 * What the runtime lends the registry to read at scrape time (set when it is built): state that
 * lives in the database or in another object, read when Prometheus asks rather than kept in step.
 */
interface QueueStats {
  depth: number;
  oldestAgeSeconds: number;
}

export interface ScrapeSources {
  /** Depth and oldest age per queue table (one cheap aggregate each). */
  queues?: () => Promise<Record<string, QueueStats>>;
  /** The search engine's circuit breaker. */
  breakerOpen?: () => boolean;
  /** The PostgreSQL pool: its configured size and this process's open connections by state. */
  pgPool?: () => Promise<{ max: number; connections: Record<string, number> }>;
}

/** Several gauges read one sample: taken once per scrape (they are collected side by side), not once per gauge. */
function perScrape<T>(read: () => Promise<T> | undefined): () => Promise<T | undefined> {
  let last: { at: number; value: Promise<T | undefined> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > 500) {
      const value = (read() ?? Promise.resolve(undefined)).catch(() => undefined);
      last = { at: Date.now(), value };
    }
    return last.value;
  };
}

function create() {
  const registry = new client.Registry();
  const sources: ScrapeSources = {};
  const queues = perScrape(() => sources.queues?.());
  const pgPool = perScrape(() => sources.pgPool?.());
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  /** One series per queue table, read at scrape time; a failed read leaves the series out rather than reporting a stale value. */
  const queueGauge = (name: string, help: string, pick: (q: QueueStats) => number) =>
    new client.Gauge({
      name,
      help,
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const [queue, q] of Object.entries((await queues()) ?? {})) this.set({ queue }, pick(q));
      },
    });
  return {
    registry,
    sources,
    httpDuration: new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route pattern, method and status.',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    searchDuration: new client.Histogram({
      name: 'search_duration_seconds',
      help: 'Searches by the engine that answered (meilisearch | postgres).',
      labelNames: ['engine'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    searchFallbacks: new client.Counter({
      name: 'search_fallbacks_total',
      help: 'Searches answered by PostgreSQL because Meilisearch failed.',
      registers: [registry],
    }),
    searchShed: new client.Counter({
      name: 'search_shed_total',
      help: 'Searches refused with 503 because the fallback was at capacity.',
      registers: [registry],
    }),
    breakerOpen: new client.Gauge({
      name: 'search_breaker_open',
      help: '1 while the Meilisearch circuit breaker is open.',
      registers: [registry],
      collect() {
        if (sources.breakerOpen) this.set(sources.breakerOpen() ? 1 : 0);
      },
    }),
    queueDepth: queueGauge(
      'queue_depth',
      'Rows waiting in a queue table (search_outbox, mail_outbox), due or backed off; search_fresh: jobs the fresh index serves until the main index has them.',
      (q) => q.depth,
    ),
    queueOldestAge: queueGauge('queue_oldest_age_seconds', 'Age of the oldest row waiting in a queue table (0 when empty).', (q) => q.oldestAgeSeconds),
    pgPoolMax: new client.Gauge({
      name: 'pg_pool_max_connections',
      help: 'Configured size of the PostgreSQL pool (postgres.js max).',
      registers: [registry],
      async collect() {
        const p = await pgPool();
        if (p) this.set(p.max);
      },
    }),
    pgConnections: new client.Gauge({
      name: 'pg_pool_connections',
      help: "This process's open PostgreSQL connections by state (pg_stat_activity: active, idle, …).",
      labelNames: ['state'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const p = await pgPool();
        for (const [state, n] of Object.entries(p?.connections ?? {})) this.set({ state }, n);
      },
    }),
    workerFailures: new client.Counter({
      name: 'worker_failures_total',
      help: 'Background work that failed, by worker.',
      labelNames: ['worker'] as const,
      registers: [registry],
    }),
    feedItemsSkipped: new client.Counter({
      name: 'feed_items_skipped_total',
      help: 'Feed items left out because they could not be rendered.',
      labelNames: ['feed'] as const,
      registers: [registry],
    }),
  };
}

const g = globalThis as typeof globalThis & { [KEY]?: Metrics };
export const metrics: Metrics = (g[KEY] ??= create());
