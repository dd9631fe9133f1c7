import { sql } from 'drizzle-orm';
import { openDb, rows, type Db, type DbHandle } from '#db/client';
import { env } from '#lib/env';
import { runDueDigests } from '#lib/alerts/digest';
import { runJobDigests } from '#lib/team-notify/digest';
import { deleteExpiredSessions } from '#lib/auth/session';
import { sweep as sweepRateLimits } from '#lib/ratelimit';
import { expireDueJobs } from '#lib/jobs/expiry';
import { sendScorecardReminders } from '#lib/scorecards/reminders';
import { sendDueReminders } from '#lib/interviews/reminders';
import { runRetention } from '#lib/retention/policy';
import { defaultStore } from '#lib/resumes/storage';
import { sweepOrphanResumeFiles } from '#lib/resumes/sweep';
import { createMailWorker } from '#lib/mail-queue';
import { createMailTransport } from '#lib/mail';
import { createEngine, type SearchEngine } from '#lib/search/engine';
import { createSearchWorker } from '#lib/search/outbox';
import { outboxLogging } from '#lib/search/outbox-log';
import { startLocalMeili, type LocalMeili } from '#lib/search/local-meili';
import os from 'node:os';
import path from 'node:path';
import { onShutdown } from '#lib/lifecycle';
import { errInfo, log } from '#lib/log';
import { metrics } from '#lib/metrics';
import { queueStats } from '#lib/queue/table';
import { mailOutbox, searchFresh, searchOutbox } from '#db/schema';

/**
 * The process-wide services: database, search engine, mailer and the background
 * workers. Built once, lazily, by the first request (or a CLI), and shut down on
 * exit. Pages and actions reach services through here, never by opening their own.
 */
export interface Runtime {
  db: Db;
  driver: DbHandle['driver'];
  engine: SearchEngine;
  close(): Promise<void>;
}

let current: Promise<Runtime> | undefined;

export function getRuntime(): Promise<Runtime> {
  current ??= buildRuntime().catch((err) => {
    current = undefined;
    throw err;
  });
  return current;
}

async function buildRuntime(): Promise<Runtime> {
  const e = env();
  // Named per process so the pool metrics count this process's connections among all instances'.
  const applicationName = `php-iop-jobs ${os.hostname()}:${process.pid}`.slice(0, 63);
  const handle = await openDb({
    databaseUrl: e.DATABASE_URL,
    pgliteDir: path.join(e.dataDir, 'pglite'),
    max: PG_POOL_MAX,
    applicationName,
  });
  let local: LocalMeili | undefined;
  let meiliUrl = e.MEILI_URL;
  if (!meiliUrl) {
    // Dev convenience (astro dev): run the embedded Meilisearch ourselves.
    local = await startLocalMeili({ dataDir: path.join(e.dataDir, 'meili') });
    meiliUrl = local.url;
  }
  const engine = createEngine({
    url: meiliUrl,
    apiKey: e.MEILI_API_KEY,
    indexName: e.MEILI_INDEX,
    searchTimeoutMs: e.MEILI_TIMEOUT_MS,
    searchTimeoutCapMs: e.MEILI_TIMEOUT_CAP_MS,
    fallback: { limit: e.SEARCH_FALLBACK_CONCURRENCY },
    cacheTtlMs: e.SEARCH_CACHE_TTL_MS,
    freshHoldMs: e.SEARCH_FRESH_HOLD_MS,
  });
  // Services queue mail in their own transactions (queueMail); only the mail worker holds the
  // transport, and it delivers with retries, so an SMTP outage delays mail and loses none.
  const transport = createMailTransport({ smtpUrl: e.SMTP_URL, dataDir: e.dataDir, from: e.MAIL_FROM });
  // Both workers wake on the NOTIFY their queue's writers send inside the writing transaction,
  // so no caller wakes them. Engine-down and refused-document failures are logged apart (see outboxLogging).
  const outbox = createSearchWorker(handle, engine, {
    ...outboxLogging(searchLog),
    onError: (err) => failed('outbox', err),
    onFailed: (n) => metrics.workerFailures.inc({ worker: 'outbox' }, n),
  });
  const mail = createMailWorker(handle, transport, {
    errorDelayMs: 5000,
    onError: (err) => failed('mail', err),
    onFailed: (n) => metrics.workerFailures.inc({ worker: 'mail' }, n),
  });
  wireMetrics(handle, engine, applicationName);
  const timers: NodeJS.Timeout[] = [];
  if (e.WORKERS === 'on') {
    void outbox.start();
    void mail.start();
    /**
     * A periodic job: runs every `ms` (and at start when asked), its failures counted under `worker`.
     * Every job below claims its rows (SKIP LOCKED, a conditional UPDATE or a primary key), so any
     * number of instances may run them all without doing anything twice.
     */
    const every = (worker: string, ms: number, job: () => Promise<unknown>, opts: { atStart?: boolean } = {}) => {
      const run = () => job().then(undefined, (err: unknown) => failed(worker, err));
      if (opts.atStart) void run();
      timers.push(setInterval(run, ms));
    };
    every('expiry', 60_000, () => expireDueJobs(handle.db), { atStart: true });
    // Job-alert digests: also at start, so digests due across a deploy go out now, not a minute later.
    every('alerts', 60_000, () => runDueDigests(handle.db, { siteUrl: e.PUBLIC_SITE_URL }), { atStart: true });
    // Members' daily digests of new applications on the jobs they follow: each follow claimed with SKIP LOCKED.
    every('follows', 60_000, () => runJobDigests(handle.db, { siteUrl: e.PUBLIC_SITE_URL }), { atStart: true });
    // "Scorecard due": each (interview, interviewer) is claimed by its primary key.
    every('scorecards', 5 * 60_000, () => sendScorecardReminders(handle.db, { siteUrl: e.PUBLIC_SITE_URL }));
    // Interview reminders 24 h ahead: each claimed by a conditional UPDATE (SKIP LOCKED).
    every('reminders', 60_000, () => sendDueReminders(handle.db), { atStart: true });
    // Retention: each organization is claimed once per UTC day, so an hourly check runs it once a day.
    every('retention', 3_600_000, () => runRetention(handle.db), { atStart: true });
    // Housekeeping: expired sessions and old rate-limit windows (both also expire lazily), and resume
    // files no row names (a deletion that died between its commit and removing the files).
    every('housekeeping', 3_600_000, () =>
      Promise.all([deleteExpiredSessions(handle.db), sweepRateLimits(handle.db), sweepOrphanResumeFiles(handle.db, defaultStore())]),
    );
    for (const t of timers) t.unref();
  }
  const rt: Runtime = {
    db: handle.db,
    driver: handle.driver,
    engine,
    close: async () => {
      for (const t of timers) clearInterval(t);
      await Promise.all([outbox.stop(), mail.stop()]);
      await handle.close();
      await local?.stop();
    },
  };
  // After the HTTP server has drained (src/cli/serve.ts registers it at order 0).
  onShutdown('runtime', () => rt.close());
  return rt;
}

