import { sql } from 'drizzle-orm';
import { type Db, rows, type Tx } from '#db/client';
import type { FRESH_STATES } from '#db/schema';
import { type JobDocument, loadIndexState } from './documents';
import { idList } from '#lib/queue/table';
import { ensureIndex, type SearchEngine } from './engine';
import { SyncTaskFailedError } from './sync-errors';

/**
 * The fresh index: a small second index that makes a change searchable in well under a second
 * while the main index, whose every write costs seconds at 100k jobs whatever its size (Meilisearch
 * 1.21 rewrites its geo points per batch: 1.4 s at 87k here), takes changes in held, merged batches.
 *
 * How a change travels (the search worker, outbox.ts):
 * 1. Its search_outbox row is taken by the fresh pass, which writes the job's current state to the
 *    fresh index (or, for a job that left search, nothing), then in one transaction records the job
 *    in search_fresh with the row's id as `rev` and marks the row 'live', due for the main index
 *    after the hold. From that commit every search excludes the job from the main index and reads
 *    it from the fresh index (meili-search.ts), so totals and facets stay exact.
 * 2. When the hold ends, the main drain writes every held row in one batch and, in the transaction
 *    that deletes those rows, removes each search_fresh row its batch covers (rev ≤ the newest row
 *    it wrote for that job): a change that came later keeps its job in the fresh index.
 * 3. Fresh-index documents whose outbox rows are gone are swept later; a search never reads one
 *    that search_fresh does not list, so the sweep is housekeeping, not correctness.
 *
 * The fresh pass writes only while the fresh index is small (FRESH_CAP) and rows are new: a bulk
 * import or an engine catching up after an outage goes to the main index directly.
 */

/** A job as the fresh index holds it: its state, the outbox row that state answers, and when it was written. */
interface FreshDocument extends JobDocument {
  rev: number;
  /** Unix seconds. */
  freshAt: number;
}

/** The most jobs the fresh index lists at once; every search's filter names each of them. */
export const FRESH_CAP = 200;
/** Rows one fresh pass takes. */
const FRESH_BATCH = 50;
/** A row older than this when first seen (workers were down, or the engine was): the main index takes it alone. */
const FRESH_MAX_AGE_SECONDS = 10;
/** How long the main drain leaves a new row to the fresh pass, whichever process runs it. */
export const FRESH_GRACE_SECONDS = 5;
/** The sweep leaves documents younger than the hold and this much alone: a fresh pass may be between its write and its commit, and a process may still search with a list read before the entry went. */
const SWEEP_MIN_AGE_SECONDS = 60;
/** A fresh write is small; one that takes longer than this is left to the main index. */
const FRESH_TIMEOUT_MS = 5000;

type FreshState = (typeof FRESH_STATES)[number];

/** What a search needs to know of the fresh index: the ids to keep out of the main index, and those to read from the fresh one. */
export interface Overlay {
  hidden: string[];
  live: string[];
}

/** The whole list: a scan of a table of at most FRESH_CAP rows. */
async function readOverlay(db: Db): Promise<Overlay> {
  const found = await rows<{ job_id: string; tombstone: boolean }>(db, sql`select job_id, tombstone from search_fresh`);
  return { hidden: found.map((r) => r.job_id), live: found.filter((r) => !r.tombstone).map((r) => r.job_id) };
}

/**
 * How long a process reuses the list. Read on every search, it cost 11 % of /api/jobs' throughput at
 * c=32 (bench:search, same machine, 0.65× against 0.73× direct); shared, searches arriving together
 * make one read. A list this old is a consistent earlier moment: a job it lists still has its document in
 * the fresh index (the sweep keeps documents SWEEP_MIN_AGE_SECONDS past the hold), and a job it does
 * not list yet still has its older state in the main index. This process's own fresh pass and main drain
 * drop the list at once.
 */
const OVERLAY_TTL_MS = 250;
const overlays = new WeakMap<Db, { at: number; list: Promise<Overlay> }>();

