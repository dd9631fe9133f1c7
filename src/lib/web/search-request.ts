import type { APIContext } from 'astro';
import { getRuntime } from '#lib/runtime';
import { parseSearchParams, type SearchParams } from '#lib/search/params';
import { SearchBusyError, searchJobs } from '#lib/search/service';
import type { SearchResult } from '#lib/search/types';
import { candidateLicenses } from '#lib/licensure/queries';

type Licenses = Awaited<ReturnType<typeof candidateLicenses>>;

/** A search answered, or shed for load (the page keeps the query and says to try again). */
export type SearchOutcome =
  | { params: SearchParams; result: SearchResult; licenses?: Licenses; busy?: undefined; cacheControl: string }
  | { params: SearchParams; result?: undefined; licenses?: Licenses; busy: { retryAfterSeconds: number } };

export const SEARCH_BUSY_MESSAGE = 'Search is busy, try again in a few seconds.';

/**
 * The one entry point both /jobs and /api/jobs use: validate the URL, find
 * out who is asking (for licensure-aware results), search with fallback.
 * Throws SearchParamsError for input a person must fix.
 */
export async function searchFromRequest(context: Pick<APIContext, 'url' | 'locals'>): Promise<SearchOutcome> {
  const params = parseSearchParams(context.url.searchParams);
  const rt = await getRuntime();
  const user = context.locals.user;
  const licenses = user ? await candidateLicenses(rt.db, user.id) : undefined;
  try {
    const result = await searchJobs({ db: rt.db, engine: rt.engine }, params, { licenses });
    return { params, result, licenses, cacheControl: searchCacheControl(result, !!user, rt.engine.cache?.ttl ?? 0) };
  } catch (err) {
    if (!(err instanceof SearchBusyError)) throw err;
    return { params, licenses, busy: { retryAfterSeconds: err.retryAfterSeconds } };
  }
}

/** Headers of a shed search's 503: come back shortly, and never store the refusal. */
export function busyHeaders(retryAfterSeconds: number): Record<string, string> {
  return { 'retry-after': String(retryAfterSeconds), 'cache-control': 'no-store' };
}

/**
 * An anonymous search answered by Meilisearch is the same for everyone who sends that URL, and the
 * engine already shares it for the search cache's TTL: say so, so the edge's micro-cache (and any
 * proxy) answers repeats of it without rendering it again. A signed-in search carries the viewer's
 * licences and saved/applied marks; a fallback answer is a degraded one: neither is shared.
 */
export function searchCacheControl(result: Pick<SearchResult, 'engine'>, signedIn: boolean, ttlMs: number): string {
  if (signedIn) return 'private, no-store';
  const seconds = Math.floor(ttlMs / 1000);
  if (result.engine !== 'meilisearch' || seconds < 1) return 'no-store';
  // As long again stale while one request refreshes it (the micro-cache's stampede guard).
  return `public, max-age=${seconds}, stale-while-revalidate=${seconds}`;
}

/** The headers of an answered search: who may keep it, and which engine answered (for operators and the benchmark). */
export function searchHeaders(outcome: { result: Pick<SearchResult, 'engine'>; cacheControl: string }): Record<string, string> {
  return { 'cache-control': outcome.cacheControl, vary: 'Cookie', 'x-search-engine': outcome.result.engine };
}
