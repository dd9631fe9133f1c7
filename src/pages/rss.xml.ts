import type { APIRoute } from 'astro';
import { env } from '#lib/env';
import { problem } from '#lib/web/http';
import { latestOpenJobs, summaryToHit } from '#lib/jobs/queries';
import { paths } from '#lib/paths';
import { getRuntime } from '#lib/runtime';
import { parseSearchParams, SearchParamsError, toQueryString, type SearchParams } from '#lib/search/params';
import { searchJobs } from '#lib/search/service';
import type { JobHit } from '#lib/search/types';
import { jobRssItem } from '#lib/feeds/jobs-rss';
import { describeSearch } from '#lib/feeds/describe';
import { renderRss } from '#lib/feeds/rss';
import { feedUnavailable } from '#lib/feeds/http';
import { buildEach, newTally } from '#lib/feeds/items';

/**
 * GET /rss.xml: the newest 50 open jobs.
 * GET /rss.xml?<the /jobs query>: the newest 50 jobs matching a search, so any
 * results page (and any saved search) can be followed in a feed reader.
 */
const FEED_SIZE = 50;

export const GET: APIRoute = async ({ url }) => {
  let params: SearchParams;
  try {
    params = parseSearchParams(url.searchParams);
  } catch (err) {
    if (err instanceof SearchParamsError) return problem(400, err.message, err.issues);
    throw err;
  }
  if (params.qualified) {
    // "Jobs I qualify for" depends on who is signed in; a feed reader is nobody.
    return problem(
      400,
      'qualified=1 depends on the signed-in candidate, so it cannot be part of a feed. Remove it, or filter by credential and state instead.',
    );
  }
  const site = env().PUBLIC_SITE_URL;
  // The search itself, without sort or page: empty means "all jobs".
  const qs = toQueryString(params, { sort: undefined, page: undefined });
  let hits: JobHit[];
  try {
    const rt = await getRuntime();
    hits = qs ? await newestMatching(rt, { ...params, sort: 'newest' }) : (await latestOpenJobs(rt.db, FEED_SIZE)).map(summaryToHit);
  } catch (err) {
    if (err instanceof SearchParamsError) return problem(400, err.message, err.issues);
    return feedUnavailable('The jobs feed', err);
  }
  const newest = hits.reduce<Date | undefined>((m, h) => {
    const d = new Date(h.postedAt);
    return !m || d > m ? d : m;
  }, undefined);
  const tally = newTally();
  const xml = renderRss(
    {
      title: qs ? `PHP/IOP Jobs: ${describeSearch(params)}` : 'PHP/IOP Jobs: newest jobs',
      link: new URL(paths.jobs(qs ? `${qs}&sort=newest` : 'sort=newest'), site).toString(),
      self: new URL(qs ? `${paths.rss()}?${qs}` : paths.rss(), site).toString(),
      description: qs
        ? `The newest open jobs matching ${describeSearch(params)} on PHP/IOP Jobs.`
        : 'The newest open jobs in partial hospitalization and intensive outpatient programs.',
      lastBuildDate: newest ?? new Date(),
      ttl: 30,
    },
    buildEach(
      'rss',
      hits,
      (h) => `job ${h.id}`,
      (h) => jobRssItem(h, site),
      tally,
    ),
    tally,
  );
  return new Response(xml, {
    headers: { 'content-type': 'application/rss+xml; charset=utf-8', 'cache-control': 'public, max-age=300' },
  });
};

/** Search results come a page at a time; read pages until FEED_SIZE newest matches. */
async function newestMatching(rt: Awaited<ReturnType<typeof getRuntime>>, params: SearchParams): Promise<JobHit[]> {
  const deps = { db: rt.db, engine: rt.engine };
  const first = await searchJobs(deps, { ...params, page: 1 });
  const pages = Math.ceil(Math.min(first.total, FEED_SIZE) / first.pageSize);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => searchJobs(deps, { ...params, page: i + 2 })));
  const seen = new Set<string>();
  const out: JobHit[] = [];
  for (const h of [first, ...rest].flatMap((r) => r.hits)) {
    if (seen.has(h.id)) continue;
    seen.add(h.id);
    out.push(h);
  }
  return out.slice(0, FEED_SIZE);
}
