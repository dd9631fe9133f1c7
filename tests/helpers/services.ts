import crypto from 'node:crypto';
import { inject } from 'vitest';
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

/** A Meilisearch engine on an index of its own (unique name), settings applied. */
export async function freshEngine(opts: { searchTimeoutMs?: number; freshHoldMs?: number } = {}): Promise<SearchEngine> {
  const engine = createEngine({
    url: services.meiliUrl,
    indexName: `jobs_${crypto.randomBytes(5).toString('hex')}`,
    searchTimeoutMs: opts.searchTimeoutMs ?? 5000,
    freshHoldMs: opts.freshHoldMs,
  });
  await ensureIndex(engine);
  return engine;
}
