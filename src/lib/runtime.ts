import { sql } from 'drizzle-orm';
import { openDb, type Db, type DbHandle } from '#db/client';
import { env } from '#lib/env';
import { runDueDigests } from '#lib/alerts/digest';
import { deleteExpiredSessions } from '#lib/auth/session';
import { sweep as sweepRateLimits } from '#lib/ratelimit';
import { expireDueJobs } from '#lib/jobs/expiry';
import { createMailWorker } from '#lib/mail-queue';
import { createMailTransport } from '#lib/mail';
import { createEngine, type SearchEngine } from '#lib/search/engine';
import { createSearchWorker } from '#lib/search/outbox';
import { outboxLogging } from '#lib/search/outbox-log';
import { startLocalMeili, type LocalMeili } from '#lib/search/local-meili';
import path from 'node:path';
import { onShutdown } from '#lib/lifecycle';

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
  const handle = await openDb({ databaseUrl: e.DATABASE_URL, pgliteDir: path.join(e.dataDir, 'pglite') });
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
  });
  // Services queue mail in their own transactions (queueMail); only the mail worker holds the
  // transport, and it delivers with retries, so an SMTP outage delays mail and loses none.
  const transport = createMailTransport({ smtpUrl: e.SMTP_URL, dataDir: e.dataDir, from: e.MAIL_FROM });
  // Both workers wake on the NOTIFY their queue's writers send inside the writing transaction,
  // so no caller wakes them. Engine-down and refused-document failures are logged apart (see outboxLogging).
  const outbox = createSearchWorker(handle, engine, outboxLogging());
  const mail = createMailWorker(handle, transport, {
    errorDelayMs: 5000,
    onError: (err) => console.error('[mail]', err),
  });
  const timers: NodeJS.Timeout[] = [];
  if (e.WORKERS === 'on') {
    void outbox.start();
    void mail.start();
    const sweep = async () => {
      try {
        await expireDueJobs(handle.db);
      } catch (err) {
        console.error('[expiry]', err);
      }
    };
    void sweep();
    timers.push(setInterval(sweep, 60_000));
    // Job-alert digests: due searches are claimed with SKIP LOCKED, so several processes can run this.
    const digests = async () => {
      try {
        await runDueDigests(handle.db, { siteUrl: e.PUBLIC_SITE_URL });
      } catch (err) {
        console.error('[alerts]', err);
      }
    };
    timers.push(setInterval(digests, 60_000));
    // Housekeeping: expired sessions and old rate-limit windows (both also expire lazily).
    timers.push(
      setInterval(() => {
        void Promise.all([deleteExpiredSessions(handle.db), sweepRateLimits(handle.db)]).catch((err) => console.error('[housekeeping]', err));
      }, 3_600_000),
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

export async function dbHealthy(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
