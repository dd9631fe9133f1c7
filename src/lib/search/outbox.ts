import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { rows } from '../../../db/client';
import { searchOutbox } from '../../../db/schema';
import { loadIndexState } from './documents';
import type { SearchEngine } from './engine';

/** Anything that can run drizzle inserts: the db or a transaction. */
type Writer = Pick<Db, 'insert'>;

/**
 * Record that search must look at these jobs again. Call it inside the same
 * transaction as the change, so the index can never miss a committed write.
 */
export async function enqueueSearchSync(tx: Writer, jobIds: string[], op: 'upsert' | 'delete' = 'upsert'): Promise<void> {
  if (jobIds.length === 0) return;
  await tx.insert(searchOutbox).values(jobIds.map((jobId) => ({ jobId, op })));
}

export interface DrainResult {
  claimed: number;
  upserted: number;
  deleted: number;
  failed: number;
}

/** Backoff for a failed batch: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** How long a claimed batch stays invisible to other drainers before it is retried. */
const LEASE_SECONDS = 60;

/**
 * Drains one batch: claims due rows (SKIP LOCKED, so several processes can drain
 * side by side), sends the jobs' current state to Meilisearch, waits until the
 * engine has applied it, then deletes the rows. On failure the rows stay with a
 * later available_at; the lease also covers a process that dies mid-batch.
 */
export async function drainOnce(db: Db, engine: SearchEngine, batchSize = 1000): Promise<DrainResult> {
  const claimed = await rows<{ id: number | string; job_id: string; attempts: number }>(
    db,
    sql`update search_outbox set available_at = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
        where id in (
          select id from search_outbox where available_at <= now() order by id limit ${batchSize} for update skip locked
        )
        returning id, job_id, attempts`,
  );
  if (claimed.length === 0) return { claimed: 0, upserted: 0, deleted: 0, failed: 0 };
  const ids = claimed.map((c) => Number(c.id));
  const jobIds = [...new Set(claimed.map((c) => c.job_id))];
  try {
    const { upserts, deletes } = await loadIndexState(db, jobIds);
    const index = engine.index();
    // One request at a time: a failure stops the batch before anything else is sent.
    const steps = [
      ...(upserts.length ? [() => index.addDocuments(upserts, { primaryKey: 'id' })] : []),
      ...(deletes.length ? [() => index.deleteDocuments(deletes)] : []),
    ];
    for (const step of steps) {
      const done = await step().waitTask({ timeout: 30_000, interval: 20 });
      if (done.status !== 'succeeded') throw new Error(done.error?.message ?? `task ${done.status}`);
    }
    await db.delete(searchOutbox).where(inArray(searchOutbox.id, ids));
    return { claimed: claimed.length, upserted: upserts.length, deleted: deletes.length, failed: 0 };
  } catch (err) {
    const attempts = Math.max(...claimed.map((c) => Number(c.attempts)));
    const message = err instanceof Error ? err.message : String(err);
    await db
      .update(searchOutbox)
      .set({ availableAt: sql`now() + make_interval(secs => ${backoffMs(attempts) / 1000})`, lastError: message.slice(0, 500) })
      .where(inArray(searchOutbox.id, ids));
    return { claimed: claimed.length, upserted: 0, deleted: 0, failed: claimed.length };
  }
}

export async function pendingCount(db: Db): Promise<number> {
  const r = await rows<{ n: number | string }>(db, sql`select count(*)::int as n from search_outbox`);
  return Number(r[0]?.n ?? 0);
}

/**
 * Drains continuously: immediately when kicked after a local commit, otherwise
 * polling for rows written by other processes.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly engine: SearchEngine,
    private readonly opts: { pollMs?: number; onError?: (err: unknown) => void } = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  /** Drain now (after a commit in this process). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    let next = this.opts.pollMs ?? 1000;
    try {
      const r = await drainOnce(this.db, this.engine);
      if (r.claimed > 0 && r.failed === 0) next = 0;
    } catch (err) {
      this.opts.onError?.(err);
    } finally {
      this.running = false;
    }
    if (this.again) {
      this.again = false;
      next = 0;
    }
    if (!this.stopped) this.schedule(next);
  }
}
