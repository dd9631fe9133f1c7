/**
 * `npm run bench:search [-- --jobs 100000 --seconds 60 --conns 1,8,32,64]`: seeds N jobs into a fresh
 * PostgreSQL database, builds the index, starts the built server three times (on Meilisearch with the
 * search cache as deployed, on Meilisearch with the cache off, and one whose Meilisearch is unreachable,
 * as if killed) and measures a fixed mixed query set at each connection count:
 *   (a) Meilisearch queried directly with the app's own multi-search request
 *   (b) /api/jobs on Meilisearch (cache on)   (b0) the same with the cache off: the engine path itself
 *   (c) /api/jobs with Meilisearch killed: fallback answers vs sheds   (d) the /jobs HTML page
 * Fallback answers (engine "postgres") and sheds (503) are counted apart from successes, and the
 * default MEILI_TIMEOUT_MS (1500) is used, so a collapse onto PostgreSQL shows.
 * then publish-to-searchable latency through the outbox. Prints figures and ratios.
 * Needs PostgreSQL (TEST_DATABASE_URL / DATABASE_URL / local) and x64 Linux for the embedded Meilisearch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSite, serverArgs } from '../../src/cli/build';
import { benchArgs, createBenchDatabase } from './bench-env';
import { openDb } from '#db/client';
import { seedDemo, seedJobs } from '#db/seed';
import { createEngine, ensureIndex } from '#lib/search/engine';
import { freePort, startLocalMeili } from '#lib/search/local-meili';
import { buildMultiSearch } from '#lib/search/meili-search';
import { createSearchWorker } from '#lib/search/outbox';
import { PAGE_SIZE, parseSearchParams } from '#lib/search/params';
import { reindex } from '#lib/search/reindex';
import { makeJob } from '../helpers/factories';
import { classifySearch, fmt, percentile, runLoad, type LoadResult, type Req } from './load';
import { organizations } from '#db/schema';

const { jobs: JOBS, seconds: SECONDS, conns } = benchArgs({ jobs: 100_000, seconds: 5, conns: '1,8,32,64' });
const CONNS = conns.split(',').map(Number);
const root = path.resolve(import.meta.dirname, '../..');

/** Free text, typos, filters and facets: what candidates actually send. */
const QUERIES = [
  'q=therapist',
  'q=LCSW+therapist+IOP+Pennsylvania',
  'q=theraptist+adolesent', // typos
  'q=partial+hospitalization+nurse',
  'q=remote+counselor',
  'q=case+manager&state=OH',
  'credential=LCSW&credential=LPC&state=PA',
  'role=registered-nurse&program=PHP',
  'setting=telehealth&sort=newest',
  'q=group&role=group-therapist&setting=hybrid&setting=onsite',
  'state=NY&state=NJ&pay_min=70000',
  'program=IOP&posted=14&sort=newest',
  'q=peer+support&credential=CPS',
  'q=psychiatric+nurse+practitioner&sort=pay',
  'near=19104&radius=50&sort=distance',
  'role=therapist&page=3',
  'q=substance+use&credential=CADC&credential=LCADC',
  '',
];

const log = (m: string) => console.log(m);
const database = await createBenchDatabase('bench');
const databaseUrl = database.url;
const meiliDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-meili-'));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-data-'));
const meili = await startLocalMeili({ dataDir: meiliDir });
const servers: ChildProcess[] = [];

