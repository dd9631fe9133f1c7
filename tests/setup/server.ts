import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { withDatabase } from '../helpers/db-url';
import type { TestProject } from 'vitest/node';
import { openDb } from '#db/client';
import { seedDemo, seedJobs } from '#db/seed';
import { createEngine } from '#lib/search/engine';
import { reindex } from '#lib/search/reindex';
import { startBuiltServer, type ServerProcess } from '../helpers/server-process';
import { buildSite } from '../../src/cli/build';

/**
 * Builds the site once (`astro build`) and runs the built standalone server on a
 * free port against its own database (demo data + a few hundred postings) and
 * its own index in the run's Meilisearch, exactly as production would run it.
 */
let server: ServerProcess | undefined;
let dataDir = '';

export default async function setup(project: TestProject) {
  const adminUrl = project.getProvidedContext().pgAdminUrl;
  const template = project.getProvidedContext().pgTemplate;
  const meiliUrl = project.getProvidedContext().meiliUrl;
  project.provide('serverUrl', '');
  project.provide('serverDatabaseUrl', '');
  project.provide('serverDataDir', '');
  project.provide('serverMeiliIndex', '');
  if (!adminUrl || !meiliUrl) return;

  const root = path.resolve(import.meta.dirname, '../..');
  const outDir = path.join(root, 'dist-test');
  if (process.env.E2E_SKIP_BUILD !== '1' || !fs.existsSync(path.join(outDir, 'server/serve.mjs'))) {
    buildSite(outDir);
  }

  const dbName = `${template.replace('t_tpl_', 't_')}_server`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName} template ${template}`);
  await admin.end();
  const databaseUrl = withDatabase(adminUrl, dbName);
  const h = await openDb({ databaseUrl });
  await seedDemo(h.db, { seed: 7 });
  await seedJobs(h.db, { count: 300, seed: 7 });
  const indexName = `jobs_e2e_${Date.now()}`;
  const engine = createEngine({ url: meiliUrl, indexName, searchTimeoutMs: 5000 });
  await reindex(h.db, engine);
  await h.db.execute(/* the reindex covered everything the seed queued */ (await import('drizzle-orm')).sql`delete from search_outbox`);
  await h.close();

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-data-'));
  // TRUST_PROXY=1 lets tests act as different clients through X-Forwarded-For.
  server = await startBuiltServer({
    DATABASE_URL: databaseUrl,
    MEILI_URL: meiliUrl,
    MEILI_INDEX: indexName,
    DATA_DIR: dataDir,
    TRUST_PROXY: '1',
  });
  const serverUrl = server.url;
  project.provide('serverUrl', serverUrl);
  project.provide('serverDatabaseUrl', databaseUrl);
  project.provide('serverDataDir', dataDir);
  project.provide('serverMeiliIndex', indexName);

  return async () => {
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
