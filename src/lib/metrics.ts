import client from 'prom-client';

/**
 * Prometheus metrics for operators (scraped at /metrics behind METRICS_TOKEN). prom-client
 * keeps one registry per process; the server bundle and the CLI import the same package
 * from node_modules (it is external to the bundle), so both record into it.
 * Gauges that need a query (queue depths) are filled by collectors registered at startup.
 */
const KEY = Symbol.for('php-iop-jobs.metrics');
type Metrics = ReturnType<typeof create>;

function create() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  return {
    registry,
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
