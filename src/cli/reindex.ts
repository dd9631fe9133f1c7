/** `npm run search:reindex`: rebuild the index from PostgreSQL into a fresh index and swap it in. */
import path from 'node:path';
import { openDb } from '#db/client';
import { loadConfig } from '#lib/env';
import { createEngine } from '#lib/search/engine';
import { reindex } from '#lib/search/reindex';
import { startLocalMeili, type LocalMeili } from '#lib/search/local-meili';
import { progressPrinter } from '#lib/progress';
import { countOpenJobs } from '#lib/jobs/queries';
import { errInfo, log } from '#lib/log';

async function main() {
  const env = loadConfig();
  let local: LocalMeili | undefined;
  let url = env.MEILI_URL;
  if (!url) {
    local = await startLocalMeili({ dataDir: path.join(env.dataDir, 'meili'), port: 7700 });
    url = local.url;
  }
  const handle = await openDb({ databaseUrl: env.DATABASE_URL, pgliteDir: path.join(env.dataDir, 'pglite') });
  try {
    const engine = createEngine({ url, apiKey: env.MEILI_API_KEY, indexName: env.MEILI_INDEX, searchTimeoutMs: 5000 });
    const total = await countOpenJobs(handle.db);
    const bar = progressPrinter('Indexing');
    const r = await reindex(handle.db, engine, (p) => bar.update(p.indexed, total));
    bar.end();
    console.log(`Reindexed ${r.indexed} jobs in ${(r.ms / 1000).toFixed(1)} s; the new index is live.`);
  } finally {
    await handle.close();
    await local?.stop();
  }
}

main().catch((err) => {
  log.fatal({ err: errInfo(err) }, 'reindex failed');
  process.exit(1);
});
