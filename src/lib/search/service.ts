import type { Db } from '#db/client';
import type { HeldLicense } from '#lib/licensure/eligibility';
import { qualifyClauses } from '#lib/licensure/eligibility';
import type { SearchEngine } from './engine';
import { meiliSearch } from './meili-search';
import { PAGE_SIZE, SearchParamsError, type SearchParams } from './params';
import { pgSearch } from './pg-search';
import type { SearchContext, SearchResult } from './types';
import { zipToCoords } from './zips';

/**
 * Search with graceful degradation: Meilisearch first; if it errors or times
 * out, PostgreSQL answers with the same filters and says so (engine: "postgres").
 * After a failure the engine's circuit breaker skips Meilisearch briefly, so a
 * dead engine costs one timeout, not one per request.
 */
export interface SearchDeps {
  db: Db;
  engine: SearchEngine;
}

export interface Searcher {
  /** Licenses of the signed-in candidate, for "jobs I qualify for". */
  licenses?: HeldLicense[];
}

export async function resolveContext(p: SearchParams, who: Searcher, now = new Date()): Promise<SearchContext> {
  const ctx: SearchContext = { now };
  if (p.near) {
    const coords = await zipToCoords(p.near);
    if (!coords) throw new SearchParamsError([`We don't know the ZIP code ${p.near}. Check it, or search by state instead.`]);
    ctx.geo = { ...coords, radiusMiles: p.radius ?? 25 };
  }
  if (p.qualified) {
    if (!who.licenses) throw new SearchParamsError(['Sign in as a candidate with your licenses to see jobs you qualify for.']);
    ctx.qualify = qualifyClauses(who.licenses, now.toISOString().slice(0, 10));
  }
  return ctx;
}

export async function searchJobs(deps: SearchDeps, p: SearchParams, who: Searcher = {}, opts: { forceEngine?: 'postgres' } = {}): Promise<SearchResult> {
  const ctx = await resolveContext(p, who);
  if (opts.forceEngine !== 'postgres' && !deps.engine.breaker.isOpen()) {
    try {
      return await meiliSearch(deps.engine, p, ctx, PAGE_SIZE);
    } catch (err) {
      deps.engine.breaker.trip();
      console.warn('[search] Meilisearch unavailable, answering from PostgreSQL:', err instanceof Error ? err.message : err);
    }
  }
  return pgSearch(deps.db, p, ctx, PAGE_SIZE);
}
