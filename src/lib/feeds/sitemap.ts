import { buildEach, newTally, skippedComment } from './items';
import { XML_DECLARATION, escapeXml, w3cDate } from './xml';

/** Sitemaps protocol 0.9: at most 50,000 URLs per file; this site uses 10,000 per jobs file. */
export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
export const JOBS_PER_SITEMAP = 10_000;

export interface SitemapUrl {
  loc: string;
  lastmod?: Date;
}

/** One <url> per entry; an entry that cannot be written (say, an invalid lastmod) is left out and counted. */
export function renderUrlset(urls: Iterable<SitemapUrl>): string {
  const tally = newTally();
  const entries = buildEach(
    'sitemap',
    urls,
    (u) => u.loc,
    (u) => `<url><loc>${escapeXml(u.loc)}</loc>${u.lastmod ? `<lastmod>${w3cDate(u.lastmod)}</lastmod>` : ''}</url>`,
    tally,
  );
  return [XML_DECLARATION, `<urlset xmlns="${SITEMAP_NS}">`, ...entries, `${skippedComment(tally, ['URL', 'URLs'])}</urlset>`, ''].join('\n');
}

export function renderSitemapIndex(sitemaps: Iterable<SitemapUrl>): string {
  const tally = newTally();
  const entries = buildEach(
    'sitemap index',
    sitemaps,
    (s) => s.loc,
    (s) => `<sitemap><loc>${escapeXml(s.loc)}</loc>${s.lastmod ? `<lastmod>${w3cDate(s.lastmod)}</lastmod>` : ''}</sitemap>`,
    tally,
  );
  return [XML_DECLARATION, `<sitemapindex xmlns="${SITEMAP_NS}">`, ...entries, `${skippedComment(tally, ['sitemap', 'sitemaps'])}</sitemapindex>`, ''].join(
    '\n',
  );
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
