import { sql } from 'drizzle-orm';
import { openDb, type Db, type DbHandle } from '#db/client';
import { env } from '#lib/env';
import { runDueDigests } from '#lib/alerts/digest';
import { deleteExpiredSessions } from '#lib/auth/session';
import { sweep as sweepRateLimits } from '#lib/ratelimit';
import { expireDueJobs } from '#lib/jobs/expiry';
import { deliverMail } from '#lib/mail-queue';
import { createMailTransport } from '#lib/mail';
import { createEngine, type SearchEngine } from '#lib/search/engine';
import { OutboxWorker } from '#lib/search/outbox';
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
  /** Wakes the mail worker; services call it (through MailDeps) after the transaction that queued mail committed. */
  wakeMail(): void;
  outbox: OutboxWorker;
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
  const engine = createEngine({ url: meiliUrl, apiKey: e.MEILI_API_KEY, indexName: e.MEILI_INDEX, searchTimeoutMs: e.MEILI_TIMEOUT_MS });
  // Services queue mail in their own transactions (queueMail); only the worker below holds the
  // transport, and it delivers with retries, so an SMTP outage delays mail and loses none.
  const transport = createMailTransport({ smtpUrl: e.SMTP_URL, dataDir: e.dataDir, from: e.MAIL_FROM });
  let kickMail: () => void = () => {};
  // Engine-down and refused-document failures are logged apart (see outboxLogging).
  const outbox = new OutboxWorker(handle.db, engine, outboxLogging());
  const timers: NodeJS.Timeout[] = [];
  if (e.WORKERS === 'on') {
    outbox.start();
    const sweep = async () => {
      try {
        const ids = await expireDueJobs(handle.db);
        if (ids.length) outbox.kick();
      } catch (err) {
        console.error('[expiry]', err);
      }
    };
    void sweep();
    timers.push(setInterval(sweep, 60_000));
    // Queued mail (alerts, notifications): delivered with retries, so an SMTP outage loses nothing.
    let mailing = false;
    let mailAgain = false;
    const mail = async (): Promise<void> => {
      if (mailing) {
        mailAgain = true; // a message queued mid-run is picked up by one more pass
        return;
      }
      mailing = true;
      try {
        do {
          mailAgain = false;
          while ((await deliverMail(handle.db, transport)).sent > 0) {
            /* keep going while there is mail */
          }
        } while (mailAgain);
      } catch (err) {
        console.error('[mail]', err);
      } finally {
        mailing = false;
      }
    };
    timers.push(setInterval(mail, 5_000));
    kickMail = () => void mail();
    // Job-alert digests: due searches are claimed with SKIP LOCKED, so several processes can run this.
    const digests = async () => {
      try {
        const r = await runDueDigests(handle.db, { siteUrl: e.PUBLIC_SITE_URL });
        if (r.emails) void mail();
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
    wakeMail: () => kickMail(),
    outbox,
    close: async () => {
      for (const t of timers) clearInterval(t);
      await outbox.stop();
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
