import path from 'node:path';
import { z } from 'zod';

/**
 * The one place configuration is read. Parsed from process.env at runtime (never
 * import.meta.env, which Vite would inline at build time), once, and frozen.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.url().optional(),
  MEILI_URL: z.url().optional(),
  MEILI_API_KEY: z.string().min(1).optional(),
  /** Name of the jobs index (an alias-like stable name; reindex swaps into it). */
  MEILI_INDEX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('jobs'),
  /**
   * Floor of the adaptive search timeout (3 × the engine's recent p95, capped by MEILI_TIMEOUT_CAP_MS).
   * A timeout from an engine that is still answering others is load: that search is shed (503), not
   * sent to PostgreSQL.
   */
  MEILI_TIMEOUT_MS: z.coerce.number().int().positive().default(1500),
  MEILI_TIMEOUT_CAP_MS: z.coerce.number().int().positive().default(10_000),
  /** PostgreSQL searches at once while Meilisearch is down; the excess gets 503 + Retry-After. 0 sheds all. */
  SEARCH_FALLBACK_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(3),
  /**
   * How long a change is served from the small fresh index before the main index takes it, with
   * every other change held meanwhile, in one batch (ms); 0 turns the fresh index off, and each
   * change then waits for a main-index write (seconds at 100k jobs). See src/lib/search/fresh.ts.
   */
  SEARCH_FRESH_HOLD_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),
  /** How long identical anonymous searches share one answer (ms); 0 turns the cache off. */
  SEARCH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  HOST: z.string().default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4321),
  /** Unset: the address the server listens on (see siteUrlFor), so emailed links work as sent. */
  PUBLIC_SITE_URL: z.url().optional(),
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().default('PHP/IOP Jobs <no-reply@localhost>'),
  DATA_DIR: z.string().default('.data'),
  /** Compress text responses in the Node server; `off` when a proxy in front compresses. */
  COMPRESSION: z.enum(['on', 'off']).default('on'),
  /** Anonymous public pages (job pages, feeds) served from memory this long; 0 turns it off. Never longer than the page's own max-age. */
  PAGE_CACHE_TTL_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** Bearer token for GET /metrics; unset, /metrics answers 404. */
  METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /** Run the background workers (outbox drain, expiry sweep, alerts) in this process. */
  WORKERS: z.enum(['on', 'off']).default('on'),
  /**
   * How many proxies (load balancer, CDN) stand in front of the app and append to
   * X-Forwarded-For: the client is the Nth address from the right. Off (0) uses the
   * socket address and ignores the header, which anyone can write.
   */
  TRUST_PROXY: z
    .union([z.enum(['off', 'false']).transform(() => 0), z.coerce.number().int().min(0).max(10)], {
      error: 'Use off, or the number of proxies in front of the app (1 for one load balancer).',
    })
    .default(0),
});

export type Env = z.infer<typeof EnvSchema> & { dataDir: string; PUBLIC_SITE_URL: string };

/**
 * The origin a browser reaches a server listening on HOST:PORT at: a wildcard address
 * (0.0.0.0, ::) is not one a browser can open, so it reads as localhost; an IPv6 literal
 * is bracketed.
 */
export function siteUrlFor(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}${port === 80 ? '' : `:${port}`}`;
}

let cached: Env | undefined;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings in .env files mean "unset".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${detail}`);
  }
  const d = parsed.data;
  return Object.freeze({
    ...d,
    PUBLIC_SITE_URL: (d.PUBLIC_SITE_URL ?? siteUrlFor(d.HOST, d.PORT)).replace(/\/+$/, ''),
    dataDir: path.resolve(d.DATA_DIR),
  });
}

/**
 * Every entry point (the web server, `npm start`, reindex, migrate, seed) reads its
 * configuration through here, so they cannot disagree: the real environment wins, and a
 * developer's optional `.env` in the working directory fills in what it leaves unset.
 * The file is merged into process.env so child processes (the built server that
 * `npm start` launches) see the same values.
 */
export function loadConfig(opts: { envFile?: string } = {}): Env {
  const file = opts.envFile ?? path.resolve('.env');
  try {
    process.loadEnvFile(file);
  } catch (err) {
    // No .env is the normal case; anything else (unreadable, malformed) must not pass silently.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Could not read ${file}: ${err instanceof Error ? err.message : err}`);
  }
  return readEnv(process.env);
}

export function env(): Env {
  cached ??= loadConfig();
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
