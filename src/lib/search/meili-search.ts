import type { MultiSearchQuery, SearchResponse } from 'meilisearch';
import type { JobDocument } from './documents';
import type { SearchEngine } from './engine';
import type { Overlay } from './fresh';
import { compareRanking, mergeWindow, type RankingDetails } from './fresh-merge';
import { expandPrograms, type SearchParams } from './params';
import { FACETS, METERS_PER_MILE, type FacetCounts, type FacetKey, type JobHit, type SearchContext, type SearchResult } from './types';

/** Facet key in the public contract → attribute in the index. */
const FACET_ATTR: Record<FacetKey, string> = {
  role: 'role',
  program: 'programs',
  credential: 'credentials',
  state: 'state',
  setting: 'setting',
};

/** A value inside a Meilisearch filter string. Values are already validated; quoting still escapes, as a second guard. */
export function quote(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function inList(attr: string, values: string[]): string {
  return `${attr} IN [${values.map(quote).join(', ')}]`;
}

type Clauses = Partial<Record<FacetKey | 'other', string[]>>;

/** Filters as named groups so a facet's own filter can be left out when counting that facet (disjunctive facets). */
export function buildFilters(p: SearchParams, ctx: SearchContext): Clauses {
  const nowSec = Math.floor(ctx.now.getTime() / 1000);
  const c: Clauses = { other: [`validThrough > ${nowSec}`] };
  if (p.role.length) c.role = [inList('role', p.role)];
  if (p.program.length)
    c.program = [
      inList(
        'programs',
        expandPrograms(p.program).filter((v) => p.program.includes(v)),
      ),
    ];
  if (p.credential.length) c.credential = [inList('credentials', p.credential)];
  if (p.state.length) c.state = [inList('state', p.state)];
  if (p.setting.length) c.setting = [inList('setting', p.setting)];
  const other = c.other!;
  if (p.schedule.length) other.push(inList('schedule', p.schedule));
  if (p.type.length) other.push(inList('employmentType', p.type));
  if (p.population.length) other.push(inList('populations', p.population));
  if (p.supervision) other.push('supervisionOffered = true');
  if (p.pay_min !== undefined) other.push(`payMinAnnual >= ${p.pay_min}`);
  if (p.posted !== undefined) other.push(`postedAt >= ${nowSec - p.posted * 86400}`);
  if (ctx.postedAfter) other.push(`postedAt > ${Math.floor(ctx.postedAfter.getTime() / 1000)}`);
  if (ctx.geo && ctx.geo.radiusMiles !== undefined) {
    other.push(`_geoRadius(${ctx.geo.lat}, ${ctx.geo.lng}, ${Math.round(ctx.geo.radiusMiles * METERS_PER_MILE)})`);
  }
  if (ctx.qualify) {
    if (ctx.qualify.length === 0) other.push('credentials IS EMPTY AND credentials IS NOT EMPTY');
    else
      other.push(
        `(${ctx.qualify
          .map((q) => {
            const parts = [inList('credentials', q.credentials)];
            if (q.states) parts.push(inList('state', q.states));
            if (q.telehealthOnly) parts.push('setting = "telehealth"');
            return `(${parts.join(' AND ')})`;
          })
          .join(' OR ')})`,
      );
  }
  return c;
}

function joinFilters(c: Clauses, without?: FacetKey): string {
  return Object.entries(c)
    .filter(([k]) => k !== without)
    .flatMap(([, v]) => v ?? [])
    .join(' AND ');
}

export function sortFor(p: SearchParams, ctx: SearchContext): string[] | undefined {
  switch (p.sort) {
    case 'newest':
      return ['postedAt:desc'];
    case 'pay':
      // Annualized (hourly × 2,080), so $60 an hour ranks above $120,000 a year; ties: the higher top of the range, then newer.
      return ['payMinAnnual:desc', 'payMaxAnnual:desc', 'postedAt:desc'];
    case 'distance':
      return ctx.geo ? [`_geoPoint(${ctx.geo.lat}, ${ctx.geo.lng}):asc`] : undefined;
    default:
      // Relevance needs words to rank by; with none, newest first (as the PostgreSQL path does).
      return p.q ? undefined : ['postedAt:desc'];
  }
}

export function toHit(d: JobDocument): JobHit {
  return {
    id: d.id,
    slug: d.slug,
    title: d.title,
    organization: d.organization,
    orgSlug: d.orgSlug,
    // Documents indexed before logos existed have no orgLogo until the next reindex or edit.
    orgLogo: d.orgLogo ?? null,
    role: d.role,
    program: d.program,
    credentials: d.credentials,
    city: d.city,
    state: d.state,
    setting: d.setting,
    payMin: d.payMin,
    payMax: d.payMax,
    payPeriod: d.payPeriod,
    employmentType: d.employmentType,
    schedule: d.schedule,
    supervisionOffered: d.supervisionOffered,
    postedAt: new Date(d.postedAt * 1000).toISOString(),
  };
}

const HIT_FIELDS = [
  'id',
  'slug',
  'title',
  'organization',
  'orgSlug',
  'orgLogo',
  'role',
  'program',
  'credentials',
  'city',
  'state',
  'setting',
  'payMin',
  'payMax',
  'payPeriod',
  'employmentType',
  'schedule',
  'supervisionOffered',
  'postedAt',
];

/**
 * One multi-search round trip: the page of hits with counts for unselected
 * facets, plus one zero-hit query per selected facet that counts it without its
 * own filter, so checking "LCSW" still shows how many LPC jobs there are.
 * The request is exported so the benchmark can send the identical request straight to Meilisearch.
 */
export function buildMultiSearch(indexName: string, p: SearchParams, ctx: SearchContext, pageSize: number, extra?: string) {
  const filters = withClause(buildFilters(p, ctx), extra);
  const selected = FACETS.filter((f) => filters[f]);
  const unselected = FACETS.filter((f) => !filters[f]);
  const queries: MultiSearchQuery[] = [
    {
      indexUid: indexName,
      q: p.q,
      filter: joinFilters(filters) || undefined,
      sort: sortFor(p, ctx),
      page: p.page,
      hitsPerPage: pageSize,
      facets: unselected.map((f) => FACET_ATTR[f]),
      attributesToRetrieve: HIT_FIELDS,
    },
    ...selected.map((f) => ({
      indexUid: indexName,
      q: p.q,
      filter: joinFilters(filters, f) || undefined,
      page: 1,
      hitsPerPage: 0,
      facets: [FACET_ATTR[f]],
    })),
  ];
  return { queries, selected, unselected };
}

/** The filter groups with one more clause in "other" (every facet count keeps it). */
function withClause(c: Clauses, clause: string | undefined): Clauses {
  return clause ? { ...c, other: [...(c.other ?? []), clause] } : c;
}

const emptyFacets = () => Object.fromEntries(FACETS.map((f) => [f, {}])) as FacetCounts;

type Response = SearchResponse<JobDocument & { _rankingScoreDetails?: RankingDetails }>;

/**
 * A search of the main index, or of the main and the fresh index together while the fresh index
 * serves recent changes (fresh.ts): what `overlay` lists is kept out of the main index and its live
 * jobs are read from the fresh one, so every job is counted once, by its newest state.
 */
export async function meiliSearch(engine: SearchEngine, p: SearchParams, ctx: SearchContext, pageSize: number, overlay?: Overlay): Promise<SearchResult> {
  const hidden = overlay && overlay.hidden.length > 0 ? `NOT id IN [${overlay.hidden.map(quote).join(', ')}]` : undefined;
  if (engine.fresh && overlay && overlay.live.length > 0) return mergedSearch(engine, engine.fresh.indexName, p, ctx, pageSize, hidden!, overlay.live);
  const { queries, selected, unselected } = buildMultiSearch(engine.indexName, p, ctx, pageSize, hidden);
  const { results } = await engine.searchClient.multiSearch<{ queries: MultiSearchQuery[] }, JobDocument>({ queries });
  const main = results[0] as SearchResponse<JobDocument>;
  const facets = emptyFacets();
  for (const f of unselected) facets[f] = main.facetDistribution?.[FACET_ATTR[f]] ?? {};
  selected.forEach((f, i) => {
    facets[f] = (results[i + 1] as SearchResponse<JobDocument>).facetDistribution?.[FACET_ATTR[f]] ?? {};
  });
  return {
    hits: main.hits.map(toHit),
    facets,
    total: main.totalHits ?? 0,
    page: p.page,
    pageSize,
    engine: 'meilisearch',
  };
}

function addCounts(a: Record<string, number> = {}, b: Record<string, number> = {}): Record<string, number> {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}

/**
 * One round trip to both indexes. The main index is asked for the pages that can reach the wanted
 * window (a page earlier per page-size of fresh jobs, since each may rank ahead of it), the fresh
 * index for all its matches; both rank with details, and mergeWindow places them. Totals and facet
 * counts add up, since no job is in both.
 */
async function mergedSearch(
  engine: SearchEngine,
  freshIndex: string,
  p: SearchParams,
  ctx: SearchContext,
  pageSize: number,
  hidden: string,
  live: string[],
): Promise<SearchResult> {
  const filters = buildFilters(p, ctx);
  const mainFilters = withClause(filters, hidden);
  const freshFilters = withClause(filters, `id IN [${live.map(quote).join(', ')}]`);
  const selected = FACETS.filter((f) => filters[f]);
  const unselected = FACETS.filter((f) => !filters[f]);
  const facetAttrs = unselected.map((f) => FACET_ATTR[f]);
  const sort = sortFor(p, ctx);
  const firstPage = Math.max(1, p.page - Math.ceil(live.length / pageSize));
  const ranked = { q: p.q, sort, attributesToRetrieve: HIT_FIELDS, showRankingScoreDetails: true };
  const mainPages: MultiSearchQuery[] = [];
  for (let page = firstPage; page <= p.page; page++)
    mainPages.push({
      ...ranked,
      indexUid: engine.indexName,
      filter: joinFilters(mainFilters),
      page,
      hitsPerPage: pageSize,
      facets: page === p.page ? facetAttrs : undefined,
    });
  const facetQueries = selected.flatMap((f): MultiSearchQuery[] =>
    [
      { indexUid: engine.indexName, clauses: mainFilters },
      { indexUid: freshIndex, clauses: freshFilters },
    ].map(({ indexUid, clauses }) => ({
      indexUid,
      q: p.q,
      filter: joinFilters(clauses, f) || undefined,
      page: 1,
      hitsPerPage: 0,
      facets: [FACET_ATTR[f]],
    })),
  );
  const queries: MultiSearchQuery[] = [
    ...mainPages,
    { ...ranked, indexUid: freshIndex, filter: joinFilters(freshFilters), page: 1, hitsPerPage: live.length, facets: facetAttrs },
    ...facetQueries,
  ];
  const { results } = await engine.searchClient.multiSearch<{ queries: MultiSearchQuery[] }, JobDocument>({ queries });
  const rs = results as Response[];
  const mainLast = rs[mainPages.length - 1]!;
  const fresh = rs[mainPages.length]!;
  const facets = emptyFacets();
  for (const f of unselected) facets[f] = addCounts(mainLast.facetDistribution?.[FACET_ATTR[f]], fresh.facetDistribution?.[FACET_ATTR[f]]);
  selected.forEach((f, i) => {
    const [m, fr] = [rs[mainPages.length + 1 + 2 * i]!, rs[mainPages.length + 2 + 2 * i]!];
    facets[f] = addCounts(m.facetDistribution?.[FACET_ATTR[f]], fr.facetDistribution?.[FACET_ATTR[f]]);
  });
  const mainTotal = mainLast.totalHits ?? 0;
  const hits = mergeWindow({
    main: rs.slice(0, mainPages.length).flatMap((r) => r.hits),
    mainOffset: (firstPage - 1) * pageSize,
    mainTotal,
    fresh: fresh.hits,
    start: (p.page - 1) * pageSize,
    size: pageSize,
    compare: (a, b) => compareRanking(a._rankingScoreDetails ?? {}, b._rankingScoreDetails ?? {}),
  });
  return { hits: hits.map(toHit), facets, total: mainTotal + (fresh.totalHits ?? 0), page: p.page, pageSize, engine: 'meilisearch' };
}
