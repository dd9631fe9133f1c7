import { XML_DECLARATION, escapeXml, w3cDate } from './xml';

/** Sitemaps protocol 0.9: at most 50,000 URLs per file; this site uses 10,000 per jobs file. */
export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
export const JOBS_PER_SITEMAP = 10_000;

export interface SitemapUrl {
  loc: string;
  lastmod?: Date;
}

export function renderUrlset(urls: Iterable<SitemapUrl>): string {
  const out = [XML_DECLARATION, `<urlset xmlns="${SITEMAP_NS}">`];
  for (const u of urls) {
    out.push(`<url><loc>${escapeXml(u.loc)}</loc>${u.lastmod ? `<lastmod>${w3cDate(u.lastmod)}</lastmod>` : ''}</url>`);
  }
  out.push('</urlset>', '');
  return out.join('\n');
}

export function renderSitemapIndex(sitemaps: Iterable<SitemapUrl>): string {
  const out = [XML_DECLARATION, `<sitemapindex xmlns="${SITEMAP_NS}">`];
  for (const s of sitemaps) {
    out.push(`<sitemap><loc>${escapeXml(s.loc)}</loc>${s.lastmod ? `<lastmod>${w3cDate(s.lastmod)}</lastmod>` : ''}</sitemap>`);
  }
  out.push('</sitemapindex>', '');
  return out.join('\n');
}

/** `/sitemap-jobs-3.xml` → 3; anything else (0, 03, -1, 1.5) → undefined. */
export function parseSitemapPage(param: string | undefined): number | undefined {
  if (!param || !/^[1-9]\d{0,5}$/.test(param)) return undefined;
  return Number(param);
}

export const sitemapPaths = {
  index: () => '/sitemap-index.xml',
  pages: () => '/sitemap-pages.xml',
  jobs: (page: number) => `/sitemap-jobs-${page}.xml`,
};
