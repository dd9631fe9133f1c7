import crypto from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { openDb, type Db, type DbHandle } from '#db/client';
import { seedTaxonomy } from '#db/seed';
import { withDatabase } from './db-url';
import { services } from './services';

/**
 * The one way a test file gets a database. Call a hook inside the file's describe (so a
 * skipped suite opens nothing); it opens the database in beforeAll and closes it, and any
 * extra pools, in afterAll:
 *
 *   describe.skipIf(!hasPostgres)(`… (${skipReason})`, () => {
 *     const h = useTestDb();
 *     it('…', async () => { await makeUser(h.db); });
 *   });
 */
export interface TestDb {
  /** The database (throws if used before beforeAll ran). */
  readonly db: Db;
  /** Its connection string ('' for PGlite, which lives in this process). */
  readonly url: string;
  readonly handle: DbHandle;
  /** Another pool on the same database — a second server process, or a pool as wide as a burst; closed after the file. */
  connect(opts: { max: number }): Promise<DbHandle>;
}

function hook(open: () => Promise<{ handle: DbHandle; url: string }>): TestDb {
  let current: { handle: DbHandle; url: string } | undefined;
  const extra: DbHandle[] = [];
  beforeAll(async () => {
    current = await open();
  });
  afterAll(async () => {
    for (const x of extra.splice(0)) await x.close();
    await current?.handle.close();
    current = undefined;
  });
  const need = () => {
    if (!current) throw new Error('The test database opens in beforeAll: use it inside hooks and tests, not while the file is collected');
    return current;
  };
  return {
    get db() {
      return need().handle.db;
    },
    get url() {
      return need().url;
    },
    get handle() {
      return need().handle;
    },
    async connect({ max }) {
      const { url } = need();
      if (!url) throw new Error('PGlite runs in this process: use the one handle');
      const x = await openDb({ databaseUrl: url, max });
      extra.push(x);
      return x;
    },
  };
}

/**
 * A fresh PostgreSQL database for this file, cloned from the run's migrated template
 * (credential taxonomy included): fast, and isolated from every other file.
 */
/** A fresh PostgreSQL database cloned from the run's migrated template; the caller closes it. */
export async function createTestDatabase(opts: { max?: number } = {}): Promise<DbHandle & { url: string }> {
  const name = `${services.pgTemplate.replace('t_tpl_', 't_')}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = postgres(services.pgAdminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${services.pgTemplate}`);
  } finally {
    await admin.end({ timeout: 2 });
  }
  const url = withDatabase(services.pgAdminUrl, name);
  return { ...(await openDb({ databaseUrl: url, max: opts.max ?? 5 })), url };
}

export function useTestDb(opts: { max?: number } = {}): TestDb {
  return hook(async () => {
    const handle = await createTestDatabase(opts);
    return { handle, url: handle.url };
  });
}

/** The embedded default: an in-memory PGlite, migrated, with the credential taxonomy (as the template has). */
export function usePgliteDb(): TestDb {
  return hook(async () => {
    const handle = await openDb({ pgliteDir: 'memory://' });
    await handle.migrate();
    await seedTaxonomy(handle.db);
    return { handle, url: '' };
  });
}

/** The database the e2e server runs on (demo data and generated postings), for arranging and checking what a test does over HTTP. */
export function useServerDb(): TestDb {
  return hook(async () => {
    const url = inject('serverDatabaseUrl');
    return { handle: await openDb({ databaseUrl: url, max: 2 }), url };
  });
}
