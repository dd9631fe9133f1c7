import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '#db/client';
import { loadConfig, readEnv } from '#lib/env';
import { countOpenJobs } from '#lib/jobs/queries';
import { createEngine } from '#lib/search/engine';
import { hasMeili, hasPostgres, services, skipReason } from '../helpers/services';
import { ROOT, TSX_LOADER } from '../helpers/server-process';
import { useTestDb } from '../helpers/test-db';

/**
 * Issue 9, item 12: every entry point reads configuration one way (loadConfig: the real
 * environment, then `.env`). With DATABASE_URL only in `.env`, `npm start`'s steps, the
 * seed, the migrations and the reindex all use that PostgreSQL — none quietly falls back
 * to PGlite under DATA_DIR.
 */
function run(cwd: string, script: string, args: string[]) {
  const env = { ...process.env };
  // Only the .env file may configure these runs.
  for (const k of ['DATABASE_URL', 'MEILI_URL', 'MEILI_INDEX', 'DATA_DIR', 'TEST_DATABASE_URL']) delete env[k];
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, script), ...args], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('loadConfig', () => {
  it('fills unset variables from .env and lets the real environment win', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const file = path.join(dir, '.env');
    fs.writeFileSync(file, 'MEILI_INDEX=from_file\nPORT=4999\n');
    const saved = { MEILI_INDEX: process.env.MEILI_INDEX, PORT: process.env.PORT };
    try {
      delete process.env.MEILI_INDEX;
      process.env.PORT = '5111';
      const c = loadConfig({ envFile: file });
      expect(c.MEILI_INDEX).toBe('from_file');
      expect(c.PORT).toBe(5111);
    } finally {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed value with the variable named', () => {
    expect(() => readEnv({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});

describe.skipIf(!hasPostgres || !hasMeili)(`entry points with DATABASE_URL only in .env (${skipReason})`, () => {
  const h = useTestDb();
  let cwd: string;
  const index = `jobs_cfg_${crypto.randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'entry-'));
    fs.writeFileSync(path.join(cwd, '.env'), `DATABASE_URL=${h.url}\nMEILI_URL=${services.meiliUrl}\nMEILI_INDEX=${index}\nDATA_DIR=./data\n`);
  });
  afterAll(() => {
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('migrate, npm start (prepare), seed and reindex all use the PostgreSQL named in .env', async () => {
    const migrate = run(cwd, 'db/migrate.ts', []);
    expect(migrate.status, migrate.out).toBe(0);

    const start = run(cwd, 'src/cli/start.ts', ['--no-serve', '--demo-jobs', '12']);
    expect(start.status, start.out).toBe(0);
    expect(start.out).toContain('PostgreSQL (DATABASE_URL)');
    const [afterStart] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from jobs`);
    expect(afterStart!.n).toBe(12);

    const seed = run(cwd, 'db/seed/cli.ts', ['--jobs', '5', '--seed', '3']);
    expect(seed.status, seed.out).toBe(0);
    const [afterSeed] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from jobs`);
    expect(afterSeed!.n).toBe(17);

    const reindex = run(cwd, 'src/cli/reindex.ts', []);
    expect(reindex.status, reindex.out).toBe(0);
    const open = await countOpenJobs(h.db);
    const engine = createEngine({ url: services.meiliUrl, indexName: index, searchTimeoutMs: 5000 });
    const stats = await engine.client.index(index).getStats();
    expect(stats.numberOfDocuments).toBe(open);

    // Nothing went to an embedded database under DATA_DIR.
    expect(fs.existsSync(path.join(cwd, 'data', 'pglite'))).toBe(false);
  });
});
