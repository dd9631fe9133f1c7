import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../../db/client';
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

type Parts = Partial<Record<FacetKey | 'other', SQL[]>>;

function inText(column: SQL, values: string[]): SQL {
  return sql`${column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}

function buildWhere(p: SearchParams, ctx: SearchContext, tsq: string): Parts {
  const other: SQL[] = [
    sql`j.status = 'published'`,
    sql`j.expired_at is null`,
    sql`j.valid_through > ${ctx.now.toISOString()}::timestamptz`,
  ];
  const parts: Parts = { other };
  if (tsq) other.push(sql`j.search_vector @@ to_tsquery('english', ${tsq})`);
  if (p.role.length) parts.role = [inText(sql`j.role`, p.role)];
  if (p.program.length) parts.program = [inText(sql`j.program_type`, expandPrograms(p.program))];
  if (p.credential.length)
    parts.credential = [sql`exists (select 1 from job_credentials jc where jc.job_id = j.id and ${inText(sql`jc.credential_code`, p.credential)})`];
  if (p.state.length) parts.state = [inText(sql`j.state`, p.state)];
  if (p.setting.length) parts.setting = [inText(sql`j.setting`, p.setting)];
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
  if (ctx.geo?.radiusMiles !== undefined) other.push(sql`${distanceSql(ctx.geo.lat, ctx.geo.lng)} <= ${ctx.geo.radiusMiles}::float8`);
  if (ctx.qualify) {
    if (ctx.qualify.length === 0) other.push(sql`false`);
    else
      other.push(
        sql`(${sql.join(
          ctx.qualify.map((q) => {
            const conds: SQL[] = [
              sql`exists (select 1 from job_credentials jq where jq.job_id = j.id and ${inText(sql`jq.credential_code`, q.credentials)})`,
            ];
            if (q.states) conds.push(inText(sql`j.state`, q.states));
            if (q.telehealthOnly) conds.push(sql`j.setting = 'telehealth'`);
            return sql`(${sql.join(conds, sql` and `)})`;
          }),
          sql` or `,
        )})`,
      );
  }
  return parts;
}

function whereSql(parts: Parts, without?: FacetKey): SQL {
  const all = Object.entries(parts)
    .filter(([k]) => k !== without)
    .flatMap(([, v]) => v ?? []);
  return sql.join(all, sql` and `);
}

function orderSql(p: SearchParams, ctx: SearchContext, tsq: string): SQL {
  switch (p.sort) {
    case 'newest':
      return sql`j.posted_at desc, j.id`;
    case 'pay':
      return sql`j.pay_min_annual desc, j.id`;
    case 'distance':
      return ctx.geo ? sql`${distanceSql(ctx.geo.lat, ctx.geo.lng)} asc, j.id` : sql`j.posted_at desc, j.id`;
    default:
      return tsq
        ? sql`ts_rank(j.search_vector, to_tsquery('english', ${tsq})) desc, j.posted_at desc, j.id`
        : sql`j.posted_at desc, j.id`;
  }
}

async function facetCounts(db: Db, parts: Parts, facet: FacetKey): Promise<Record<string, number>> {
  const where = whereSql(parts, facet);
  let q: SQL;
  switch (facet) {
    case 'credential':
      q = sql`select jc.credential_code as v, count(*)::int as n from jobs j join job_credentials jc on jc.job_id = j.id where ${where} group by 1`;
      break;
    case 'program':
      q = sql`select p as v, count(*)::int as n from jobs j
              cross join lateral unnest(case when j.program_type = 'PHP_IOP' then array['PHP', 'IOP', 'PHP_IOP'] else array[j.program_type] end) as p
              where ${where} group by 1`;
      break;
    default: {
      const col = { role: sql`j.role`, state: sql`j.state`, setting: sql`j.setting` }[facet];
      q = sql`select ${col} as v, count(*)::int as n from jobs j where ${where} group by 1`;
    }
  }
  const r = await rows<{ v: string; n: number }>(db, q);
  return Object.fromEntries(r.map((x) => [x.v, Number(x.n)]));
}

type HitRow = {
  id: string; slug: string; title: string; organization: string; role: string; program: string; credentials: string[] | string;
  city: string; state: string; setting: string; pay_min: number; pay_max: number; pay_period: string; employment_type: string;
  schedule: string; supervision_offered: boolean; posted_at: Date | string;
};

/** postgres.js returns text[] as arrays; PGlite too, but be tolerant of the literal form. */
function asArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  return v.replace(/^{|}$/g, '').split(',').filter(Boolean);
}

export async function pgSearch(db: Db, p: SearchParams, ctx: SearchContext, pageSize: number): Promise<SearchResult> {
  const tsq = toTsQuery(p.q);
  const parts = buildWhere(p, ctx, tsq);
  const where = whereSql(parts);
  const [totalRow, hitRows, ...facetList] = await Promise.all([
    rows<{ n: number }>(db, sql`select count(*)::int as n from jobs j where ${where}`),
    rows<HitRow>(
      db,
      sql`select j.id, j.slug, j.title, o.name as organization, j.role, j.program_type as program,
            coalesce((select array_agg(jc.credential_code order by jc.credential_code) from job_credentials jc where jc.job_id = j.id), '{}') as credentials,
            j.city, j.state, j.setting, j.pay_min, j.pay_max, j.pay_period, j.employment_type, j.schedule, j.supervision_offered, j.posted_at
          from jobs j join organizations o on o.id = j.org_id
          where ${where}
          order by ${orderSql(p, ctx, tsq)}
          limit ${pageSize} offset ${(p.page - 1) * pageSize}`,
    ),
    ...FACETS.map((f) => facetCounts(db, parts, f)),
  ]);
  const facets = Object.fromEntries(FACETS.map((f, i) => [f, facetList[i] ?? {}])) as FacetCounts;
  const hits: JobHit[] = hitRows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    organization: r.organization,
    role: r.role,
    program: r.program,
    credentials: asArray(r.credentials),
    city: r.city,
    state: r.state,
    setting: r.setting,
    payMin: Number(r.pay_min),
    payMax: Number(r.pay_max),
    payPeriod: r.pay_period,
    employmentType: r.employment_type,
    schedule: r.schedule,
    supervisionOffered: Boolean(r.supervision_offered),
    postedAt: new Date(r.posted_at).toISOString(),
  }));
  return { hits, facets, total: Number(totalRow[0]?.n ?? 0), page: p.page, pageSize, engine: 'postgres' };
}
