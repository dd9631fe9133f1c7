import type { APIContext } from 'astro';
import { getRuntime } from '#lib/runtime';
import { parseSearchParams, type SearchParams } from '#lib/search/params';
import { searchJobs } from '#lib/search/service';
import type { SearchResult } from '#lib/search/types';
import { candidateLicenses } from '#lib/licensure/queries';

/**
 * The one entry point both /jobs and /api/jobs use: validate the URL, find
 * out who is asking (for licensure-aware results), search with fallback.
 * Throws SearchParamsError for input a person must fix.
 */
export async function searchFromRequest(
  context: Pick<APIContext, 'url' | 'locals'>,
): Promise<{ params: SearchParams; result: SearchResult; licenses?: Awaited<ReturnType<typeof candidateLicenses>> }> {
  const params = parseSearchParams(context.url.searchParams);
  const rt = await getRuntime();
  const user = context.locals.user;
  const licenses = user ? await candidateLicenses(rt.db, user.id) : undefined;
  const result = await searchJobs({ db: rt.db, engine: rt.engine }, params, { licenses });
  return { params, result, licenses };
}
