/**
 * `npm run bench:freshness [-- --jobs 100000 --rounds 100 --gap-ms 1000 --hold-ms 60000 --indexing-memory 256MiB|default]`:
 * seeds N jobs, builds the index, then publishes and closes postings through the app's own path —
 * the posting service (createJob, publishJob, closeJob) with the search worker the runtime builds
 * (createSearchWorker, woken by the NOTIFY of the writing transaction) — and measures publish →
 * found by the app's search (searchJobs, which reads the fresh index's list and merges both indexes)
 * and close → gone from it. Rounds are `--gap-ms` apart, so a run spans several holds and the main
 * index's held batches land among the publishes, as on a site where postings change all day.
 * `--hold-ms 0` turns the fresh index off: every change then waits for a main-index write, the
 * baseline this run is compared with. Meilisearch's own task time for the same writes, read from
 * GET /tasks, says how much of each wait is the engine's; the progress trace of the slowest batch
 * (GET /batches/:uid) names the steps it spent it on.
 */
import { sql } from 'drizzle-orm';
import { seedDemo, seedJobs } from '#db/seed';
import { closeJob, createJob, publishJob } from '#lib/jobs/service';
import { createEngine, ensureIndex } from '#lib/search/engine';
import { createSearchWorker, searchSyncPending } from '#lib/search/outbox';
import { parseSearchParams } from '#lib/search/params';
import { reindex } from '#lib/search/reindex';
import { searchJobs } from '#lib/search/service';
import { jobInput, makeTeam } from '../helpers/factories';
import { benchArgs, indexingMemoryFlag, batchTrace, finishedTasksSince, latestTaskUid, openBenchEnv, summary, type EngineTask } from './bench-env';

const {
  jobs: JOBS,
  rounds: ROUNDS,
  'gap-ms': GAP_MS,
  'hold-ms': HOLD_MS,
  'indexing-memory': indexingMemory,
} = benchArgs({ jobs: 100_000, rounds: 100, 'gap-ms': 1000, 'hold-ms': 60_000, 'indexing-memory': null });
const DEADLINE_MS = 60_000;
/** A job is closed this many rounds after it was published. */
const LAG = 5;
const log = (m: string) => console.log(m);

