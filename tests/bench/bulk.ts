/**
 * `npm run bench:bulk [-- --jobs 100000 --indexing-memory 256MiB|default]`: the bulk paths at size N, timed in one run:
 *   - seed: `seedJobs` inserting N generated postings (goal for 100k: ≤ 60 s);
 *   - reindex: `reindex` from PostgreSQL into a fresh index and swap (goal for 100k: ≤ 30 s);
 *   - baseline: Meilisearch ingesting the very same documents as one NDJSON payload into an
 *     index with the same settings, timed from the request to the task's end (the reindex
 *     should take ≤ 1.2× this).
 */
import { sql } from 'drizzle-orm';
import { seedDemo, seedJobs } from '#db/seed';
import { searchableDocuments } from '#lib/search/documents';
import { createEngine, ensureIndex } from '#lib/search/engine';
import { reindex, UPLOAD_MAX_BYTES } from '#lib/search/reindex';
import { batchCount, benchArgs, indexingMemoryFlag, openBenchEnv } from './bench-env';

const { jobs: JOBS, 'indexing-memory': indexingMemory } = benchArgs({ jobs: 100_000, 'indexing-memory': null });
const log = (m: string) => console.log(m);
const secs = (t0: number) => (performance.now() - t0) / 1000;

const env = await openBenchEnv('bench_bulk', indexingMemoryFlag(indexingMemory));
try {
  const { h, meili } = env;
  await seedDemo(h.db, { seed: 42 });
  let t0 = performance.now();
  await seedJobs(h.db, { count: JOBS, seed: 42, onProgress: (d, t) => process.stderr.write(`\rseeding ${d}/${t}`) });
  process.stderr.write('\n');
  const seedS = secs(t0);
  await h.db.execute(sql`delete from search_outbox`);

  const engine = createEngine({ url: meili.url, indexName: 'jobs', searchTimeoutMs: 5000 });
  await ensureIndex(engine);
  const batchesBefore = await batchCount(meili.url);
  t0 = performance.now();
  const built = await reindex(h.db, engine);
  const reindexS = secs(t0);
  const reindexBatches = (await batchCount(meili.url)) - batchesBefore;

  // The same documents, read before the clock starts, sent as NDJSON in requests under Meilisearch's
  // default 100 MB payload limit (one request at 100k jobs is larger and is refused with 413).
  const lines: string[] = [];
  for await (const docs of searchableDocuments(h.db, 5000)) for (const d of docs) lines.push(JSON.stringify(d));
  const bodies: string[] = [];
  let part: string[] = [];
  let partBytes = 0;
  for (const line of lines) {
    if (partBytes + line.length > UPLOAD_MAX_BYTES && part.length) {
      bodies.push(`${part.join('\n')}\n`);
      part = [];
      partBytes = 0;
    }
    part.push(line);
    partBytes += line.length + 1;
  }
  if (part.length) bodies.push(`${part.join('\n')}\n`);
  const body = { length: bodies.reduce((n, b) => n + b.length, 0) };
  await ensureIndex(engine, 'ndjson_baseline');
  const baselineBefore = await batchCount(meili.url);
  t0 = performance.now();
  let taskUid = -1;
  for (const b of bodies) {
    const res = await fetch(`${meili.url}/indexes/ndjson_baseline/documents?primaryKey=id`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: b,
    });
    if (!res.ok) throw new Error(`NDJSON baseline refused: ${res.status} ${await res.text()}`);
    ({ taskUid } = (await res.json()) as { taskUid: number });
  }
  // Tasks on one index run in order: the last one finishing means all have.
  const task = await engine.client.tasks.waitForTask(taskUid, { timeout: 30 * 60_000, interval: 100 });
  const ndjsonS = secs(t0);
  if (task.status !== 'succeeded') throw new Error(`NDJSON baseline failed: ${task.error?.message ?? task.status}`);
  const baselineBatches = (await batchCount(meili.url)) - baselineBefore;

  log(`\n## Bulk (${JOBS.toLocaleString('en-US')} jobs seeded, ${built.indexed.toLocaleString('en-US')} open jobs indexed)\n`);
  const perHundredK = (s: number) => (s * 100_000) / JOBS;
  log(`seed:                     ${seedS.toFixed(1)} s   (${perHundredK(seedS).toFixed(0)} s per 100k; goal ≤ 60 s)`);
  log(
    `reindex (app):            ${reindexS.toFixed(1)} s   (${perHundredK(reindexS).toFixed(0)} s per 100k; goal ≤ 30 s; ${built.uploads} uploads, ${reindexBatches} engine batches incl. create/swap/delete)`,
  );
  log(
    `NDJSON ingest (baseline): ${ndjsonS.toFixed(1)} s   (${(body.length / 1e6).toFixed(0)} MB in ${bodies.length} requests, ${baselineBatches} engine batches)`,
  );
  log(`ratio reindex / NDJSON:   ${(reindexS / ndjsonS).toFixed(2)}   (goal ≤ 1.2)`);
} finally {
  await env.dispose();
}
process.exit(0);
