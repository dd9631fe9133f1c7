import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { SQL } from 'drizzle-orm';
import postgres from 'postgres';
import * as schema from './schema';

export { schema };

/** The database handle every data function takes first; the same type on postgres.js and PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** The handle a `db.transaction` callback gets. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface DbHandle {
  db: Db;
  driver: 'postgres' | 'pglite';
  close(): Promise<void>;
  migrate(): Promise<void>;
  /**
   * LISTEN on `channel`: `onNotify` runs for every NOTIFY on it, which PostgreSQL delivers only
   * once the sending transaction commits (from any process on PostgreSQL; in-process on PGlite).
   * Resolves once listening, with the function that stops it.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}

/** Migrations live beside this file; resolved from the working directory so the bundled server finds them too. */
export function migrationsFolder(): string {
  const candidates = [path.resolve('db/migrations'), path.resolve(import.meta.dirname ?? '.', 'migrations')];
  const found = candidates.find((p) => fs.existsSync(path.join(p, 'meta', '_journal.json')));
  if (!found) throw new Error(`Migrations not found (looked in ${candidates.join(', ')})`);
  return found;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data directory, used when databaseUrl is unset; 'memory://' for an in-memory database. */
  pgliteDir?: string;
  /** postgres.js pool size. */
  max?: number;
  /** postgres.js connect timeout in seconds (default 2). */
  connectTimeoutS?: number;
  /** PostgreSQL application_name: lets pg_stat_activity (and the pool metrics) tell this process's connections apart. */
  applicationName?: string;
}

export async function openDb(opts: OpenOptions): Promise<DbHandle> {
  const url = opts.databaseUrl;
  if (url) {
    const client = postgres(url, {
      max: opts.max ?? 10,
      onnotice: () => {},
      // Seconds. With PostgreSQL unreachable a request fails fast (and answers 503) instead of
      // waiting out the driver's 30 s default.
      connect_timeout: opts.connectTimeoutS ?? 2,
      connection: {
        ...(opts.applicationName ? { application_name: opts.applicationName } : {}),
        // No JIT compilation: this app's queries run in milliseconds, and a plan whose cost estimate
        // passes jit_above_cost spends more compiling than running (measured: a reindex range read
        // took 641 ms, 271 of them compiling; 210 ms without).
        jit: 'off',
      },
      // Dates come back as strings for `date` columns; timestamps as Date.
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    const listeners = new Set<() => Promise<void>>();
    return {
      db,
      driver: 'postgres',
      close: async () => {
        await Promise.all([...listeners].map((stop) => stop()));
        await client.end({ timeout: 5 });
      },
      migrate: () => migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder: migrationsFolder() }),
      listen: async (channel, onNotify) => {
        const stop = await listenPostgres(url, channel, onNotify, opts.connectTimeoutS ?? 2);
        const unlisten = async () => {
          listeners.delete(unlisten);
          await stop();
        };
        listeners.add(unlisten);
        return unlisten;
      },
    };
  }
  const dir = opts.pgliteDir ?? 'memory://';
  if (!dir.startsWith('memory://')) fs.mkdirSync(dir, { recursive: true });
  // btree_gist: the interviews' no-overlap exclusion constraint (migration 0007) needs it here as on PostgreSQL.
  const client = await PGlite.create(dir, { extensions: { btree_gist } });
  const pdb = drizzlePglite(client, { schema });
  return {
    db: pdb as unknown as Db,
    driver: 'pglite',
    close: () => client.close(),
    migrate: () => migratePglite(pdb, { migrationsFolder: migrationsFolder() }),
    listen: async (channel, onNotify) => {
      const unlisten = await client.listen(channel, () => onNotify());
      return () => unlisten();
    },
  };
}

/**
 * LISTEN on a postgres.js client of its own. postgres.js gives it a dedicated connection and,
 * when that is lost, reconnects with backoff and listens again; notifications sent meanwhile are
 * lost, so each LISTEN after the first calls `onNotify` once to say so. A client whose first
 * LISTEN failed fails every later one on that channel, so it is thrown away and the caller's
 * next attempt starts clean.
 */
async function listenPostgres(url: string, channel: string, onNotify: () => void, connectTimeoutS: number): Promise<() => Promise<void>> {
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: connectTimeoutS });
  let listened = false;
  try {
    const meta = await client.listen(
      channel,
      () => onNotify(),
      () => {
        if (listened) onNotify();
        listened = true;
      },
    );
    return async () => {
      await meta.unlisten();
      await client.end({ timeout: 1 });
    };
  } catch (err) {
    await client.end({ timeout: 0 });
    throw err;
  }
}

/**
 * Raw SQL rows on either driver: postgres.js returns an array, PGlite `{ rows }`.
 * Use it for the few queries the query builder cannot express (facet GROUP BYs, FTS).
 */
export async function rows<T extends Record<string, unknown>>(db: Pick<Db | Tx, 'execute'>, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
