import type { APIRoute } from 'astro';
import { env } from '#lib/env';
import { jobSitemapPage } from '#lib/feeds/queries';
import { JOBS_PER_SITEMAP, parseSitemapPage, renderUrlset } from '#lib/feeds/sitemap';
import { paths } from '#lib/paths';
import { getRuntime } from '#lib/runtime';
import { feedUnavailable, XML_HEADERS } from '#lib/feeds/http';

/** GET /sitemap-jobs-<n>.xml: open jobs n×10,000-9,999 … n×10,000 (lastmod = updated_at). */
export const GET: APIRoute = async ({ params }) => {
  const page = parseSitemapPage(params.page);
  if (!page) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const site = env().PUBLIC_SITE_URL;
  let rows: Awaited<ReturnType<typeof jobSitemapPage>>;
  try {
    rows = await jobSitemapPage((await getRuntime()).db, page, JOBS_PER_SITEMAP);
  } catch (err) {
    return feedUnavailable('The jobs sitemap', err);
  }
  if (!rows.length && page > 1) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const xml = renderUrlset(rows.map((r) => ({ loc: new URL(paths.job(r.slug), site).toString(), lastmod: new Date(r.updatedAt) })));
  return new Response(xml, { headers: XML_HEADERS });
};
