import { sql } from 'drizzle-orm';
import type { Db, DbHandle } from '#db/client';
import { rows } from '#db/client';
import { searchOutbox } from '#db/schema';
import { backOff, claimDue, complete, notifyQueue } from '#lib/queue/table';
import { QueueWorker, type BatchOutcome, type QueueWorkerOptions } from '#lib/queue/worker';
import { loadIndexState } from './documents';
import type { SearchEngine } from './engine';
import { dropOverlay, FRESH_GRACE_SECONDS, forgetFresh, freshPass, sweepFresh, type FreshOutcome } from './fresh';
import { classifySyncError, SyncTaskFailedError, type SyncFailureKind } from './sync-errors';

/** Anything that can run drizzle inserts and raw SQL: the db or a transaction. */
type Writer = Pick<Db, 'insert' | 'execute'>;

/** The NOTIFY channel of search_outbox. */
const CHANNEL = 'search_outbox';

/**
 * Record that search must look at these jobs again. Call it inside the same
 * transaction as the change, so the index can never miss a committed write; the
 * search worker wakes when that transaction commits.
 */
export async function enqueueSearchSync(tx: Writer, jobIds: string[], op: 'upsert' | 'delete' = 'upsert'): Promise<void> {
  if (jobIds.length === 0) return;
  await tx.insert(searchOutbox).values(jobIds.map((jobId) => ({ jobId, op })));
  await notifyQueue(tx, CHANNEL);
}

/** A batch that could not be synced, and why (see SyncFailureKind). */
export interface DrainFailure {
  kind: SyncFailureKind;
  message: string;
  jobIds: string[];
  /** The highest attempt count in the batch, including this one. */
  attempts: number;
}

export interface DrainResult {
  claimed: number;
  upserted: number;
  deleted: number;
  failed: number;
  failure?: DrainFailure;
}

/** How long a claimed batch stays invisible to other drainers before it is retried. */
const LEASE_SECONDS = 60;

/**
 * Drains one batch: claims due rows (SKIP LOCKED, so several processes can drain
 * side by side), sends the jobs' current state to Meilisearch, waits until the
 * engine has applied it, then deletes the rows. On failure the rows stay with a
 * later available_at and the kind of failure (error_kind), so rows held back by
 * an engine outage can be released the moment it ends (releaseEngineHeld); the
 * lease also covers a process that dies mid-batch.
 */
export async function drainOnce(db: Db, engine: SearchEngine, batchSize = 1000, opts: { leaveNewToFresh?: boolean } = {}): Promise<DrainResult> {
  const claimed = await claimDue<{ id: number | string; job_id: string; attempts: number }>(db, searchOutbox, {
    limit: batchSize,
    leaseSeconds: LEASE_SECONDS,
    alsoSet: sql`error_kind = null`,
    // A new row the fresh pass has not finished with is its to take first (fresh.ts); after the grace, ours.
    where: opts.leaveNewToFresh
      ? sql`not (coalesce(fresh_state, 'taken') = 'taken' and created_at > now() - make_interval(secs => ${FRESH_GRACE_SECONDS}))`
      : undefined,
  });
  if (claimed.length === 0) return { claimed: 0, upserted: 0, deleted: 0, failed: 0 };
  const ids = claimed.map((c) => Number(c.id));
  const jobIds = [...new Set(claimed.map((c) => c.job_id))];
  try {
    const { upserts, deletes } = await loadIndexState(db, jobIds);
    const index = engine.index();
    // Both tasks are queued before either is awaited, so the engine can run them as one batch (its
    // autobatching depends on timing): every batch that touches the index rewrites its geo points (1.4 s
    // at 87k here), and the two lists never share a job, so their order does not matter. Should one fail, the rows are retried whole (state, not diffs).
    // Promise.all also takes the other request's failure when both fail (no unhandled rejection).
    const enqueued = await Promise.all([
      ...(upserts.length ? [index.addDocuments(upserts, { primaryKey: 'id' })] : []),
      ...(deletes.length ? [index.deleteDocuments(deletes)] : []),
    ]);
    for (const task of enqueued) {
      const done = await engine.client.tasks.waitForTask(task.taskUid, { timeout: 30_000, interval: 20 });
      if (done.status !== 'succeeded') throw new SyncTaskFailedError(done);
    }
    // The rows go, and with them the fresh-index entries this batch covers: searches read these jobs from the main index again.
    await db.transaction(async (tx) => {
      await complete(tx, searchOutbox, ids);
      await forgetFresh(
        tx,
        claimed.map((c) => ({ id: Number(c.id), jobId: c.job_id })),
      );
    });
    dropOverlay(db);
    await sweepFresh(db, engine).catch(() => {});
    return { claimed: claimed.length, upserted: upserts.length, deleted: deletes.length, failed: 0 };
  } catch (err) {
    const attempts = Math.max(...claimed.map((c) => Number(c.attempts)));
    const message = describeError(err);
    const kind = classifySyncError(err);
    await backOff(db, searchOutbox, ids, attempts, message, sql`error_kind = ${kind}`);
    return {
      claimed: claimed.length,
      upserted: 0,
      deleted: 0,
      failed: claimed.length,
      failure: { kind, message, jobIds, attempts },
    };
  }
}

/** The client wraps transport failures ("Request to … has failed"); the cause says what actually happened. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause : undefined;
  if (!cause) return err.message;
  const code = (cause as { code?: unknown }).code;
  return `${err.message}: ${cause.message}${typeof code === 'string' && !cause.message.includes(code) ? ` (${code})` : ''}`;
}

/**
 * Makes rows held back by engine failures due now. Called when the engine answers
 * again after an outage: their backoff only measured how long the engine was gone.
 * Rows refused for their documents keep theirs; leased rows (error_kind cleared
 * when claimed) are left to the drainer that holds them.
 */