/** The list as searches read it: shared by this process's searches for OVERLAY_TTL_MS. */
export function currentOverlay(db: Db, now = Date.now()): Promise<Overlay> {
  const cached = overlays.get(db);
  if (cached && now - cached.at < OVERLAY_TTL_MS) return cached.list;
  const list = readOverlay(db);
  overlays.set(db, { at: now, list });
  list.catch(() => overlays.delete(db));
  return list;
}

/** After this process changed search_fresh: its next search reads the list again. */
export function dropOverlay(db: Db): void {
  overlays.delete(db);
}

async function mark(db: Db, ids: readonly number[], state: FreshState): Promise<void> {
  if (ids.length) await db.execute(sql`update search_outbox set fresh_state = ${state} where id in (${idList(ids)})`);
}

export interface FreshOutcome {
  /** Rows the pass took. */
  claimed: number;
  /** Rows now searchable through the fresh index. */
  live: number;
  /** Rows left to the main index (too old, the fresh index full, or its write failed). */
  skipped: number;
  /** Why the fresh write failed, when it did. */
  error?: string;
}

/** Engines whose indexes this process has created or checked (settings included). */
const ensured = new WeakSet<SearchEngine>();

/** One fresh pass: takes new outbox rows (SKIP LOCKED, so every instance may run it) and makes their jobs' state searchable. */
export async function freshPass(db: Db, engine: SearchEngine): Promise<FreshOutcome> {
  const fresh = engine.fresh;
  if (!fresh) return { claimed: 0, live: 0, skipped: 0 };
  const taken = await rows<{ id: number | string; job_id: string; age: number | string }>(
    db,
    sql`update search_outbox set fresh_state = 'taken'
        where id in (select id from search_outbox where fresh_state is null order by id limit ${FRESH_BATCH} for update skip locked)
        returning id, job_id, extract(epoch from now() - created_at)::float8 as age`,
  );
  if (taken.length === 0) return { claimed: 0, live: 0, skipped: 0 };
  const recent = taken.filter((t) => Number(t.age) <= FRESH_MAX_AGE_SECONDS);
  const old = taken.filter((t) => Number(t.age) > FRESH_MAX_AGE_SECONDS).map((t) => Number(t.id));
  await mark(db, old, 'skipped');
  const skipAll = async (error?: string): Promise<FreshOutcome> => {
    await mark(
      db,
      recent.map((t) => Number(t.id)),
      'skipped',
    );
    return { claimed: taken.length, live: 0, skipped: taken.length, error };
  };
  if (recent.length === 0) return { claimed: taken.length, live: 0, skipped: taken.length };

  /** Each job's newest row: the state written now answers it and every earlier one. */
  const rev = new Map<string, number>();
  for (const t of recent) rev.set(t.job_id, Math.max(rev.get(t.job_id) ?? 0, Number(t.id)));
  const size = await rows<{ n: number | string }>(db, sql`select count(*)::int as n from search_fresh`);
  if (Number(size[0]?.n ?? 0) + rev.size > FRESH_CAP) {
    // Full: the held changes go to the main index now, which empties the list, and these follow them there.
    await db.execute(sql`update search_outbox set available_at = now() where fresh_state = 'live' and attempts = 0 and available_at > now()`);
    return skipAll();
  }

  try {
    if (!ensured.has(engine)) {
      // Both indexes: searches filter the main one by id, a setting a process started without the CLI may not have applied.
      await ensureIndex(engine);
      ensured.add(engine);
    }
    const live = await db.transaction(async (tx) => {
      // One pass per job at a time (sorted, so two passes never wait on each other in a cycle): the state is
      // read under the lock, so a pass that read an older state can never write after one that read a newer.
      const jobIds = [...rev.keys()].sort();
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended('search-fresh:' || j, 0)) from unnest(array[${sql.join(
          jobIds.map((j) => sql`${j}`),
          sql`, `,
        )}]::text[]) as t(j)`,
      );
      const { upserts, deletes } = await loadIndexState(tx, jobIds);
      if (upserts.length) {
        const freshAt = Math.floor(Date.now() / 1000);
        const docs: FreshDocument[] = upserts.map((d) => ({ ...d, rev: rev.get(d.id)!, freshAt }));
        const done = await engine.client
          .index<FreshDocument>(fresh.indexName)
          .addDocuments(docs, { primaryKey: 'id' })
          .waitTask({ timeout: FRESH_TIMEOUT_MS, interval: 10 });
        if (done.status !== 'succeeded') throw new SyncTaskFailedError(done);
      }
      const entries = jobIds.map((jobId) => ({ jobId, rev: rev.get(jobId)!, tombstone: deletes.includes(jobId) }));
      return publish(
        tx,
        fresh.holdMs / 1000,
        entries,
        recent.map((t) => Number(t.id)),
      );
    });
    dropOverlay(db);
    return { claimed: taken.length, live, skipped: taken.length - live };
  } catch (err) {
    return skipAll(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Makes what the fresh index now holds count in search, in the pass's transaction. The outbox rows are
 * locked first: a main drain deleting them waits for this commit and then removes what it covers, and if
 * it got there first, a job whose newest row is gone is left out (the main index already has that state
 * or newer).
 */
async function publish(tx: Tx, holdSeconds: number, entries: { jobId: string; rev: number; tombstone: boolean }[], ids: number[]): Promise<number> {
  const present = await rows<{ id: number | string }>(tx, sql`select id from search_outbox where id in (${idList(ids)}) order by id for update`);
  const still = new Set(present.map((p) => Number(p.id)));
  const kept = entries.filter((e) => still.has(e.rev));
  if (kept.length) {
    await tx.execute(
      sql`insert into search_fresh (job_id, rev, tombstone)
          values ${sql.join(
            kept.map((e) => sql`(${e.jobId}::uuid, ${e.rev}::bigint, ${e.tombstone})`),
            sql`, `,
          )}
          on conflict (job_id) do update set rev = excluded.rev, tombstone = excluded.tombstone, created_at = now()
          where search_fresh.rev < excluded.rev`,
    );
  }
  if (still.size === 0) return 0;
  // Every held row falls due with the oldest one, so the main index takes them in one batch.
  await tx.execute(
    sql`update search_outbox
        set fresh_state = 'live',
            available_at = greatest(available_at, coalesce(
              (select min(available_at) from search_outbox where fresh_state = 'live' and attempts = 0),
              now() + make_interval(secs => ${holdSeconds})))
        where id in (${idList([...still])})`,
  );
  return still.size;
}

/**
 * Inside the main drain's transaction, with the rows it wrote: each job leaves search_fresh if the
 * main index now has the state its rev answers (the batch wrote a row of that job at least as new).
 */
export async function forgetFresh(tx: Pick<Db, 'execute'>, written: { id: number; jobId: string }[]): Promise<void> {
  if (written.length === 0) return;
  await tx.execute(
    sql`delete from search_fresh f
        using (select job_id, max(id) as rev from (values ${sql.join(
          written.map((w) => sql`(${w.jobId}::uuid, ${w.id}::bigint)`),
          sql`, `,
        )}) as w(job_id, id) group by job_id) c
        where f.job_id = c.job_id and f.rev <= c.rev`,
  );
}

/**
 * Deletes fresh-index documents nothing needs: their outbox rows are gone (rev below every row left),
 * and they are old enough that no fresh pass is between writing them and its commit. The task is
 * queued, not awaited: a document left over is never shown, only kept.
 */
export async function sweepFresh(db: Db, engine: SearchEngine): Promise<void> {
  const fresh = engine.fresh;
  if (!fresh) return;
  const r = await rows<{ low: number | string | null }>(db, sql`select min(id) as low from search_outbox`);
  const low = r[0]?.low;
  // A document is listed for the hold at least; past it, lists read before its entry went may live OVERLAY_TTL_MS more.
  const cutoff = Math.floor((Date.now() - fresh.holdMs) / 1000) - SWEEP_MIN_AGE_SECONDS;
  const filter = low === null || low === undefined ? `freshAt < ${cutoff}` : `rev < ${Number(low)} AND freshAt < ${cutoff}`;
  await engine.client.index(fresh.indexName).deleteDocuments({ filter });
}
