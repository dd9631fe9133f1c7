/**
 * `npm run bench:jobpage [-- --jobs 2000 --seconds 5 --rounds 3]`: the job page against
 * Astro's own ceiling, in one run on this machine.
 *
 * Seeds N jobs into a fresh PostgreSQL database, builds the site and serves it as
 * production does (src/cli/serve.ts, workers off). The baseline is a throwaway Astro
 * project made in the temp folder: one SSR page that returns a fixed string the size
 * of a real job page, built with the same astro binary and served by @astrojs/node in
 * standalone mode. Both are loaded at 10 connections in interleaved rounds; each
 * round reads the server's CPU time from /proc/<pid>/stat. Prints medians and ratios for
 * the job page as served (the edge's micro-cache on, its default), rendered on every
 * request (PAGE_CACHE_TTL_MS=0, a second app process), and its 304 path (If-None-Match).
 * Needs PostgreSQL (TEST_DATABASE_URL / DATABASE_URL / local) and Linux (/proc).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { openDb } from '#db/client';
import { jobs } from '#db/schema';
import { seedDemo, seedJobs } from '#db/seed';
import { freePort } from '#lib/search/local-meili';
import { benchArgs, createBenchDatabase } from './bench-env';
import { runLoad, type LoadResult, type Req } from './load';
import { buildSite, SERVER_NODE_ARGS, serverArgs } from '../../src/cli/build';

const { jobs: JOBS, seconds: SECONDS, rounds: ROUNDS, connections: C } = benchArgs({ jobs: 2000, seconds: 5, rounds: 3, connections: 10 });
const root = path.resolve(import.meta.dirname, '../..');
const astroBin = path.join(root, 'node_modules/astro/bin/astro.mjs');
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim()) || 100;

const database = await createBenchDatabase('bench_jobpage');
const databaseUrl = database.url;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-jobpage-'));
const children: ChildProcess[] = [];

/** User + system CPU of a process so far, in ms (fields 14 and 15 of /proc/<pid>/stat, after the command name). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

async function waitFor(url: string, ok: (r: Response) => boolean, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 1800; i++) {
    try {
      if (ok(await fetch(url))) return;
    } catch {
      /* starting */
    }
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer in 3 minutes`);
}

function start(args: string[], env: Record<string, string>, cwd: string): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  const h = await openDb({ databaseUrl, max: 4 });
  await h.migrate();
  await seedDemo(h.db, { seed: 42 });
  let t0 = performance.now();
  await seedJobs(h.db, { count: JOBS, seed: 42 });
  const seedSecs = (performance.now() - t0) / 1000;
  const now = new Date();
  const open = await h.db
    .select({ slug: jobs.slug })
    .from(jobs)
    .where(and(eq(jobs.status, 'published'), gt(jobs.validThrough, now), isNull(jobs.expiredAt)))
    .limit(200);
  await h.close();
  if (open.length === 0) throw new Error('no open jobs seeded');

  // The app, built as production builds it (inside the project, so the bundle resolves its packages).
  const outDir = path.join(root, 'dist-bench');
  t0 = performance.now();
  buildSite(outDir);
  /** The built app as `npm start` serves it; `pageCacheMs` 0 renders every page (the micro-cache off). */
  const startApp = async (pageCacheMs: number) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = start(
      serverArgs(outDir),
      {
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        // The job page does not search; nothing listens here, so no engine is needed.
        MEILI_URL: `http://127.0.0.1:${await freePort()}`,
        DATA_DIR: path.join(tmp, `data-${pageCacheMs}`),
        PUBLIC_SITE_URL: url,
        WORKERS: 'off',
        LOG_LEVEL: 'warn',
        PAGE_CACHE_TTL_MS: String(pageCacheMs),
      },
      root,
    );
    await waitFor(`${url}/api/health`, (r) => r.status > 0, child);
    return { url, child };
  };
  const { url: app, child: appChild } = await startApp(0);
  const { url: cachedApp, child: cachedChild } = await startApp(2000);

  // One real page fixes the baseline's size; its ETag feeds the 304 path.
  const sample = await fetch(`${app}/jobs/${open[0]!.slug}`);
  const sampleHtml = await sample.text();
  if (sample.status !== 200) throw new Error(`job page answered ${sample.status}`);
  const etags = await Promise.all(open.map(async ({ slug }) => (await fetch(`${app}/jobs/${slug}`)).headers.get('etag') ?? ''));

  // The baseline: a minimal Astro SSR project of its own, same astro, same adapter.
  const base = path.join(tmp, 'baseline');
  fs.mkdirSync(path.join(base, 'src/pages'), { recursive: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(base, 'node_modules'));
  fs.writeFileSync(path.join(base, 'package.json'), JSON.stringify({ name: 'baseline', type: 'module', private: true }));
  fs.writeFileSync(
    path.join(base, 'astro.config.mjs'),
    `import { defineConfig } from 'astro/config';\nimport node from '@astrojs/node';\nexport default defineConfig({ output: 'server', adapter: node({ mode: 'standalone' }), devToolbar: { enabled: false }, prefetch: false });\n`,
  );
  fs.writeFileSync(path.join(base, 'src/page.html.txt'), sampleHtml);
  fs.writeFileSync(path.join(base, 'src/pages/[slug].astro'), `---\nimport html from '../page.html.txt?raw';\n---\n<Fragment set:html={html} />\n`);
  fs.writeFileSync(path.join(base, 'src/env.d.ts'), '/// <reference types="astro/client" />\n');
  const builtBase = spawnSync(process.execPath, [astroBin, 'build', '--silent'], {
    cwd: base,
    stdio: 'inherit',
    env: process.env,
  });
  if (builtBase.status !== 0) throw new Error('baseline astro build failed');
  const basePort = await freePort();
  const baseline = `http://127.0.0.1:${basePort}`;
  // The same Node flags as the app: the comparison is of the pages, not of the heap settings.
  const baseChild = start(
    [...SERVER_NODE_ARGS, path.join(base, 'dist/server/entry.mjs')],
    { HOST: '127.0.0.1', PORT: String(basePort), NODE_ENV: 'production' },
    base,
  );
  await waitFor(`${baseline}/x`, (r) => r.status === 200, baseChild);
  const baseBytes = (await (await fetch(`${baseline}/x`)).text()).length;
  const buildSecs = (performance.now() - t0) / 1000;

  const targets: { name: string; url: string; pid: number; reqs: Req[] }[] = [
    {
      name: 'job page, rendered each time (PAGE_CACHE_TTL_MS=0)',
      url: app,
      pid: appChild.pid!,
      reqs: open.map(({ slug }) => ({ method: 'GET', path: `/jobs/${slug}` })),
    },
    {
      name: 'job page, micro-cache on (PAGE_CACHE_TTL_MS=2000, the default)',
      url: cachedApp,
      pid: cachedChild.pid!,
      reqs: open.map(({ slug }) => ({ method: 'GET', path: `/jobs/${slug}` })),
    },
    {
      name: 'job page, If-None-Match (304)',
      url: app,
      pid: appChild.pid!,
      reqs: open.map(({ slug }, i) => ({
        method: 'GET',
        path: `/jobs/${slug}`,
        headers: { 'if-none-match': etags[i]! },
      })),
    },
    {
      name: 'minimal Astro SSR page',
      url: baseline,
      pid: baseChild.pid!,
      reqs: open.map(({ slug }) => ({ method: 'GET', path: `/${slug}` })),
    },
  ];
  type Round = LoadResult & { cpuPerReq: number };
  const results = new Map<string, Round[]>(targets.map((t) => [t.name, []]));
  // Warm-up (JIT, pools, prepared statements), not counted.
  for (const t of targets) await runLoad(t.url, t.reqs, C, 1);
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of targets) {
      const c0 = cpuMs(t.pid);
      const res = await runLoad(t.url, t.reqs, C, SECONDS);
      const cpu = cpuMs(t.pid) - c0;
      results.get(t.name)!.push({ ...res, cpuPerReq: cpu / Math.max(1, res.requests + res.errors) });
    }
  }

  const summary = targets.map((t) => {
    const rs = results.get(t.name)!;
    return {
      name: t.name,
      rps: median(rs.map((x) => x.rps)),
      p50: median(rs.map((x) => x.p50)),
      p95: median(rs.map((x) => x.p95)),
      cpu: median(rs.map((x) => x.cpuPerReq)),
      errors: rs.reduce((n, x) => n + x.errors, 0),
    };
  });
  const [job, cached, job304, minimal] = summary as [(typeof summary)[0], (typeof summary)[0], (typeof summary)[0], (typeof summary)[0]];
  console.log(
    `\njob page benchmark: ${JOBS.toLocaleString('en-US')} jobs seeded (${seedSecs.toFixed(1)} s), builds ${buildSecs.toFixed(0)} s; ` +
      `c=${C}, ${ROUNDS} interleaved rounds of ${SECONDS} s, medians; page ${sampleHtml.length.toLocaleString('en-US')} B, baseline ${baseBytes.toLocaleString('en-US')} B\n`,
  );
  for (const s of summary) {
    console.log(
      `${s.name.padEnd(64)} ${s.rps.toFixed(0).padStart(6)} req/s  p50 ${s.p50.toFixed(2).padStart(6)} ms  p95 ${s.p95.toFixed(2).padStart(6)} ms  CPU ${s.cpu.toFixed(2).padStart(5)} ms/req  errors ${s.errors}`,
    );
  }
  console.log(
    `\nratio job page (micro-cache on, as served) / minimal Astro: req/s ${(cached.rps / minimal.rps).toFixed(2)} (goal ≥ 0.5), CPU ${(cached.cpu / minimal.cpu).toFixed(2)}×; ` +
      `p95 ${cached.p95.toFixed(1)} ms (goal ≤ 20)\n` +
      `ratio job page rendered each time / minimal Astro: req/s ${(job.rps / minimal.rps).toFixed(2)}, CPU ${(job.cpu / minimal.cpu).toFixed(2)}×; p95 ${job.p95.toFixed(1)} ms\n` +
      `ratio 304 path / minimal Astro: req/s ${(job304.rps / minimal.rps).toFixed(2)}, CPU ${(job304.cpu / minimal.cpu).toFixed(2)}×`,
  );
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await database.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
}
