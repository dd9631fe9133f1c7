/**
 * `npm start`: one command from a fresh clone to a running site.
 * 1. start the embedded Meilisearch unless MEILI_URL is set;
 * 2. migrate; seed demo data into an empty database;
 * 3. make the index match the database (reindex if empty, else drain the outbox);
 * 4. build the Astro server (skip with --no-build) and serve it in this process
 *    (--no-serve stops after step 3: prepare a database and index, e.g. for a deploy step).
 * Every step reads one configuration (loadConfig: environment, then `.env`), so they
 * all use the same database and index.
 * Ctrl-C stops the server and the embedded Meilisearch; data stays under DATA_DIR.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '#db/client';
import { DEMO_LOGINS, DEMO_ORGS, isEmpty, seedDemo, seedDemoPipeline, seedJobs } from '#db/seed';
import { loadConfig, siteUrlFor } from '#lib/env';
import { postingCounts } from '#lib/jobs/queries';
import { demoLoginLines, postingsLine } from './banner';
import { serve } from './serve';
import { buildSite } from './build';
import { onShutdown } from '#lib/lifecycle';
import { createEngine, ensureIndex } from '#lib/search/engine';
import { startLocalMeili, freePort, type LocalMeili } from '#lib/search/local-meili';
import { drainOnce, pendingCount } from '#lib/search/outbox';
import { indexIsEmpty, reindex } from '#lib/search/reindex';
import { errInfo, log as logger } from '#lib/log';

const { values: args } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    'no-serve': { type: 'boolean', default: false },
    'demo-jobs': { type: 'string', default: '1500' },
  },
});

async function portFree(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net
      .createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function main() {
  const env = loadConfig();
  const log = (m: string) => console.log(`› ${m}`);
  let meili: LocalMeili | undefined;
  if (!env.MEILI_URL) {
    const port = (await portFree(7700)) ? 7700 : await freePort();
    meili = await startLocalMeili({ dataDir: path.join(env.dataDir, 'meili'), port, log });
    process.env.MEILI_URL = meili.url;
    const started = meili;
    // Last, after the server has drained and the workers stopped (src/lib/lifecycle.ts).
    onShutdown('meilisearch', () => started.stop(), 20);
    process.once('exit', () => started.process.kill('SIGTERM'));
  }
  const meiliUrl = meili?.url ?? env.MEILI_URL!;

  const handle = await openDb({ databaseUrl: env.DATABASE_URL, pgliteDir: path.join(env.dataDir, 'pglite') });
  log(`Database: ${handle.driver === 'pglite' ? `PGlite in ${path.join(env.dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)'}`);
  await handle.migrate();
  log('Migrations applied');
  if (await isEmpty(handle.db)) {
    const n = Number(args['demo-jobs']);
    log(`Empty database: seeding demo organizations, users and ${n} postings`);
    await seedDemo(handle.db, { seed: 1 });
    await seedJobs(handle.db, { count: n, seed: 1 });
    const p = await seedDemoPipeline(handle.db, { seed: 1 });
    if (!p.skipped) log(`Demo pipeline: ${p.applications} applications at every stage for ${DEMO_ORGS[0]!.name}`);
  }
  const counts = await postingCounts(handle.db);
  const engine = createEngine({
    url: meiliUrl,
    apiKey: env.MEILI_API_KEY,
    indexName: env.MEILI_INDEX,
    searchTimeoutMs: 5000,
    freshHoldMs: env.SEARCH_FRESH_HOLD_MS,
  });
  await ensureIndex(engine);
  if (await indexIsEmpty(engine)) {
    const r = await reindex(handle.db, engine);
    log(`Search index built: ${r.indexed} jobs in ${(r.ms / 1000).toFixed(1)} s`);
  }
  while ((await pendingCount(handle.db)) > 0) {
    const r = await drainOnce(handle.db, engine, 5000);
    // Rows held for the fresh index's hold are not due yet: the server's worker takes them when they are.
    if (r.failed || r.claimed === 0) break;
  }
  await handle.close();
  if (args['no-serve']) {
    await meili?.stop();
    return;
  }

  const entry = path.resolve('dist/server/entry.mjs');
  if (!args['no-build'] || !fs.existsSync(entry)) {
    log('Building the site (astro build)…');
    buildSite();
  }
  await serve(env, entry);
  const url = siteUrlFor(env.HOST, env.PORT);
  console.log(`\n  PHP/IOP Jobs is running at ${url}\n`);
  if (env.PUBLIC_SITE_URL !== url) console.log(`  Links in pages and emails use PUBLIC_SITE_URL: ${env.PUBLIC_SITE_URL}\n`);
  console.log(`  ${postingsLine(counts)}\n`);
  console.log('  Demo sign-ins (demo data only, never use in production):');
  for (const line of demoLoginLines(DEMO_LOGINS, DEMO_ORGS)) console.log(`    ${line}`);
  console.log('\n  Press Ctrl-C to stop.\n');
  // Warm the runtime (DB pool, workers) before the first visitor.
  void fetch(`${url}/api/health`).catch(() => {});
}

main().catch((err) => {
  logger.fatal({ err: errInfo(err) }, 'could not start');
  process.exit(1);
});