export async function releaseEngineHeld(db: Db): Promise<number> {
  const r = await rows<{ n: number | string }>(
    db,
    sql`with released as (
          update search_outbox set available_at = now() where error_kind = 'engine' and available_at > now() returning 1
        ) select count(*)::int as n from released`,
  );
  return Number(r[0]?.n ?? 0);
}

/**
 * Whether search still has to catch up with a change to this job: its outbox row goes only once
 * the main index has applied the change, and is marked 'live' once the fresh index serves it
 * (fresh.ts), so a row in neither state means what search shows is not yet what was saved.
 */
export async function searchSyncPending(db: Db, jobId: string): Promise<boolean> {
  const r = await rows<{ pending: boolean }>(
    db,
    sql`select exists(select 1 from search_outbox where job_id = ${jobId} and fresh_state is distinct from 'live') as pending`,
  );
  return r[0]?.pending === true;
}

export async function pendingCount(db: Db): Promise<number> {
  const r = await rows<{ n: number | string }>(db, sql`select count(*)::int as n from search_outbox`);
  return Number(r[0]?.n ?? 0);
}

export interface SearchWorkerOptions extends QueueWorkerOptions {
  /** While the engine is down, how often to ask it GET /health (ms). */
  probeMs?: number;
  /** A batch could not be synced; `kind` says whether the engine or the documents are to blame. */
  onFailure?: (failure: DrainFailure) => void;
  /** The engine answers again after being seen down; `released` rows held back by it are due now. */
  onRecovered?: (released: number) => void;
  /** A fresh pass could not write to the fresh index; its rows were left to the main index. */
  onFreshFailure?: (outcome: FreshOutcome) => void;
}

/**
 * The search outbox on the queue worker (src/lib/queue/worker.ts): woken by the commit of
 * every enqueueSearchSync, it drains batch after batch into Meilisearch.
 *
 * When a batch fails for the engine's sake, the worker stops draining and probes
 * the engine's health instead (one GET /health per probe interval). Once a probe
 * has seen it down and a later one sees it healthy, every row held back by engine
 * failures is released and drained at once, so the index catches up within about
 * a probe interval of the engine's return instead of waiting out a backoff of up
 * to 5 minutes. "Down" is decided by the health probe alone: an engine that
 * answers /health but fails writes (a 5xx, a full disk) keeps the backoff, so a
 * broken engine is not hammered once a second.
 */
export function createSearchWorker(handle: Pick<DbHandle, 'db' | 'listen'>, engine: SearchEngine, opts: SearchWorkerOptions = {}): SearchWorker {
  const { db } = handle;
  const probeMs = opts.probeMs ?? 1000;
  // Rows may wait from an outage that began before this process: the first batch probes, and
  // releases them as soon as the engine is seen healthy, as after an outage seen live.
  /** Probing instead of draining: the last failure was the engine's. */
  let watching = true;
  /** A probe saw the engine down since watching began: its return releases held rows. */
  let sawDown = true;

  /** While watching: ask the engine, and on its return release what it held back. */
  async function probe(): Promise<BatchOutcome> {
    if (!(await engine.healthy())) {
      sawDown = true;
      return { claimed: 0, failed: 0, retryInMs: probeMs };
    }
    if (sawDown) {
      // Should this throw (the database), watching goes on and the next probe tries again.
      const released = await releaseEngineHeld(db);
      if (released > 0) opts.onRecovered?.(released);
    }
    watching = false;
    sawDown = false;
    return { claimed: 0, failed: 0, retryInMs: 0 };
  }

  async function drain(): Promise<BatchOutcome> {
    const r = await drainOnce(db, engine, 1000, { leaveNewToFresh: engine.fresh !== undefined });
    if (r.failure) {
      opts.onFailure?.(r.failure);
      if (r.failure.kind === 'engine') {
        // Probe at once: a dead engine is seen down right away; one that only failed this request is not.
        watching = true;
        sawDown = false;
        return { claimed: r.claimed, failed: r.failed, retryInMs: 0 };
      }
    }
    return r;
  }

  const main = new QueueWorker(handle, { table: searchOutbox, channel: CHANNEL, runBatch: () => (watching ? probe() : drain()) }, opts);
  if (!engine.fresh) return main;

  /**
   * The fresh pass in a loop of its own, woken by the same NOTIFY: a main-index batch takes seconds,
   * and a change that needs no engine write (a close) or a small one must not wait for it here.
   */
  const idleMs = opts.pollMs ?? 5000;
  const fresh = new QueueWorker(
    handle,
    {
      table: searchOutbox,
      channel: CHANNEL,
      runBatch: async () => {
        const f = await freshPass(db, engine);
        if (f.error) opts.onFreshFailure?.(f);
        // Nothing new: sleep until the next NOTIFY, not until the held rows fall due (the main drain's business).
        return f.claimed > 0 ? { claimed: f.claimed, failed: 0 } : { claimed: 0, failed: 0, retryInMs: idleMs };
      },
    },
    { ...opts, onFailed: undefined },
  );
  return {
    start: async () => {
      await Promise.all([main.start(), fresh.start()]);
    },
    stop: async () => {
      await Promise.all([fresh.stop(), main.stop()]);
    },
  };
}

/** The search outbox's worker: the main drain, and beside it the fresh pass when the fresh index is on. */
export interface SearchWorker {
  /** Starts the loops; resolves once they listen (see QueueWorker.start). */
  start(): Promise<void>;
  /** Lets the batches in progress finish and ends the loops. */
  stop(): Promise<void>;
}
