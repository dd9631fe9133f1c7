import { gte } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobs } from '#db/schema';
import { enqueueSearchSync } from './outbox';
import { searchableDocuments } from './documents';
import { ensureIndex, type SearchEngine } from './engine';

export interface ReindexProgress {
  indexed: number;
}

/**
 * Rebuilds the jobs index from PostgreSQL into a fresh index and swaps it in
 * atomically: searches keep hitting the old index until the swap, so there is
 * no moment without results. Outbox rows written meanwhile are drained into
 * the live index afterwards, so nothing is lost.
 */
export async function reindex(db: Db, engine: SearchEngine, onProgress?: (p: ReindexProgress) => void): Promise<{ indexed: number; ms: number }> {
  const started = Date.now();
  const live = engine.indexName;
  const fresh = `${live}_build_${Date.now()}`;
  await ensureIndex(engine, live);
  await ensureIndex(engine, fresh);
  const index = engine.client.index(fresh);
  let indexed = 0;
  const pending = [];
  for await (const docs of searchableDocuments(db, 5000)) {
    pending.push(index.addDocuments(docs, { primaryKey: 'id' }));
    indexed += docs.length;
    onProgress?.({ indexed });
  }
  for (const t of pending) {
    const done = await t.waitTask({ timeout: 30 * 60_000, interval: 200 });
    if (done.status !== 'succeeded') throw new Error(`Indexing failed: ${done.error?.message ?? done.status}`);
  }
  const swap = await engine.client.swapIndexes([{ indexes: [live, fresh], rename: false }]).waitTask({ timeout: 120_000 });
  if (swap.status !== 'succeeded') throw new Error(`Index swap failed: ${swap.error?.message ?? swap.status}`);
  await engine.client.deleteIndex(fresh).waitTask({ timeout: 120_000 });
  // Jobs changed while the fresh index was being filled may have been read before
  // their change: queue them again so the outbox brings the swapped-in index up to date.
  const changed = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(gte(jobs.updatedAt, new Date(started - 1000)));
  await enqueueSearchSync(
    db,
    changed.map((c) => c.id),
  );
  return { indexed, ms: Date.now() - started };
}

/** The index is empty or missing: first start, or Meilisearch lost its data. */
export async function indexIsEmpty(engine: SearchEngine): Promise<boolean> {
  try {
    const stats = await engine.index().getStats();
    return stats.numberOfDocuments === 0;
  } catch {
    return true;
  }
}
