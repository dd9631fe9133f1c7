import { gte } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobs } from '#db/schema';
import { enqueueSearchSync } from './outbox';
import { searchableDocuments, type JobDocument } from './documents';
import { ensureIndex, type SearchEngine } from './engine';
import { streamedPost, type StreamedRequest } from './transport';

export interface ReindexProgress {
  indexed: number;
}

/**
 * Rebuilds the jobs index from PostgreSQL into a fresh index and swaps it in
 * atomically: searches keep hitting the old index until the swap, so there is
 * no moment without results. Outbox rows written meanwhile are drained into
 * the live index afterwards, so nothing is lost.
 */
export async function reindex(
  db: Db,
  engine: SearchEngine,
  onProgress?: (p: ReindexProgress) => void,
  opts: { maxUploadBytes?: number } = {},
): Promise<{ indexed: number; uploads: number; ms: number }> {
  const started = Date.now();
  const live = engine.indexName;
  const fresh = `${live}_build_${Date.now()}`;
  await ensureIndex(engine, live);
  await ensureIndex(engine, fresh);
  const { indexed, taskUids } = await uploadDocuments(engine, fresh, searchableDocuments(db), onProgress, opts.maxUploadBytes);
  // Tasks on one index run in order, and a failed one fails the rebuild: wait for each.
  for (const uid of taskUids) {
    const done = await engine.client.tasks.waitForTask(uid, { timeout: 30 * 60_000, interval: 200 });
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
  return { indexed, uploads: taskUids.length, ms: Date.now() - started };
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

/**
 * Meilisearch's largest request body is 100 MB by default; each upload stays under it. Uploads are
 * streamed NDJSON, written while PostgreSQL is still being read, so the engine gets a few large
 * tasks instead of one per page. That matters because each batch it runs has a cost of its own
 * that grows with the index (measured at 26k jobs: 5,000-document tasks indexed in 4 batches took
 * 18 s), and pages sent one by one are picked up as they come, a batch each, whenever the reader is
 * slower than the engine.
 */
export const UPLOAD_MAX_BYTES = 90_000_000;

/**
 * The first upload is a third of that: the engine cannot start on an upload before its last byte,
 * and it sat idle while the first 90 MB were read (measured at 100k: 2.8 s of a 24 s reindex). The
 * uploads after it are read while the engine indexes the first. At 100k that makes three engine
 * batches instead of two (the second upload is not read in time to join the third), and the reindex
 * still came out faster: median 21.5 s (`npm run bench:bulk`), against 23.8–25.2 s with a full first upload in a
 * separate run.
 */
const FIRST_UPLOAD_SHARE = 1 / 3;

async function uploadDocuments(
  engine: SearchEngine,
  index: string,
  pages: AsyncIterable<JobDocument[]>,
  onProgress?: (p: ReindexProgress) => void,
  maxBytes = UPLOAD_MAX_BYTES,
): Promise<{ indexed: number; taskUids: number[] }> {
  const url = new URL(`indexes/${encodeURIComponent(index)}/documents?primaryKey=id`, engine.url.endsWith('/') ? engine.url : `${engine.url}/`);
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (engine.apiKey) headers.authorization = `Bearer ${engine.apiKey}`;
  const taskUids: number[] = [];
  let upload: StreamedRequest | undefined;
  let sent = 0;
  let indexed = 0;
  const finish = async () => {
    if (!upload) return;
    const answer = (await upload.finish()) as { taskUid: number };
    taskUids.push(answer.taskUid);
    upload = undefined;
  };
  for await (const docs of pages) {
    // One write per page (per-line writes cost more than the JSON itself), split where a body would pass maxBytes.
    let chunk = '';
    for (const doc of docs) {
      const line = `${JSON.stringify(doc)}\n`;
      const bytes = Buffer.byteLength(line);
      const limit = taskUids.length === 0 ? maxBytes * FIRST_UPLOAD_SHARE : maxBytes;
      if (upload && sent + bytes > limit) {
        await upload.write(chunk);
        chunk = '';
        await finish();
      }
      if (!upload) {
        upload = streamedPost(url, headers);
        sent = 0;
      }
      chunk += line;
      sent += bytes;
    }
    if (upload && chunk) await upload.write(chunk);
    indexed += docs.length;
    onProgress?.({ indexed });
  }
  await finish();
  return { indexed, taskUids };
}
