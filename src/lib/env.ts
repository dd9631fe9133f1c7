import path from 'node:path';
import { z } from 'zod';

/**
 * The one place configuration is read. Parsed from process.env at runtime (never
 * import.meta.env, which Vite would inline at build time), once, and frozen.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().optional(),
  MEILI_URL: z.string().url().optional(),
  MEILI_API_KEY: z.string().min(1).optional(),
  /** Name of the jobs index (an alias-like stable name; reindex swaps into it). */
  MEILI_INDEX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('jobs'),
  /** Client timeout for searches: past it, search answers from PostgreSQL. */
  MEILI_TIMEOUT_MS: z.coerce.number().int().positive().default(1500),
  HOST: z.string().default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4321),
  PUBLIC_SITE_URL: z.string().url().default('http://localhost:4321'),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('PHP/IOP Jobs <no-reply@localhost>'),
  DATA_DIR: z.string().default('.data'),
  /** Compress text responses in the Node server; `off` when a proxy in front compresses. */
  COMPRESSION: z.enum(['on', 'off']).default('on'),
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

export type Env = z.infer<typeof EnvSchema> & { dataDir: string };

let cached: Env | undefined;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings in .env files mean "unset".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${detail}`);
  }
  return Object.freeze({ ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) });
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
