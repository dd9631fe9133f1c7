import crypto from 'node:crypto';
import { inject } from 'vitest';
import postgres from 'postgres';
import { withDatabase } from './db-url';
import { openDb, type DbHandle } from '#db/client';
import { createEngine, ensureIndex, type SearchEngine } from '#lib/search/engine';

export const services = {
  pgAdminUrl: inject('pgAdminUrl'),
  pgTemplate: inject('pgTemplate'),
  meiliUrl: inject('meiliUrl'),
  unavailable: inject('unavailable'),
};

export const hasPostgres = services.pgAdminUrl !== '';
export const hasMeili = services.meiliUrl !== '';

/** Reason text for describe.skipIf titles, so a skipped suite says why. */
export const skipReason = services.unavailable || 'services available';


/**
 * A fresh PostgreSQL database for one test file, cloned from the run's migrated
 * template (with the credential taxonomy) — fast, and isolated from other files.
 */
export async function freshPostgres(): Promise<DbHandle & { url: string }> {
  const name = `${services.pgTemplate.replace('t_tpl_', 't_')}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = postgres(services.pgAdminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${services.pgTemplate}`);
  } finally {
    await admin.end({ timeout: 2 });
  }
  const url = withDatabase(services.pgAdminUrl, name);
  const h = await openDb({ databaseUrl: url, max: 5 });
  return { ...h, url };
}

/** A Meilisearch engine on an index of its own (unique name), settings applied. */
export async function freshEngine(opts: { searchTimeoutMs?: number } = {}): Promise<SearchEngine> {
  const engine = createEngine({
    url: services.meiliUrl,
    indexName: `jobs_${crypto.randomBytes(5).toString('hex')}`,
    searchTimeoutMs: opts.searchTimeoutMs ?? 5000,
  });
  await ensureIndex(engine);
  return engine;
}
