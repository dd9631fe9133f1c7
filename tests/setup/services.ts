import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { withDatabase } from '../helpers/db-url';
import type { TestProject } from 'vitest/node';
import { openDb } from '#db/client';
import { seedTaxonomy } from '#db/seed';
import { startLocalMeili, type LocalMeili } from '#lib/search/local-meili';

/**
 * Finds PostgreSQL (TEST_DATABASE_URL, else DATABASE_URL, else the local server),
 * creates a migrated template database for this run, and starts a real
 * Meilisearch on a free port with a throw-away data directory. Missing services
 * turn into skipped suites locally and into a failure under CI=true.
 */
const ADMIN_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const isCI = process.env.CI === 'true' || process.env.CI === '1';

let meili: LocalMeili | undefined;
let template = '';
let meiliDir = '';

export default async function setup(project: TestProject) {
  const problems: string[] = [];
  let adminUrl = '';
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin`select 1`;
    adminUrl = ADMIN_URL;
    template = `t_tpl_${process.pid}_${Date.now()}`;
    await admin.unsafe(`create database ${template}`);
    const h = await openDb({ databaseUrl: withDatabase(adminUrl, template), max: 1 });
    await h.migrate();
    await seedTaxonomy(h.db);
    await h.close();
  } catch (err) {
    problems.push(`PostgreSQL not reachable at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//…@')}: ${err instanceof Error ? err.message : err}`);
    adminUrl = '';
  } finally {
    await admin.end({ timeout: 2 });
  }
  try {
    meiliDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meili-test-'));
    meili = await startLocalMeili({ dataDir: meiliDir });
  } catch (err) {
    problems.push(`Meilisearch could not start: ${err instanceof Error ? err.message : err}`);
  }
  if (problems.length) {
    const msg = problems.join('; ');
    if (isCI) throw new Error(`Required test services are missing (CI=true makes this a failure): ${msg}`);
    console.warn(`\n[tests] Suites that need these services will be SKIPPED: ${msg}\n`);
  }
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  project.provide('meiliUrl', meili?.url ?? '');
  project.provide('unavailable', problems.join('; '));

  return async () => {
    await meili?.stop();
    if (meiliDir) fs.rmSync(meiliDir, { recursive: true, force: true });
    if (adminUrl && template) {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        // Drop the template and every per-file clone made from it.
        const clones = await a<
          { datname: string }[]
        >`select datname from pg_database where datname like ${`${template.replace('t_tpl_', 't_')}%`} or datname = ${template}`;
        for (const c of clones) await a.unsafe(`drop database if exists ${c.datname} with (force)`);
      } finally {
        await a.end({ timeout: 2 });
      }
    }
  };
}
