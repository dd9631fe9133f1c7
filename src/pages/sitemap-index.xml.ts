import type { APIRoute } from 'astro';
import { env } from '#lib/env';
import { allContentPages } from '#lib/content/pages';
import { jobSitemapFiles } from '#lib/feeds/queries';
import { JOBS_PER_SITEMAP, renderSitemapIndex, sitemapPaths } from '#lib/feeds/sitemap';
import { getRuntime } from '#lib/runtime';
import { feedUnavailable, XML_HEADERS } from '#lib/feeds/http';

/** GET /sitemap-index.xml: the pages sitemap, then one sitemap per 10,000 open jobs. */
export const GET: APIRoute = async () => {
  const site = env().PUBLIC_SITE_URL;
  const pages = await allContentPages();
  let jobFiles: Awaited<ReturnType<typeof jobSitemapFiles>>;
  try {
    jobFiles = await jobSitemapFiles((await getRuntime()).db, JOBS_PER_SITEMAP);
  } catch (err) {
    // Without the job files the index would tell crawlers every job page is gone.
    return feedUnavailable('The sitemap', err);
  }
  const pagesLastmod = pages.reduce<Date | undefined>((m, p) => (p.lastmod && (!m || p.lastmod > m) ? p.lastmod : m), undefined);
  const xml = renderSitemapIndex([
    { loc: new URL(sitemapPaths.pages(), site).toString(), lastmod: pagesLastmod },
    ...jobFiles.map((f) => ({ loc: new URL(sitemapPaths.jobs(f.page), site).toString(), lastmod: f.lastmod })),
  ]);
  return new Response(xml, { headers: XML_HEADERS });
};