const env = await openBenchEnv('bench_fresh', indexingMemoryFlag(indexingMemory));
try {
  const { h, meili } = env;
  await seedDemo(h.db, { seed: 42 });
  await seedJobs(h.db, { count: JOBS, seed: 42, onProgress: (d, t) => process.stderr.write(`\rseeding ${d}/${t}`) });
  process.stderr.write('\n');
  await h.db.execute(sql`delete from search_outbox`);
  const engine = createEngine({ url: meili.url, indexName: 'jobs', searchTimeoutMs: 5000, freshHoldMs: HOLD_MS });
  const indexes = engine.fresh ? ['jobs', engine.fresh.indexName] : ['jobs'];
  await ensureIndex(engine);
  const built = await reindex(h.db, engine);
  await h.db.execute(sql`delete from search_outbox`);

  const team = await makeTeam(h.db, 'Freshness Bench');
  const actor = team.actors.hiring_manager;
  const worker = createSearchWorker(h, engine);
  await worker.start();

  /** Searches as a visitor's search does (searchJobs: fresh-index list, both indexes, merge) until `done` holds for the marker's total. */
  const waitFor = async (marker: string, done: (hits: number) => boolean): Promise<void> => {
    const deadline = Date.now() + DEADLINE_MS;
    const params = parseSearchParams(new URLSearchParams({ q: marker }));
    while (Date.now() < deadline) {
      const r = await searchJobs({ db: h.db, engine }, params);
      if (done(r.total)) return;
      await new Promise((res) => setTimeout(res, 5));
    }
    // Say where the change is stuck: its outbox rows, its fresh-index entry, and both indexes.
    const state = await h.db.execute(
      sql`select (select json_agg(o) from search_outbox o join jobs j on j.id = o.job_id where j.title like ${`%${marker}%`}) as outbox,
                 (select json_agg(f) from search_fresh f join jobs j on j.id = f.job_id where j.title like ${`%${marker}%`}) as fresh`,
    );
    const inMain = (await engine.client.index('jobs').search(marker)).hits.length;
    const inFresh = engine.fresh ? (await engine.client.index(engine.fresh.indexName).search(marker)).hits.length : 0;
    throw new Error(`${marker} not settled within ${DEADLINE_MS} ms: ${JSON.stringify(state)}; main index hits ${inMain}, fresh index hits ${inFresh}`);
  };

  /** Engine tasks finished since `before` on the main and the fresh index: the writes this round waited for, and any held batch it waited behind. */
  const tasksSince = async (before: number) => (await Promise.all(indexes.map((i) => finishedTasksSince(meili.url, i, before)))).flat();
  const firstUid = await latestTaskUid(meili.url);
  const publish: number[] = [];
  const close: number[] = [];
  const publishTasks: EngineTask[] = [];
  const closeTasks: EngineTask[] = [];
  /** Per round: the engine's task time over the whole wait (the ratio to the same-run baseline). */
  const publishShare: number[] = [];
  const closeShare: number[] = [];
  const engineMs = (tasks: EngineTask[]) => tasks.reduce((sum, t) => sum + t.ms, 0);
  /** Published in earlier rounds and still open: each round closes the one published LAG rounds before. */
  const open: { id: string; marker: string }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Random letters: markers made from the clock differed in two characters, which typo tolerance matches.
    const marker = Array.from(crypto.getRandomValues(new Uint8Array(14)), (b) => String.fromCharCode(97 + (b % 26))).join('');
    const draft = await createJob(h.db, actor, jobInput({ title: `Therapist ${marker}` }));
    // The draft's own outbox row (a delete: drafts are not searchable) is settled before timing starts.
    for (let n = 0; n < 12_000 && (await searchSyncPending(h.db, draft.id)); n++) await new Promise((res) => setTimeout(res, 5));
    await new Promise((res) => setTimeout(res, GAP_MS));
    let before = await latestTaskUid(meili.url);
    let t = performance.now();
    await publishJob(h.db, actor, draft.id);
    await waitFor(marker, (hits) => hits > 0);
    publish.push(performance.now() - t);
    const pubRound = await tasksSince(before);
    publishTasks.push(...pubRound);
    publishShare.push(engineMs(pubRound) / publish[publish.length - 1]!);
    open.push({ id: draft.id, marker });
    if (open.length <= LAG) continue;

    // Jobs stay open a few rounds, so the main index's held batches carry postings to add, as on a live site.
    const closing = open.shift()!;
    before = await latestTaskUid(meili.url);
    t = performance.now();
    await closeJob(h.db, actor, closing.id);
    await waitFor(closing.marker, (hits) => hits === 0);
    close.push(performance.now() - t);
    const closeRound = await tasksSince(before);
    closeTasks.push(...closeRound);
    closeShare.push(engineMs(closeRound) / close[close.length - 1]!);
  }
  await worker.stop();
  const mainWrites = (await finishedTasksSince(meili.url, 'jobs', firstUid)).filter(
    (t) => t.type === 'documentAdditionOrUpdate' || t.type === 'documentDeletion',
  );

  const f = (s: { p50: number; p95: number; max: number }) =>
    Number.isNaN(s.p50) ? 'no engine task (the change needed none)' : `p50 ${s.p50.toFixed(0)} ms   p95 ${s.p95.toFixed(0)} ms   max ${s.max.toFixed(0)} ms`;
  const pub = summary(publish);
  const clo = summary(close);
  const pubEngine = summary(publishTasks.map((x) => x.ms));
  const cloEngine = summary(closeTasks.map((x) => x.ms));
  log(
    `\n## Freshness (${built.indexed.toLocaleString('en-US')} open jobs indexed of ${JOBS.toLocaleString('en-US')} seeded, ${ROUNDS} rounds ${GAP_MS} ms apart, ${
      engine.fresh ? `fresh index on, hold ${HOLD_MS} ms` : 'fresh index off'
    })\n`,
  );
  log(
    `main-index writes during the run: ${mainWrites.length}${mainWrites.length ? ` (${mainWrites.map((t) => `${t.type === 'documentDeletion' ? 'delete' : 'add'} ${t.ms} ms in batch ${t.batchUid}`).join(', ')})` : ''}`,
  );
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
