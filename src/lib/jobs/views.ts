import { sql } from 'drizzle-orm';
import { rows, type Db } from '#db/client';
import { onShutdown } from '#lib/lifecycle';
import crypto from 'node:crypto';
import { errInfo, log } from '#lib/log';
import { isBot, utcDay, visitMark, visitorDigest, type VisitKind } from './visitors';

/**
 * Job-page view counts, kept off the request path: a view adds one to an in-process
 * tally, and the tally is written every few seconds in one UPDATE … FROM (VALUES …)
 * per batch of jobs, and once more on shutdown. Reading a page therefore never writes;
 * a crash loses at most the last interval's views (a statistic, not a record).
 */
export interface ViewCounter {
  /** Counts one view of a job (no I/O). */
  count(jobId: string): void;
  /**
   * Counts a person's view of a job page or start of its apply form for the reports (no I/O): bots are
   * left out, and the same visitor counts once per job, kind and day (visitors.ts). False when ignored.
   */
  visit(jobId: string, kind: VisitKind, visitor: { address: string; userAgent: string | null }, now?: Date): boolean;
  /** Writes what has been counted; resolves with the number of job rows updated. */
  flush(): Promise<number>;
  /** Views counted and not yet written. */
  pending(): number;
  /** Stops the timer and writes what is left. */
  stop(): Promise<void>;
}

/** Rows per UPDATE: two parameters each, far below PostgreSQL's 65,535. */
const BATCH_ROWS = 1000;

interface PendingVisit {
  jobId: string;
  kind: VisitKind;
  day: string;
  digest: string;
}

/** Today's salt, shared through the database by every process; salts (and marks) of past days are deleted. */
async function daySalt(db: Db, day: string): Promise<string> {
  await db.execute(sql`insert into visitor_salts (day, salt) values (${day}::date, ${crypto.randomBytes(32).toString('base64')}) on conflict do nothing`);
  const [row] = await rows<{ salt: string }>(db, sql`select salt from visitor_salts where day = ${day}::date`);
  if (!row) throw new Error('visitor salt missing');
  return row.salt;
}

/** Writes pending visits: marks not seen today become counts in job_daily_stats, in one statement per batch. */
async function writeVisits(db: Db, visits: PendingVisit[]): Promise<void> {
  const salts = new Map<string, string>();
  for (const day of new Set(visits.map((v) => v.day))) salts.set(day, await daySalt(db, day));
  const marked = new Map<string, PendingVisit>();
  for (const v of visits) marked.set(visitMark(salts.get(v.day)!, v.digest, v.jobId, v.kind), v);
  const entries = [...marked];
  for (let i = 0; i < entries.length; i += BATCH_ROWS) {
    const values = entries.slice(i, i + BATCH_ROWS).map(([hash, v]) => sql`(${hash}, ${v.jobId}::uuid, ${v.day}::date, ${v.kind})`);
    await db.execute(sql`
      with v(hash, job_id, day, kind) as (values ${sql.join(values, sql`, `)}),
      fresh as (insert into visitor_marks (hash, day) select hash, day from v on conflict do nothing returning hash),
      agg as (
        select v.job_id, v.day, count(*) filter (where v.kind = 'view')::int as views, count(*) filter (where v.kind = 'apply')::int as starts
        from v join fresh using (hash) join jobs j on j.id = v.job_id group by v.job_id, v.day)
      insert into job_daily_stats (job_id, day, views, apply_starts) select job_id, day, views, starts from agg
      on conflict (job_id, day) do update set views = job_daily_stats.views + excluded.views, apply_starts = job_daily_stats.apply_starts + excluded.apply_starts`);
  }
  // Yesterday's marks and salt are no use once the day is over, and keeping them would let a hash be recomputed.
  const today = utcDay(new Date());
  await db.execute(sql`delete from visitor_marks where day < ${today}::date`);
  await db.execute(sql`delete from visitor_salts where day < ${today}::date`);
}

export function createViewCounter(db: Db, opts: { intervalMs?: number } = {}): ViewCounter {
  let tally = new Map<string, number>();
  // Keyed by digest, job, kind and day: repeat visits within an interval are dropped before any I/O.
  let visits = new Map<string, PendingVisit>();
  let flushing: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | undefined;

  const write = async (batch: Map<string, number>): Promise<number> => {
    const rows = [...batch];
    let updated = 0;
    for (let i = 0; i < rows.length; i += BATCH_ROWS) {
      const values = rows.slice(i, i + BATCH_ROWS).map(([id, n]) => sql`(${id}::uuid, ${n}::int)`);
      const r = await db.execute(
        sql`update jobs set view_count = jobs.view_count + v.n from (values ${sql.join(values, sql`, `)}) as v(id, n) where jobs.id = v.id`,
      );
      updated += rowCount(r);
    }
    return updated;
  };

  const flush = (): Promise<number> => {
    // One flush at a time; a flush that fails puts its views back for the next one.
    flushing = flushing.then(async () => {
      const seen = visits;
      visits = new Map();
      if (seen.size) {
        try {
          await writeVisits(db, [...seen.values()]);
        } catch (err) {
          for (const [k, v] of seen) visits.set(k, v);
          throw err;
        }
      }
      if (tally.size === 0) return 0;
      const batch = tally;
      tally = new Map();
      try {
        return await write(batch);
      } catch (err) {
        for (const [id, n] of batch) tally.set(id, (tally.get(id) ?? 0) + n);
        throw err;
      }
    });
    return flushing;
  };

  if (opts.intervalMs) {
    timer = setInterval(() => {
      flush().catch((err: unknown) => log.warn({ err: errInfo(err) }, 'job view counts not written; retrying'));
    }, opts.intervalMs);
    timer.unref();
  }

  return {
    count(jobId) {
      tally.set(jobId, (tally.get(jobId) ?? 0) + 1);
    },
    visit(jobId, kind, visitor, now = new Date()) {
      if (isBot(visitor.userAgent)) return false;
      const digest = visitorDigest(visitor.address, visitor.userAgent ?? '');
      const day = utcDay(now);
      visits.set(`${digest}|${jobId}|${kind}|${day}`, { jobId, kind, day, digest });
      return true;
    },
    flush,
    pending: () => {
      let n = visits.size;
      for (const v of tally.values()) n += v;
      return n;
    },
    async stop() {
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}

/** postgres.js returns the rows array with `count`; PGlite a result with `affectedRows`. */
function rowCount(r: unknown): number {
  const x = r as { count?: number; affectedRows?: number };
  return Number(x.count ?? x.affectedRows ?? 0);
}

/** How often the page's counter writes (a view shows in the dashboard within this). */
export const VIEW_FLUSH_MS = 5_000;

const counters = new WeakMap<Db, ViewCounter>();

/**
 * The process's counter for this database: started by the first view, written every
 * VIEW_FLUSH_MS and on shutdown, after the HTTP server drains and before the pools close.
 */
export function viewCounter(db: Db): ViewCounter {
  let c = counters.get(db);
  if (!c) {
    const created = createViewCounter(db, { intervalMs: VIEW_FLUSH_MS });
    counters.set(db, created);
    onShutdown('job view counts', () => created.stop(), 5);
    c = created;
  }
  return c;
}
