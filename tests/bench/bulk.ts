/**
 * `npm run bench:bulk [-- --jobs 100000 --rounds 5 --indexing-memory 256MiB|default]`: the bulk paths at size N, timed in one run:
 *   - seed: `seedJobs` inserting N generated postings (goal for 100k: ≤ 60 s);
 *   - reindex: `reindex` from PostgreSQL into a fresh index and swap (goal for 100k: ≤ 30 s);
 *   - baseline: Meilisearch ingesting the very same documents as NDJSON into an index with the same
 *     settings, timed from the first request to the last task's end (the reindex should take ≤ 1.2× this).
 * The reindex and the baseline alternate for `rounds` rounds on this shared machine; the figures are
 * the medians, and the ratio is the median of each round's own ratio.
 */
import { sql } from 'drizzle-orm';
import { seedDemo, seedJobs } from '#db/seed';
import { searchableDocuments } from '#lib/search/documents';
import { createEngine, ensureIndex } from '#lib/search/engine';
import { reindex, UPLOAD_MAX_BYTES } from '#lib/search/reindex';
import { batchCount, benchArgs, indexingMemoryFlag, openBenchEnv } from './bench-env';

const { jobs: JOBS, rounds: ROUNDS, 'indexing-memory': indexingMemory } = benchArgs({ jobs: 100_000, rounds: 5, 'indexing-memory': null });
const log = (m: string) => console.log(m);
const secs = (t0: number) => (performance.now() - t0) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const env = await openBenchEnv('bench_bulk', indexingMemoryFlag(indexingMemory));
try {
  const { h, meili } = env;
  await seedDemo(h.db, { seed: 42 });
  const t0 = performance.now();
  await seedJobs(h.db, { count: JOBS, seed: 42, onProgress: (d, t) => process.stderr.write(`\rseeding ${d}/${t}`) });
  process.stderr.write('\n');
  const seedS = secs(t0);
  await h.db.execute(sql`delete from search_outbox`);

  const engine = createEngine({ url: meili.url, indexName: 'jobs', searchTimeoutMs: 5000 });
  await ensureIndex(engine);

  // The baseline's documents, read before any clock starts, in requests under Meilisearch's default
  // 100 MB payload limit (one request at 100k jobs is larger and is refused with 413).
  const bodies: string[] = [];
  let part: string[] = [];
  let partBytes = 0;
  for await (const { docs } of searchableDocuments(h.db)) {
    for (const d of docs) {
      const line = JSON.stringify(d);
      if (partBytes + line.length > UPLOAD_MAX_BYTES && part.length) {
        bodies.push(`${part.join('\n')}\n`);
        part = [];
        partBytes = 0;
      }
      part.push(line);
      partBytes += line.length + 1;
    }
  }
  if (part.length) bodies.push(`${part.join('\n')}\n`);
  const bodyBytes = bodies.reduce((n, b) => n + b.length, 0);

  const ndjson = async (index: string) => {
    await ensureIndex(engine, index);
    const before = await batchCount(meili.url);
    const started = performance.now();
    let taskUid = -1;
    for (const b of bodies) {
      const res = await fetch(`${meili.url}/indexes/${index}/documents?primaryKey=id`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: b,
      });
      if (!res.ok) throw new Error(`NDJSON baseline refused: ${res.status} ${await res.text()}`);
      ({ taskUid } = (await res.json()) as { taskUid: number });
    }
    // Tasks on one index run in order: the last one finishing means all have.
    const task = await engine.client.tasks.waitForTask(taskUid, { timeout: 30 * 60_000, interval: 100 });
    const s = secs(started);
    if (task.status !== 'succeeded') throw new Error(`NDJSON baseline failed: ${task.error?.message ?? task.status}`);
    const batches = (await batchCount(meili.url)) - before;
    await engine.client.deleteIndex(index).waitTask({ timeout: 120_000 });
    return { s, batches };
  };

  const rows: { reindexS: number; ndjsonS: number; uploads: number; reindexBatches: number; ndjsonBatches: number; indexed: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = await batchCount(meili.url);
    const started = performance.now();
    const built = await reindex(h.db, engine);
    const reindexS = secs(started);
    const reindexBatches = (await batchCount(meili.url)) - before;
    const base = await ndjson(`ndjson_baseline_${round}`);
    rows.push({ reindexS, ndjsonS: base.s, uploads: built.uploads, reindexBatches, ndjsonBatches: base.batches, indexed: built.indexed });
    process.stderr.write(
      `round ${round + 1}: reindex ${reindexS.toFixed(1)} s (${built.uploads} uploads, ${reindexBatches} batches), NDJSON ${base.s.toFixed(1)} s (${base.batches} batches), ratio ${(reindexS / base.s).toFixed(2)}\n`,
    );
  }

  const reindexS = median(rows.map((r) => r.reindexS));
  const ndjsonS = median(rows.map((r) => r.ndjsonS));
  const ratio = median(rows.map((r) => r.reindexS / r.ndjsonS));
  const last = rows[rows.length - 1]!;
  log(
    `\n## Bulk (${JOBS.toLocaleString('en-US')} jobs seeded, ${last.indexed.toLocaleString('en-US')} open jobs indexed; medians of ${ROUNDS} interleaved rounds)\n`,
  );
  const perHundredK = (s: number) => (s * 100_000) / JOBS;
  log(`seed:                     ${seedS.toFixed(1)} s   (${perHundredK(seedS).toFixed(0)} s per 100k; goal ≤ 60 s)`);
  log(
    `reindex (app):            ${reindexS.toFixed(1)} s   (${perHundredK(reindexS).toFixed(0)} s per 100k; goal ≤ 30 s; ${last.uploads} uploads, ${last.reindexBatches} engine batches incl. create/swap/delete)`,
  );
  log(
    `NDJSON ingest (baseline): ${ndjsonS.toFixed(1)} s   (${(bodyBytes / 1e6).toFixed(0)} MB in ${bodies.length} requests, ${last.ndjsonBatches} engine batches)`,
  );
  log(`ratio reindex / NDJSON:   ${ratio.toFixed(2)}   (goal ≤ 1.2; rounds: ${rows.map((r) => (r.reindexS / r.ndjsonS).toFixed(2)).join(', ')})`);
} finally {
  await env.dispose();
}
process.exit(0);
