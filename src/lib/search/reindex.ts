import { gte } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobs } from '#db/schema';
import { enqueueSearchSync } from './outbox';
import { type DocumentPage, searchableDocuments } from './documents';
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
 * The body size that splits about `estimate` bytes into the fewest uploads under `max`, evenly. The
 * engine cannot start on an upload before its last byte, so a first upload as large as allowed kept
 * it idle longest (measured at 100k: the first 90 MB took 3 s to read); a smaller first upload, on
 * the other hand, made an extra engine batch. Even uploads start the engine soonest without one. 5 %
 * over, so an estimate a little short does not leave a small last upload, a batch of its own.
 */
export function evenUploadBytes(estimate: number, max: number): number {
  if (!(estimate > 0)) return max;
  const uploads = Math.ceil(estimate / max);
  return Math.min(max, Math.ceil((estimate / uploads) * 1.05));
}

async function uploadDocuments(
  engine: SearchEngine,
  index: string,
  pages: AsyncIterable<DocumentPage>,
  onProgress?: (p: ReindexProgress) => void,
  maxBytes = UPLOAD_MAX_BYTES,
): Promise<{ indexed: number; taskUids: number[] }> {
  const url = new URL(`indexes/${encodeURIComponent(index)}/documents?primaryKey=id`, engine.url.endsWith('/') ? engine.url : `${engine.url}/`);
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (engine.apiKey) headers.authorization = `Bearer ${engine.apiKey}`;
  const taskUids: number[] = [];
  let upload: StreamedRequest | undefined;
  let sent = 0;
  let written = 0;
  let indexed = 0;
  // Until the first page tells how large the documents come out, a body may be as large as allowed.
  let target = maxBytes;
  const finish = async () => {
    if (!upload) return;
    const answer = (await upload.finish()) as { taskUid: number };
    taskUids.push(answer.taskUid);
    upload = undefined;
  };
  for await (const { docs, read } of pages) {
    // One write per page (per-line writes cost more than the JSON itself), split where a body would pass the target size.
    let chunk = '';
    for (const doc of docs) {
      const line = `${JSON.stringify(doc)}\n`;
      const bytes = Buffer.byteLength(line);
      if (upload && sent + bytes > target) {
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
      written += bytes;
    }
    if (upload && chunk) await upload.write(chunk);
    indexed += docs.length;
    target = evenUploadBytes(written / read, maxBytes);
    onProgress?.({ indexed });
  }
  await finish();
  return { indexed, taskUids };
}
