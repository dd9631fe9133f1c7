import type { APIRoute } from 'astro';
import { env } from '#lib/env';
import { allContentPages } from '#lib/content/pages';
import { renderUrlset } from '#lib/feeds/sitemap';
import { XML_HEADERS } from '#lib/feeds/http';

/** GET /sitemap-pages.xml: home, job search and every content page (lastmod = last reviewed). */
export const GET: APIRoute = async () => {
  const site = env().PUBLIC_SITE_URL;
  const pages = await allContentPages();
  const xml = renderUrlset(pages.map((p) => ({ loc: new URL(p.path, site).toString(), lastmod: p.lastmod })));
  return new Response(xml, { headers: XML_HEADERS });
};
