/**
 * `npm run bench:freshness [-- --jobs 100000 --rounds 20 --indexing-memory 256MiB|default]`: seeds N jobs, builds the index,
 * then publishes and closes postings through the app's own path — the posting service
 * (createJob, publishJob, closeJob) with the search worker the runtime builds
 * (createSearchWorker, woken by the NOTIFY of the writing transaction) — and measures
 * publish → searchable and close → gone. Meilisearch's own task time for the same
 * writes, read from GET /tasks in the same run, is the baseline: the ratio says how
 * much of the wait is the engine's. The progress trace of the slowest batch
 * (GET /batches/:uid) names the steps the engine spent it on.
 */
import { sql } from 'drizzle-orm';
import { seedDemo, seedJobs } from '#db/seed';
import { closeJob, createJob, publishJob } from '#lib/jobs/service';
import { createEngine, ensureIndex } from '#lib/search/engine';
import { createSearchWorker, pendingCount } from '#lib/search/outbox';
import { reindex } from '#lib/search/reindex';
import { jobInput, makeTeam } from '../helpers/factories';
import { benchArgs, indexingMemoryFlag, batchTrace, finishedTasksSince, latestTaskUid, openBenchEnv, summary, type EngineTask } from './bench-env';

const { jobs: JOBS, rounds: ROUNDS, 'indexing-memory': indexingMemory } = benchArgs({ jobs: 100_000, rounds: 20, 'indexing-memory': null });
const DEADLINE_MS = 60_000;
const log = (m: string) => console.log(m);

const env = await openBenchEnv('bench_fresh', indexingMemoryFlag(indexingMemory));
try {
  const { h, meili } = env;
  await seedDemo(h.db, { seed: 42 });
  await seedJobs(h.db, { count: JOBS, seed: 42, onProgress: (d, t) => process.stderr.write(`\rseeding ${d}/${t}`) });
  process.stderr.write('\n');
  await h.db.execute(sql`delete from search_outbox`);
  const engine = createEngine({ url: meili.url, indexName: 'jobs', searchTimeoutMs: 5000 });
  await ensureIndex(engine);
  const built = await reindex(h.db, engine);
  await h.db.execute(sql`delete from search_outbox`);

  const team = await makeTeam(h.db, 'Freshness Bench');
  const actor = team.actors.hiring_manager;
  const worker = createSearchWorker(h, engine);
  await worker.start();

  /** Polls the index (as a searcher would) until `done` holds for the marker's hit count. */
  const waitFor = async (marker: string, done: (hits: number) => boolean): Promise<void> => {
    const deadline = Date.now() + DEADLINE_MS;
    while (Date.now() < deadline) {
      const r = await engine.client.index('jobs').search(`"${marker}"`, { limit: 1 });
      if (done(r.hits.length)) return;
      await new Promise((res) => setTimeout(res, 5));
    }
    throw new Error(`${marker} not settled within ${DEADLINE_MS} ms`);
  };

  const publish: number[] = [];
  const close: number[] = [];
  const publishTasks: EngineTask[] = [];
  const closeTasks: EngineTask[] = [];
  /** Per round: the engine's task time over the whole wait (the ratio to the same-run baseline). */
  const publishShare: number[] = [];
  const closeShare: number[] = [];
  const engineMs = (tasks: EngineTask[]) => tasks.reduce((sum, t) => sum + t.ms, 0);
  for (let i = 0; i < ROUNDS; i++) {
    const marker = `freshbench${i}z${Date.now().toString(36)}`;
    const draft = await createJob(h.db, actor, jobInput({ title: `Therapist ${marker}` }));
    // The draft's own outbox row (a delete: drafts are not searchable) is drained before timing starts.
    for (let n = 0; n < 12_000 && (await pendingCount(h.db)) > 0; n++) await new Promise((res) => setTimeout(res, 5));
    let before = await latestTaskUid(meili.url);
    let t = performance.now();
    await publishJob(h.db, actor, draft.id);
    await waitFor(marker, (hits) => hits > 0);
    publish.push(performance.now() - t);
    const pubRound = await finishedTasksSince(meili.url, 'jobs', before);
    publishTasks.push(...pubRound);
    publishShare.push(engineMs(pubRound) / publish[publish.length - 1]!);

    before = await latestTaskUid(meili.url);
    t = performance.now();
    await closeJob(h.db, actor, draft.id);
    await waitFor(marker, (hits) => hits === 0);
    close.push(performance.now() - t);
    const closeRound = await finishedTasksSince(meili.url, 'jobs', before);
    closeTasks.push(...closeRound);
    closeShare.push(engineMs(closeRound) / close[close.length - 1]!);
  }
  await worker.stop();

  const f = (s: { p50: number; p95: number; max: number }) => `p50 ${s.p50.toFixed(0)} ms   p95 ${s.p95.toFixed(0)} ms   max ${s.max.toFixed(0)} ms`;
  const pub = summary(publish);
  const clo = summary(close);
  const pubEngine = summary(publishTasks.map((x) => x.ms));
  const cloEngine = summary(closeTasks.map((x) => x.ms));
  log(`\n## Freshness (${built.indexed.toLocaleString('en-US')} open jobs indexed of ${JOBS.toLocaleString('en-US')} seeded, ${ROUNDS} rounds)\n`);
  log(`publish → searchable:        ${f(pub)}`);
  log(`  Meilisearch task (same run): ${f(pubEngine)}   engine share of each wait: p50 ${(summary(publishShare).p50 * 100).toFixed(0)} %`);
  log(`close → gone:                ${f(clo)}`);
  log(`  Meilisearch task (same run): ${f(cloEngine)}   engine share of each wait: p50 ${(summary(closeShare).p50 * 100).toFixed(0)} %`);
  log(`goal p95 ≤ 1000 ms: publish ${(pub.p95 / 1000).toFixed(2)}×, close ${(clo.p95 / 1000).toFixed(2)}× the goal`);
  const slowest = [...publishTasks].sort((a, b) => b.ms - a.ms)[0];
  if (slowest) {
    log(`\nslowest publish batch (#${slowest.batchUid}, ${slowest.ms} ms), longest steps:`);
    for (const line of await batchTrace(meili.url, slowest.batchUid)) log(`  ${line}`);
  }
} finally {
  await env.dispose();
}
process.exit(0);
