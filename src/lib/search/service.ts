import type { Db } from '#db/client';
import type { HeldLicense } from '#lib/licensure/eligibility';
import { qualifyClauses } from '#lib/licensure/eligibility';
import { log } from '#lib/log';
import { metrics } from '#lib/metrics';
import type { SearchEngine } from './engine';
import { GateFullError } from './fallback-gate';
import { currentOverlay } from './fresh';
import { meiliSearch } from './meili-search';
import { PAGE_SIZE, SearchParamsError, toQueryString, type SearchParams } from './params';
import { pgSearch } from './pg-search';
import type { SearchContext, SearchResult } from './types';
import { zipToCoords } from './zips';

/**
 * Search that degrades without collapsing:
 * - Meilisearch answers, with a timeout that follows its recent latency (engine.ts, latency.ts).
 * - Engine down (refused, reset, 5xx, hung): its breaker opens and PostgreSQL answers, at most a
 *   few at once (fallback-gate.ts); the excess is shed with SearchBusyError (503 + Retry-After).
 * - Engine busy (timed out but answering others): shed, never PostgreSQL, which costs far more
 *   and would slow the shared machine further (issue 13: 7 req/s, then 0, at c=32).
 * - Identical anonymous searches within the engine's cache TTL share one answer; searches that
 *   depend on who asks ("jobs I qualify for") are never cached.
 */
export interface SearchDeps {
  db: Db;
  engine: SearchEngine;
}

export interface Searcher {
  /** Licenses of the signed-in candidate, for "jobs I qualify for". */
  licenses?: HeldLicense[];
}

/** Search refused for load; the edge answers 503 with Retry-After. */
export class SearchBusyError extends Error {
  readonly code = 'search_busy';
  constructor(
    readonly reason: 'engine-busy' | 'fallback-full',
    readonly retryAfterSeconds = 2,
  ) {
    super('Search is busy, try again in a few seconds.');
    this.name = 'SearchBusyError';
  }
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

async function timed<T extends SearchResult>(engine: 'meilisearch' | 'postgres', run: () => Promise<T>): Promise<T> {
  const end = metrics.searchDuration.startTimer({ engine });
  const r = await run();
  end();
  return r;
}

async function fallback(deps: SearchDeps, p: SearchParams, ctx: SearchContext): Promise<SearchResult> {
  try {
    const r = await deps.engine.fallback.run(() => timed('postgres', () => pgSearch(deps.db, p, ctx, PAGE_SIZE)));
    metrics.searchFallbacks.inc();
    return r;
  } catch (err) {
    if (!(err instanceof GateFullError)) throw err;
    metrics.searchShed.inc();
    throw new SearchBusyError('fallback-full');
  }
}

/** The meilisearch client wraps what failed ("Request to … has failed"); the innermost cause says what. */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) parts.push(e instanceof Error ? e.message : String(e));
  return parts.join(': ');
}

async function search(deps: SearchDeps, p: SearchParams, ctx: SearchContext, forcePostgres: boolean) {
  const { engine } = deps;
  if (forcePostgres) return pgSearch(deps.db, p, ctx, PAGE_SIZE);
  const open = engine.breaker.isOpen();
  metrics.breakerOpen.set(open ? 1 : 0);
  if (open) return fallback(deps, p, ctx);
  // The jobs the fresh index serves. Unreadable (the database), the main index answers alone: changes
  // of the last seconds show as before them, which beats no answer.
  const overlay = engine.fresh
    ? await currentOverlay(deps.db).catch((err: unknown) => {
        log.warn({ err: describe(err) }, 'search: fresh-index list unreadable, searching the main index alone');
        return undefined;
      })
    : undefined;
  try {
    return await timed('meilisearch', () => meiliSearch(engine, p, ctx, PAGE_SIZE, overlay));
  } catch (err) {
    const message = describe(err);
    if (engine.failureKind(err) === 'busy') {
      metrics.searchShed.inc();
      log.warn({ err: message }, 'search: Meilisearch busy, shedding');
      throw new SearchBusyError('engine-busy');
    }
    engine.breaker.trip();
    metrics.breakerOpen.set(1);
    log.warn({ err: message }, 'search: Meilisearch unavailable, answering from PostgreSQL');
    return fallback(deps, p, ctx);
  }
}

export async function searchJobs(deps: SearchDeps, p: SearchParams, who: Searcher = {}, opts: { forceEngine?: 'postgres' } = {}): Promise<SearchResult> {
  const ctx = await resolveContext(p, who);
  const forcePostgres = opts.forceEngine === 'postgres';
  const cache = deps.engine.cache;
  // Per-user searches and forced-engine searches bypass the cache; the key is the normalized query.
  if (!cache || p.qualified || forcePostgres) return search(deps, p, ctx, forcePostgres);
  const key = toQueryString(p);
  const hit = cache.get(key);
  if (hit) return hit;
  // The promise is cached, so identical searches arriving together share one engine call.
  const pending = search(deps, p, ctx, false);
  cache.set(key, pending);
  pending.catch(() => cache.delete(key));
  return pending;
}