try {
  const h = await openDb({ databaseUrl, max: 8 });
  await h.migrate();
  await seedDemo(h.db, { seed: 42 });
  let t0 = performance.now();
  await seedJobs(h.db, { count: JOBS, seed: 42, onProgress: (d, t) => process.stderr.write(`\rseeding ${d}/${t}`) });
  process.stderr.write('\n');
  const seedSecs = (performance.now() - t0) / 1000;
  await h.db.execute((await import('drizzle-orm')).sql`delete from search_outbox`);

  const engine = createEngine({ url: meili.url, indexName: 'jobs', searchTimeoutMs: 5000 });
  await ensureIndex(engine);
  t0 = performance.now();
  const built = await reindex(h.db, engine);
  const indexSecs = (performance.now() - t0) / 1000;

  // A fresh build of the current code, in a folder of its own.
  const outDir = path.join(root, 'dist-test');
  buildSite(outDir);
  const startServer = async (meiliUrl: string, extraEnv: Record<string, string> = {}): Promise<string> => {
    const port = await freePort();
    const child = spawn(process.execPath, serverArgs(outDir), {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        MEILI_URL: meiliUrl,
        MEILI_INDEX: 'jobs',
        DATA_DIR: dataDir,
        PUBLIC_SITE_URL: `http://127.0.0.1:${port}`,
        WORKERS: 'off',
        ...extraEnv,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    servers.push(child);
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`${url}/api/health`)).status === 200) return url;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('server did not start');
  };
  const appMeili = await startServer(meili.url);
  const appNoCache = await startServer(meili.url, { SEARCH_CACHE_TTL_MS: '0' });
  const appPg = await startServer(`http://127.0.0.1:${await freePort()}`); // nothing listens there: the fallback answers

  const check = await fetch(`${appPg}/api/jobs?q=therapist`);
  if (check.headers.get('x-search-engine') !== 'postgres') throw new Error('fallback server is not on PostgreSQL');

  const now = new Date();
  const direct: Req[] = QUERIES.map((qs) => {
    const p = parseSearchParams(new URLSearchParams(qs));
    const ctx = p.near ? { now, geo: { lat: 39.9566, lng: -75.1899, radiusMiles: p.radius ?? 25 } } : { now };
    return {
      method: 'POST',
      path: '/multi-search',
      body: JSON.stringify({ queries: buildMultiSearch('jobs', p, ctx, PAGE_SIZE).queries }),
    };
  });
  // As every browser sends it: the bytes measured are the bytes a visitor receives (the app compresses).
  const browser = { 'accept-encoding': 'br, gzip' };
  const api: Req[] = QUERIES.map((qs) => ({ method: 'GET', path: `/api/jobs?${qs}`, headers: browser }));
  const html: Req[] = QUERIES.map((qs) => ({ method: 'GET', path: `/jobs?${qs}`, headers: browser }));

  // Warm every path once.
  for (const [base, reqs] of [
    [meili.url, direct],
    [appMeili, api],
    [appNoCache, api],
    [appPg, api],
    [appMeili, html],
  ] as const)
    await runLoad(base, reqs, 1, 1);

  const results: Record<string, Record<number, LoadResult>> = { a: {}, b: {}, b0: {}, c: {}, d: {} };
  for (const c of CONNS) {
    process.stderr.write(`measuring at c=${c}\n`);
    results.a![c] = await runLoad(meili.url, direct, c, SECONDS);
    results.b![c] = await runLoad(appMeili, api, c, SECONDS, classifySearch);
    results.b0![c] = await runLoad(appNoCache, api, c, SECONDS, classifySearch);
    results.c![c] = await runLoad(appPg, api, c, SECONDS, classifySearch);
    results.d![c] = await runLoad(appMeili, html, c, SECONDS, classifySearch);
  }

  // Memory after the load (the goal: app RSS ≤ 250 MB after 60 s at c=32; run with --seconds 60 --conns 32).
  const rssMb = (child: ChildProcess) => {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  };
  const memory = { cacheOn: rssMb(servers[0]!), cacheOff: rssMb(servers[1]!), fallback: rssMb(servers[2]!) };

  // Publish → searchable: commit a job with its outbox row, kick the worker (as the posting service does), poll until Meilisearch returns it.
  const worker = createSearchWorker(h, engine);
  await worker.start();
  const [org] = await h.db.select().from(organizations).limit(1);
  const lat: number[] = [];
  for (let i = 0; i < 40; i++) {
    const marker = `benchmarker${i}x${Date.now().toString(36)}`;
    const t = performance.now();
    await makeJob(h.db, org!.id, { title: `Therapist ${marker}`, credentials: ['LCSW'] });
    for (;;) {
      const r = await engine.searchClient.index('jobs').search(marker, { limit: 1 });
      if (r.hits.length) break;
      await new Promise((res) => setTimeout(res, 5));
    }
    lat.push(performance.now() - t);
  }
  await worker.stop();
  lat.sort((x, y) => x - y);
  await h.close();

  log(`\n## Search benchmark (${JOBS.toLocaleString('en-US')} jobs, ${QUERIES.length} mixed queries, ${SECONDS} s per run, ${os.cpus().length} cores)\n`);
  log(`seed: ${seedSecs.toFixed(1)} s   index build (reindex of ${built.indexed.toLocaleString('en-US')} open jobs): ${indexSecs.toFixed(1)} s\n`);
  const names: Record<string, string> = {
    a: '(a) Meilisearch direct',
    b: '(b) /api/jobs, cache on',
    b0: '(b0) /api/jobs, cache off',
    c: '(c) /api/jobs, Meili killed',
    d: '(d) /jobs HTML, cache on',
  };
  log(
    `app RSS after the runs above: cache on ${memory.cacheOn.toFixed(0)} MB, cache off ${memory.cacheOff.toFixed(0)} MB, fallback ${memory.fallback.toFixed(0)} MB (goal ≤ 250 MB after 60 s at c=32)\n`,
  );
  for (const c of CONNS) {
    log(`${c} connection${c > 1 ? 's' : ''}:`);
    for (const k of ['a', 'b', 'b0', 'c', 'd']) log(`  ${names[k]!.padEnd(30)} ${fmt(results[k]![c]!)}`);
    const r = (x: string) => results[x]![c]!.rps;
    log(`  ratios: b/a ${(r('b') / r('a')).toFixed(2)}   b0/a ${(r('b0') / r('a')).toFixed(2)}   d/a ${(r('d') / r('a')).toFixed(2)}`);
    const b0 = results.b0![c]!;
    const killed = results.c![c]!;
    const total = killed.requests + killed.fallbacks + killed.sheds + killed.errors;
    log(
      `  healthy engine, cache off: ${b0.errors} errors, ${b0.fallbacks} fallbacks, ${b0.sheds} shed, ${(r('b0') / r('a')).toFixed(2)}× direct (goal ≥ 0.8, 0 errors, 0 fallbacks)`,
    );
    log(
      `  engine killed: ${killed.fallbacks} fallback answers (${(killed.fallbacks / killed.seconds).toFixed(1)}/s), ${killed.sheds} shed, ${killed.errors} errors of ${total}; p95 ${killed.p95.toFixed(0)} ms (goal < 2000)`,
    );
  }
  log(
    `\npublish → searchable (40 jobs): p50 ${percentile(lat, 50).toFixed(0)} ms   p95 ${percentile(lat, 95).toFixed(0)} ms   max ${lat[lat.length - 1]!.toFixed(0)} ms`,
  );
} finally {
  for (const s of servers) s.kill('SIGTERM');
  await meili.stop();
  await new Promise((r) => setTimeout(r, 500));
  await database.dispose();
  fs.rmSync(meiliDir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
