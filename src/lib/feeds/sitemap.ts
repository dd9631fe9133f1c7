import { buildEach, newTally, skippedComment } from './items';
import { XML_DECLARATION, escapeXml, w3cDate } from './xml';

/** Sitemaps protocol 0.9: at most 50,000 URLs per file; this site uses 10,000 per jobs file. */
export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
export const JOBS_PER_SITEMAP = 10_000;

export interface SitemapUrl {
  loc: string;
  lastmod?: Date;
}

/** The two sitemap documents: a urlset lists pages, an index lists sitemaps; they differ only in element names. */
const KINDS = {
  urlset: { label: 'sitemap', root: 'urlset', item: 'url', noun: ['URL', 'URLs'] },
  index: { label: 'sitemap index', root: 'sitemapindex', item: 'sitemap', noun: ['sitemap', 'sitemaps'] },
} as const;

/** One element per entry; an entry that cannot be written (say, an invalid lastmod) is left out and counted. */
function renderSitemapDocument(kind: keyof typeof KINDS, entries: Iterable<SitemapUrl>): string {
  const k = KINDS[kind];
  const tally = newTally();
  const items = buildEach(
    k.label,
    entries,
    (u) => u.loc,
    (u) => `<${k.item}><loc>${escapeXml(u.loc)}</loc>${u.lastmod ? `<lastmod>${w3cDate(u.lastmod)}</lastmod>` : ''}</${k.item}>`,
    tally,
  );
  return [XML_DECLARATION, `<${k.root} xmlns="${SITEMAP_NS}">`, ...items, `${skippedComment(tally, k.noun)}</${k.root}>`, ''].join('\n');
}

export const renderUrlset = (urls: Iterable<SitemapUrl>): string => renderSitemapDocument('urlset', urls);
export const renderSitemapIndex = (sitemaps: Iterable<SitemapUrl>): string => renderSitemapDocument('index', sitemaps);

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