/** postgres.js pool size for the app (its default is 10). */
const PG_POOL_MAX = 10;

/** The outbox worker's engine-down / refused-document lines, as pino lines (outboxLogging takes a console-like sink). */
const searchLog = {
  error: (msg: string) => log.child({ worker: 'outbox' }).error(msg),
  info: (msg: string) => log.child({ worker: 'outbox' }).info(msg),
};

/** Background work that threw: logged with its worker's name and counted in worker_failures_total. */
function failed(worker: string, err: unknown): void {
  metrics.workerFailures.inc({ worker });
  log.child({ worker }).error({ err: errInfo(err) }, `${worker} failed`);
}

/** Gives /metrics what it reads at scrape time: queue depths and ages, the breaker, the pool. */
function wireMetrics(handle: DbHandle, engine: SearchEngine, applicationName: string): void {
  const { db } = handle;
  // Every worker's series exists from the start at 0, so rate() and alerts see the first failure.
  for (const worker of ['outbox', 'mail', 'expiry', 'alerts', 'follows', 'scorecards', 'reminders', 'retention', 'housekeeping'])
    metrics.workerFailures.inc({ worker }, 0);
  metrics.sources.breakerOpen = () => engine.breaker.isOpen();
  metrics.sources.queues = async () => {
    // search_fresh is not a queue, but reads as one: jobs served from the fresh index, and how long the oldest has waited for the main index.
    const [search, fresh, mail] = await Promise.all([queueStats(db, searchOutbox), queueStats(db, searchFresh), queueStats(db, mailOutbox)]);
    return { search_outbox: search, search_fresh: fresh, mail_outbox: mail };
  };
  metrics.sources.pgPool = async () => {
    if (handle.driver === 'pglite') return { max: 1, connections: { active: 1 } };
    // postgres.js keeps its connection counts private; PostgreSQL knows them (this query holds one, as active).
    const r = await rows<{ state: string | null; n: number | string }>(
      db,
      sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity where application_name = ${applicationName} group by 1`,
    );
    return { max: PG_POOL_MAX, connections: Object.fromEntries(r.map((x) => [x.state ?? 'unknown', Number(x.n)])) };
  };
}

export async function dbHealthy(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
