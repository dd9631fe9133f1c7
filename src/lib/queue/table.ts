import { sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { rows, type Db } from '#db/client';

/**
 * The SQL every queue table shares (search_outbox, mail_outbox): each has `id`,
 * `available_at` (when a row is next due), `attempts` and `last_error`. Writers
 * insert a row and notify inside their transaction; a worker claims due rows with
 * a lease, deletes what it finished and backs off what failed.
 */

/** Backoff for a failed row: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Wakes the queue's workers once the caller's transaction commits: PostgreSQL holds a
 * NOTIFY until COMMIT and drops it on ROLLBACK, so a worker never looks for a row that
 * is not there yet, and no caller has to remember to wake anything.
 */
export async function notifyQueue(tx: Pick<Db, 'execute'>, channel: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${channel}, '')`);
}

/**
 * Claims up to `limit` due rows, oldest first, and leases them: `available_at` moves
 * `leaseSeconds` ahead and `attempts` goes up, so no other worker takes them while this
 * one works, and a worker that dies mid-batch leaves them to be retried after the lease.
 * SKIP LOCKED lets several processes claim side by side. `where` narrows which due rows; `alsoSet` adds assignments
 * (e.g. clearing a failure kind). Raw rows come back (snake_case), in id order.
 */
export async function claimDue<R extends { id: number | string }>(
  db: Db,
  table: PgTable,
  opts: { limit: number; leaseSeconds: number; alsoSet?: SQL; where?: SQL },
): Promise<R[]> {
  const claimed = await rows<R>(
    db,
    sql`update ${table} set available_at = now() + make_interval(secs => ${opts.leaseSeconds}), attempts = attempts + 1${opts.alsoSet ? sql`, ${opts.alsoSet}` : sql``}
        where id in (select id from ${table} where available_at <= now()${opts.where ? sql` and ${opts.where}` : sql``} order by id limit ${opts.limit} for update skip locked)
        returning *`,
  );
  return claimed.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Row ids as a SQL list, for `id in (…)`. */
export const idList = (ids: readonly number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/** Deletes finished rows (with the db, or inside a caller's transaction). */
export async function complete(db: Pick<Db, 'execute'>, table: PgTable, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`delete from ${table} where id in (${idList(ids)})`);
}

/** Keeps failed rows for a retry after backoffMs(attempts), with the error (and `alsoSet`) recorded. */
export async function backOff(db: Db, table: PgTable, ids: readonly number[], attempts: number, error: string, alsoSet?: SQL): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(
    sql`update ${table} set available_at = now() + make_interval(secs => ${backoffMs(attempts) / 1000}), last_error = ${error.slice(0, 500)}${alsoSet ? sql`, ${alsoSet}` : sql``}
        where id in (${idList(ids)})`,
  );
}

/** Milliseconds until the next row is due (0 if one is due now), or null when the table is empty. */
export async function nextDueMs(db: Db, table: PgTable): Promise<number | null> {
  const r = await rows<{ ms: number | string | null }>(db, sql`select (extract(epoch from min(available_at) - now()) * 1000)::float8 as ms from ${table}`);
  const ms = r[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
}

/** What an operator watches on a queue: rows waiting (due or backed off) and how long the oldest has waited. */
export interface QueueStats {
  depth: number;
  oldestAgeSeconds: number;
}

/** One cheap aggregate (the queues are small when healthy), read at each metrics scrape. */
export async function queueStats(db: Db, table: PgTable): Promise<QueueStats> {
  const r = await rows<{ n: number | string; age: number | string | null }>(
    db,
    sql`select count(*)::int as n, extract(epoch from now() - min(created_at))::float8 as age from ${table}`,
  );
  return { depth: Number(r[0]?.n ?? 0), oldestAgeSeconds: Math.max(0, Number(r[0]?.age ?? 0)) };
}
