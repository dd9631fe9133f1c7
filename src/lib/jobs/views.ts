import { sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { onShutdown } from '#lib/lifecycle';
import { errInfo, log } from '#lib/log';

/**
 * Job-page view counts, kept off the request path: a view adds one to an in-process
 * tally, and the tally is written every few seconds in one UPDATE … FROM (VALUES …)
 * per batch of jobs, and once more on shutdown. Reading a page therefore never writes;
 * a crash loses at most the last interval's views (a statistic, not a record).
 */
export interface ViewCounter {
  /** Counts one view of a job (no I/O). */
  count(jobId: string): void;
  /** Writes what has been counted; resolves with the number of job rows updated. */
  flush(): Promise<number>;
  /** Views counted and not yet written. */
  pending(): number;
  /** Stops the timer and writes what is left. */
  stop(): Promise<void>;
}

/** Rows per UPDATE: two parameters each, far below PostgreSQL's 65,535. */
const BATCH_ROWS = 1000;

export function createViewCounter(db: Db, opts: { intervalMs?: number } = {}): ViewCounter {
  let tally = new Map<string, number>();
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
    flush,
    pending: () => {
      let n = 0;
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
