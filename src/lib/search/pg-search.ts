import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '#db/client';
import { expandPrograms, type SearchParams } from './params';
import { toTsQuery } from './pg-query';
import { FACETS, type FacetCounts, type FacetKey, type JobHit, type SearchContext, type SearchResult } from './types';

/**
 * The degraded path: the same filters, facets and totals as the Meilisearch
 * query, answered by PostgreSQL full-text search. No typo tolerance; synonyms
 * and prefix matching carry over through toTsQuery.
 */

const MILES = 3958.7613;

function distanceSql(lat: number, lng: number): SQL {
  return sql`(${MILES}::float8 * 2 * asin(sqrt(power(sin(radians(j.lat - ${lat}::float8) / 2), 2) + cos(radians(${lat}::float8)) * cos(radians(j.lat)) * power(sin(radians(j.lng - ${lng}::float8) / 2), 2))))`;
}

/**
 * Filters split in two: `other` narrows the candidate set once (status, text,
 * pay, recency, distance, licensure); each facet filter becomes a boolean
 * column on that set, so the total and every facet count (each ignoring its
 * own facet's selection) come from one materialized scan instead of seven.
 */
interface Filters {
  other: SQL[];
  facet: Partial<Record<FacetKey, SQL>>;
}

function inText(column: SQL, values: string[]): SQL {
  return sql`${column} in (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

function buildFilters(p: SearchParams, ctx: SearchContext, tsq: string): Filters {
  const other: SQL[] = [sql`j.status = 'published'`, sql`j.expired_at is null`, sql`j.valid_through > ${ctx.now.toISOString()}::timestamptz`];
  const facet: Filters['facet'] = {};
  if (tsq) other.push(sql`j.search_vector @@ to_tsquery('english', ${tsq})`);
  if (p.role.length) facet.role = inText(sql`j.role`, p.role);
  if (p.program.length) facet.program = inText(sql`j.program_type`, expandPrograms(p.program));
  if (p.credential.length)
    // IN (subquery) rather than EXISTS: as a per-row flag PostgreSQL evaluates it as one hashed subplan.
    facet.credential = sql`j.id in (select jc.job_id from job_credentials jc where ${inText(sql`jc.credential_code`, p.credential)})`;
  if (p.state.length) facet.state = inText(sql`j.state`, p.state);
  if (p.setting.length) facet.setting = inText(sql`j.setting`, p.setting);
  if (p.schedule.length) other.push(inText(sql`j.schedule`, p.schedule));
  if (p.type.length) other.push(inText(sql`j.employment_type`, p.type));
  if (p.population.length) other.push(sql`j.populations && ${`{${p.population.join(',')}}`}::text[]`);
  if (p.supervision) other.push(sql`j.supervision_offered`);
  if (p.pay_min !== undefined) other.push(sql`j.pay_min_annual >= ${p.pay_min}`);
  if (p.posted !== undefined) {
    // Same cut-off as the index: whole seconds.
    const cutoff = new Date((Math.floor(ctx.now.getTime() / 1000) - p.posted * 86400) * 1000);
    other.push(sql`j.posted_at >= ${cutoff.toISOString()}::timestamptz`);
  }
  if (ctx.postedAfter) other.push(sql`j.posted_at > ${ctx.postedAfter.toISOString()}::timestamptz`);
  if (ctx.geo?.radiusMiles !== undefined) other.push(sql`${distanceSql(ctx.geo.lat, ctx.geo.lng)} <= ${ctx.geo.radiusMiles}::float8`);
  if (ctx.qualify) {
    if (ctx.qualify.length === 0) other.push(sql`false`);
    else
      other.push(
        sql`(${sql.join(
          ctx.qualify.map((q) => {
            const conds: SQL[] = [sql`exists (select 1 from job_credentials jq where jq.job_id = j.id and ${inText(sql`jq.credential_code`, q.credentials)})`];
            if (q.states) conds.push(inText(sql`j.state`, q.states));
            if (q.telehealthOnly) conds.push(sql`j.setting = 'telehealth'`);
            return sql`(${sql.join(conds, sql` and `)})`;
          }),
          sql` or `,
        )})`,
      );
  }
  return { other, facet };
}

/** "All facet filters hold", optionally leaving one facet out (for that facet's own counts). */
function facetsHold(f: Filters, without?: FacetKey): SQL {
  const parts = FACETS.filter((k) => k !== without && f.facet[k]).map((k) => sql.raw(`b.f_${k}`));
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

function orderSql(p: SearchParams, ctx: SearchContext, tsq: string): SQL {
  switch (p.sort) {
    case 'newest':
      return sql`b.posted_at desc, b.id`;
    case 'pay':
      // The same order as Meilisearch's (meili-search.ts sortFor): annualized minimum, annualized maximum, newest.
      return sql`b.pay_min_annual desc, b.pay_max_annual desc, b.posted_at desc, b.id`;
    case 'distance':
      return ctx.geo ? sql`b.distance asc, b.id` : sql`b.posted_at desc, b.id`;
    default:
      return tsq ? sql`b.rank desc, b.posted_at desc, b.id` : sql`b.posted_at desc, b.id`;
  }
}

/** A hit as the SQL below selects it (columns aliased to JobHit's names); the drivers differ only in how arrays and timestamps arrive. */
type HitRow = Omit<JobHit, 'credentials' | 'postedAt'> & { credentials: string[] | string; postedAt: Date | string };

/** postgres.js returns text[] as arrays; PGlite too, but be tolerant of the literal form. */
function asArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  return v.replace(/^{|}$/g, '').split(',').filter(Boolean);
}

export async function pgSearch(db: Db, p: SearchParams, ctx: SearchContext, pageSize: number): Promise<SearchResult> {
  const tsq = toTsQuery(p.q);
  const f = buildFilters(p, ctx, tsq);
  const flagCols = FACETS.filter((k) => f.facet[k]).map((k) => sql`, ${f.facet[k]!} as ${sql.raw(`f_${k}`)}`);
  const rank = tsq && p.sort === 'relevance' ? sql`ts_rank(j.search_vector, to_tsquery('english', ${tsq}))` : sql`0`;
  const distance = ctx.geo ? distanceSql(ctx.geo.lat, ctx.geo.lng) : sql`0`;
  const facetCount = (k: FacetKey, valueSql: SQL, from: SQL = sql`base b`) =>
    sql`(select coalesce(json_object_agg(v, n), '{}') from (select ${valueSql} as v, count(*)::int as n from ${from} where ${facetsHold(f, k)} group by 1) x)`;
  const [summary] = await rows<{
    total: number;
    role: Record<string, number>;
    program: Record<string, number>;
    credential: Record<string, number>;
    state: Record<string, number>;
    setting: Record<string, number>;
    ids: string[] | null;
  }>(
    db,
    sql`with base as materialized (
          select j.id, j.role, j.state, j.setting, j.program_type, j.posted_at, j.pay_min_annual, j.pay_max_annual,
                 ${rank} as rank, ${distance} as distance ${sql.join(flagCols, sql``)}
          from jobs j where ${sql.join(f.other, sql` and `)}
        )
        select
          (select count(*)::int from base b where ${facetsHold(f)}) as total,
          (select array_agg(id) from (select b.id from base b where ${facetsHold(f)} order by ${orderSql(p, ctx, tsq)} limit ${pageSize} offset ${(p.page - 1) * pageSize}) pg) as ids,
          ${facetCount('role', sql`b.role`)} as role,
          ${facetCount('state', sql`b.state`)} as state,
          ${facetCount('setting', sql`b.setting`)} as setting,
          ${facetCount('program', sql`p`, sql`base b cross join lateral unnest(case when b.program_type = 'PHP_IOP' then array['PHP', 'IOP', 'PHP_IOP'] else array[b.program_type] end) as p`)} as program,
          ${facetCount('credential', sql`jc.credential_code`, sql`base b join job_credentials jc on jc.job_id = b.id`)} as credential`,
  );
  const ids = summary?.ids ?? [];
  const hitRows = ids.length
    ? await rows<HitRow>(
        db,
        sql`select j.id, j.slug, j.title, o.name as organization, o.slug as "orgSlug", o.logo_path as "orgLogo", j.role, j.program_type as program,
              coalesce((select array_agg(jc.credential_code order by jc.credential_code) from job_credentials jc where jc.job_id = j.id), '{}') as credentials,
              j.city, j.state, j.setting, j.pay_min as "payMin", j.pay_max as "payMax", j.pay_period as "payPeriod",
              j.employment_type as "employmentType", j.schedule, j.supervision_offered as "supervisionOffered", j.posted_at as "postedAt"
            from jobs j join organizations o on o.id = j.org_id
            where j.id in (${sql.join(
              ids.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`,
      )
    : [];
  const order = new Map(ids.map((id, i) => [id, i]));
  hitRows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const asCounts = (v: unknown): Record<string, number> => (typeof v === 'string' ? JSON.parse(v) : (v ?? {})) as Record<string, number>;
  const facets = Object.fromEntries(FACETS.map((k) => [k, asCounts(summary?.[k])])) as FacetCounts;
  const hits: JobHit[] = hitRows.map((r) => ({
    ...r,
    credentials: asArray(r.credentials),
    payMin: Number(r.payMin),
    payMax: Number(r.payMax),
    supervisionOffered: Boolean(r.supervisionOffered),
    postedAt: new Date(r.postedAt).toISOString(),
  }));
  return { hits, facets, total: Number(summary?.total ?? 0), page: p.page, pageSize, engine: 'postgres' };
}
