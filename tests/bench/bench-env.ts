/**
 * What the bench scripts share: their command line, a throw-away PostgreSQL database (with an
 * embedded Meilisearch whose data sits in a temporary folder, for the freshness and bulk
 * benchmarks), and Meilisearch's own view of a task (its duration and the per-step progress
 * trace of its batch, GET /batches/:uid, Meilisearch 1.13+).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDb, type DbHandle } from '#db/client';
import { startLocalMeili, type LocalMeili } from '#lib/search/local-meili';
import { withDatabase } from '../helpers/db-url';
import { percentile } from './load';

const ADMIN = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

type ArgDefault = number | string | boolean | null;
type BenchArgs<D extends Record<string, ArgDefault>> = {
  -readonly [K in keyof D]: D[K] extends number ? number : D[K] extends boolean ? boolean : D[K] extends string ? string : string | undefined;
};

/**
 * A bench script's command line, from its options' defaults: a number or a string makes `--name value`
 * (read back as a number or as given), a boolean a flag, null a value with no default (undefined unless given).
 * Unknown options are refused.
 *   const { jobs, rounds, keep } = benchArgs({ jobs: 2000, rounds: 3, keep: false });
 */
export function benchArgs<const D extends Record<string, ArgDefault>>(defaults: D): BenchArgs<D> {
  const options: ParseArgsOptionsConfig = {};
  for (const [name, value] of Object.entries(defaults)) {
    options[name] =
      typeof value === 'boolean' ? { type: 'boolean', default: value } : value === null ? { type: 'string' } : { type: 'string', default: String(value) };
  }
  const { values } = parseArgs({ options });
  return Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [name, typeof value === 'number' ? Number(values[name]) : values[name]]),
  ) as BenchArgs<D>;
}

/** A database of the run's own on the server of TEST_DATABASE_URL / DATABASE_URL (default: the local one). */
export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops the database, or with `keep` leaves it for a look afterwards (and says so); closes the admin connection. */
  dispose(opts?: { keep?: boolean }): Promise<void>;
}

export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}_${Date.now()}`;
  const admin = postgres(ADMIN, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  return {
    name,
    url: withDatabase(ADMIN, name),
    dispose: async ({ keep = false } = {}) => {
      if (keep) console.log(`kept database ${name}`);
      else await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface BenchEnv {
  h: DbHandle;
  meili: LocalMeili;
  dispose(): Promise<void>;
}

/** `--indexing-memory 256MiB` or `default` (Meilisearch's own: two thirds of RAM), for A/B runs. */
export function indexingMemoryFlag(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value === 'default' ? null : value;
}

export async function openBenchEnv(prefix: string, indexingMemory?: string | null): Promise<BenchEnv> {
  const database = await createBenchDatabase(prefix);
  const meiliDir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-meili-`));
  const meili = await startLocalMeili({ dataDir: meiliDir, indexingMemory });
  const h = await openDb({ databaseUrl: database.url, max: 8 });
  await h.migrate();
  // Open the whole pool now: the seed's job generator holds the event loop for long stretches on a
  // busy machine, and a connection first opened during one of them misses its connect timeout.
  await Promise.all(Array.from({ length: 8 }, () => h.db.execute(sql`select pg_sleep(0.05)`)));
  return {
    h,
    meili,
    dispose: async () => {
      await h.close();
      await meili.stop();
      await database.dispose();
      fs.rmSync(meiliDir, { recursive: true, force: true });
    },
  };
}

/** Meilisearch's own account of a task: how long it ran, and the batch it ran in. */
export interface EngineTask {
  uid: number;
  batchUid: number;
  ms: number;
  type: string;
}

function taskFrom(t: { uid: number; batchUid: number; startedAt: string; finishedAt: string; type: string }): EngineTask {
  return { uid: t.uid, batchUid: t.batchUid, ms: Date.parse(t.finishedAt) - Date.parse(t.startedAt), type: t.type };
}

/** Finished tasks on the index after `afterUid` (the app's own writes), oldest first. */
export async function finishedTasksSince(url: string, index: string, afterUid: number): Promise<EngineTask[]> {
  const res = await fetch(`${url}/tasks?indexUids=${index}&statuses=succeeded,failed&limit=1000`);
  const body = (await res.json()) as {
    results: { uid: number; batchUid: number; startedAt: string; finishedAt: string; type: string }[];
  };
  return body.results
    .filter((t) => t.uid > afterUid)
    .map(taskFrom)
    .reverse();
}

export async function latestTaskUid(url: string): Promise<number> {
  const body = (await (await fetch(`${url}/tasks?limit=1`)).json()) as { results: { uid: number }[] };
  return body.results[0]?.uid ?? -1;
}

/** How many batches the engine has run so far (its batch uids count up from 0). */
export async function batchCount(url: string): Promise<number> {
  const body = (await (await fetch(`${url}/batches?limit=1`)).json()) as { results: { uid: number }[] };
  return (body.results[0]?.uid ?? -1) + 1;
}

/** The steps of a batch's progress trace, longest first, as "step: ms". */
export async function batchTrace(url: string, batchUid: number, top = 6): Promise<string[]> {
  const b = (await (await fetch(`${url}/batches/${batchUid}`)).json()) as {
    stats?: { progressTrace?: Record<string, string> };
  };
  const trace = b.stats?.progressTrace ?? {};
  const ms = (v: string) => {
    const n = Number.parseFloat(v);
    if (v.endsWith('µs')) return n / 1000;
    if (v.endsWith('ms')) return n;
    if (v.endsWith('s')) return n * 1000;
    return n;
  };
  // Leaf steps only: a parent's time includes its children's.
  const keys = Object.keys(trace);
  const leaves = keys.filter((k) => !keys.some((o) => o !== k && o.startsWith(`${k} > `)));
  return leaves
    .map((k) => [k.replace(/^processing tasks > /, ''), ms(trace[k]!)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${k}: ${v.toFixed(1)} ms`);
}

export const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] ?? Number.NaN };
};
