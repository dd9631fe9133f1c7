import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '#db/client';
import { rows } from '#db/client';
import { jobs } from '#db/schema';
import { notFound } from '#lib/shared/errors';
import type { ApplicationStage } from '#lib/domain/taxonomy';
import { todayIso } from '#lib/licensure/eligibility';
import { addDays } from '#lib/profile/licenses';
import { eligibilityFor, jobCredentialMap, teamLicenses, type TeamLicense } from '#lib/applications/team-licenses';
import { ANONYMIZED_CANDIDATE } from '#lib/applications/stages';
import { ensureQualifyTable, licenseKindSql } from './qualify-table';
import { SCREEN_PAGE_SIZE, type ScreeningFilters } from './params';

/**
 * Recruiter screening across all of an organization's applicants, in one SQL
 * query scoped by the organization: every filter, the sort and the page run in
 * PostgreSQL, so it stays fast at 100k applications. "Eligible in the job's
 * state" matches the job against the rule's clauses (qualify-table.ts); the
 * label shown per row is computed by eligibility() itself.
 */
export interface ScreenRow {
  applicationId: string;
  version: number;
  stage: ApplicationStage;
  knockoutFailed: boolean;
  appliedAt: Date;
  /** Null once the application is anonymized (its name then reads ANONYMIZED_CANDIDATE). */
  candidateId: string | null;
  candidateName: string;
  candidateEmail: string;
  candidatePhone: string | null;
  candidateCity: string | null;
  candidateState: string | null;
  jobId: string;
  jobTitle: string;
  jobState: string;
  jobSetting: string;
  resumeId: string | null;
  avgRating: number | null;
  licenses: TeamLicense[];
  eligibility: ReturnType<typeof eligibilityFor>;
}

interface RawRow extends Record<string, unknown> {
  id: string;
  version: number;
  stage: ApplicationStage;
  knockout_failed: boolean;
  created_at: Date | string;
  candidate_id: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  city: string | null;
  cand_state: string | null;
  job_id: string;
  title: string;
  job_state: string;
  setting: string;
  resume_id: string | null;
  avg_rating: string | number | null;
}

const textList = (values: readonly string[]) =>
  sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/** The WHERE clause: the organization first, then each filter given. */
export async function screeningWhere(db: Db, orgId: string, f: ScreeningFilters, today: string): Promise<SQL> {
  const conds: SQL[] = [sql`j.org_id = ${orgId}::uuid`];
  if (f.job) conds.push(sql`a.job_id = ${f.job}::uuid`);
  if (f.stage.length) conds.push(sql`a.stage in ${textList(f.stage)}`);
  if (f.knockout) conds.push(f.knockout === 'failed' ? sql`a.knockout_failed` : sql`not a.knockout_failed`);

  const lic: SQL[] = [];
  if (f.credential.length) lic.push(sql`l.credential_code in ${textList(f.credential)}`);
  if (f.class.length) lic.push(sql`l.credential_code in (select c.code from credentials c where c.class in ${textList(f.class)})`);
  if (f.state.length) lic.push(sql`l.state in ${textList(f.state)}`);
  if (f.verified) {
    const v = sql`exists (select 1 from license_verifications v where v.license_id = l.id and v.org_id = ${orgId}::uuid)`;
    lic.push(f.verified === 'yes' ? v : sql`not ${v}`);
  }
  if (f.expiring !== undefined) lic.push(sql`l.expires_on between ${today}::date and ${addDays(today, f.expiring)}::date`);
  if (lic.length) {
    // A lapsed license is not a credential: expired licenses never match (the same comparison as the eligibility rule).
    lic.push(sql`(l.expires_on is null or l.expires_on >= ${today}::date)`);
    conds.push(sql`exists (select 1 from licenses l where l.user_id = a.candidate_id and ${sql.join(lic, sql` and `)})`);
  }

  if (f.eligible) {
    // Integer matching, with hash joins whatever the data's skew: each job's qualifying license kinds
    // (index lookups in the tabulated rule) as one int[]; an application is eligible when one of its
    // candidate's unexpired licenses has a kind in its job's list.
    const version = await ensureQualifyTable(db);
    const onlyJob = f.job ? sql`and oj.id = ${f.job}::uuid` : sql``;
    const kinds = (stateMatch: SQL) => sql`
        select jc.job_id, q.kind
        from jobs oj
        join job_credentials jc on jc.job_id = oj.id
        join license_qualifications q on q.rule_version = ${version} and q.accepted_code = jc.credential_code and ${stateMatch}
        where oj.org_id = ${orgId}::uuid ${onlyJob} and (not q.telehealth_only or oj.setting = 'telehealth')`;
    conds.push(sql`a.id in (
      select ea.id
      from applications ea
      join (select job_id, array_agg(distinct kind) as kinds
            from (${kinds(sql`q.job_state = oj.state`)} union all ${kinds(sql`q.job_state = '*'`)}) k group by job_id) jk
        on jk.job_id = ea.job_id
      join licenses l on l.user_id = ea.candidate_id
      where (l.expires_on is null or l.expires_on >= ${today}::date) and ${licenseKindSql('l')} = any(jk.kinds)
    )`);
  }

  if (f.q) {
    const tsq = sql`websearch_to_tsquery('english', ${f.q})`;
    conds.push(sql`(a.candidate_id in (select cp.user_id from candidate_profiles cp where cp.search_vector @@ ${tsq})
      or a.resume_id in (select r.id from resumes r where r.search_vector @@ ${tsq}))`);
  }
  return sql.join(conds, sql` and `);
}

/**
 * The sort: an optional extra key (k1) before the application date. Keys from
 * other tables come from hash-joined aggregates, not per-row subqueries.
 */
function sortKey(f: ScreeningFilters, today: string): { k1: SQL; join: SQL; order: (t: string) => SQL } {
  switch (f.sort) {
    case 'oldest':
      return { k1: sql`null::text`, join: sql``, order: (t) => sql.raw(`${t}.created_at asc, ${t}.id`) };
    case 'name':
      return {
        k1: sql`lower(u.name)`,
        join: sql`left join users u on u.id = a.candidate_id`,
        order: (t) => sql.raw(`${t}.k1 asc, ${t}.created_at desc, ${t}.id`),
      };
    case 'rating':
      return {
        k1: sql`rt.avg_rating`,
        join: sql`left join (select application_id, avg(rating)::float8 as avg_rating from application_ratings group by application_id) rt on rt.application_id = a.id`,
        order: (t) => sql.raw(`${t}.k1 desc nulls last, ${t}.created_at desc, ${t}.id`),
      };
    case 'expiry':
      return {
        k1: sql`le.next_expiry`,
        join: sql`left join (select user_id, min(expires_on) as next_expiry from licenses where expires_on >= ${today}::date group by user_id) le on le.user_id = a.candidate_id`,
        order: (t) => sql.raw(`${t}.k1 asc nulls last, ${t}.created_at desc, ${t}.id`),
      };
    default:
      return { k1: sql`null::text`, join: sql``, order: (t) => sql.raw(`${t}.created_at desc, ${t}.id`) };
  }
}

/**
 * One page and the total in one statement: the filters run once (m), the
 * count and the page both read that, and only the page's rows are joined to
 * names, profiles and ratings.
 */
async function page(db: Db, orgId: string, f: ScreeningFilters, limit: number, offset: number, today: string): Promise<{ raw: RawRow[]; total: number }> {
  const where = await screeningWhere(db, orgId, f, today);
  const key = sortKey(f, today);
  const out = await rows<RawRow & { total: number }>(
    db,
    sql`with m as materialized (
          select a.id, a.created_at, ${key.k1} as k1
          from applications a
          join jobs j on j.id = a.job_id
          ${key.join}
          where ${where}
        ),
        pg as (select id, created_at, k1 from m order by ${key.order('m')} limit ${limit} offset ${offset})
        select c.total, r.*
        from (select count(*)::int as total from m) c
        left join lateral (
          select a.id, a.version, a.stage, a.knockout_failed, a.created_at, a.candidate_id, a.job_id, a.resume_id,
            u.name, u.email, cp.phone, cp.city, cp.state as cand_state,
            j.title, j.state as job_state, j.setting,
            (select avg(r.rating)::float8 from application_ratings r where r.application_id = a.id) as avg_rating,
            pg.k1
          from pg
          join applications a on a.id = pg.id
          join jobs j on j.id = a.job_id
          left join users u on u.id = a.candidate_id
          left join candidate_profiles cp on cp.user_id = a.candidate_id
        ) r on true
        order by ${key.order('r')}`,
  );
  const total = Number(out[0]?.total ?? 0);
  return { raw: out.filter((r) => r.id !== null), total };
}

async function enrich(db: Db, orgId: string, raw: RawRow[], today: string): Promise<ScreenRow[]> {
  const [lics, creds] = await Promise.all([
    teamLicenses(db, orgId, [...new Set(raw.flatMap((r) => (r.candidate_id ? [r.candidate_id] : [])))], today),
    jobCredentialMap(db, [...new Set(raw.map((r) => r.job_id))]),
  ]);
  return raw.map((r) => {
    const l = (r.candidate_id && lics.get(r.candidate_id)) || [];
    return {
      applicationId: r.id,
      version: Number(r.version),
      stage: r.stage,
      knockoutFailed: Boolean(r.knockout_failed),
      appliedAt: new Date(r.created_at),
      candidateId: r.candidate_id,
      candidateName: r.name ?? ANONYMIZED_CANDIDATE,
      candidateEmail: r.email ?? '',
      candidatePhone: r.phone,
      candidateCity: r.city,
      candidateState: r.cand_state,
      jobId: r.job_id,
      jobTitle: r.title,
      jobState: r.job_state,
      jobSetting: r.setting,
      resumeId: r.resume_id,
      avgRating: r.avg_rating === null ? null : Number(r.avg_rating),
      licenses: l,
      eligibility: eligibilityFor(l, { state: r.job_state, setting: r.setting, credentials: creds.get(r.job_id) ?? [] }, today),
    };
  });
}

export interface ScreenResult {
  rows: ScreenRow[];
  total: number;
  page: number;
  pageSize: number;
  pages: number;
}

/** A job filter naming another organization's job is not found (404), like every other id from elsewhere. */
async function checkJob(db: Db, orgId: string, f: ScreeningFilters): Promise<void> {
  if (!f.job) return;
  const [j] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.id, f.job), eq(jobs.orgId, orgId)))
    .limit(1);
  if (!j) throw notFound();
}

export async function screenApplicants(db: Db, orgId: string, f: ScreeningFilters, opts: { today?: string; pageSize?: number } = {}): Promise<ScreenResult> {
  await checkJob(db, orgId, f);
  const today = opts.today ?? todayIso();
  const pageSize = opts.pageSize ?? SCREEN_PAGE_SIZE;
  const { raw, total } = await page(db, orgId, f, pageSize, (f.page - 1) * pageSize, today);
  return {
    rows: await enrich(db, orgId, raw, today),
    total,
    page: f.page,
    pageSize,
    pages: Math.max(1, Math.ceil(total / pageSize)),
  };
}

/** Every row of the filtered view (no paging), in the view's order, up to `max`. */
export const EXPORT_MAX_ROWS = 50_000;
export async function screenAll(
  db: Db,
  orgId: string,
  f: ScreeningFilters,
  opts: { today?: string; max?: number } = {},
): Promise<{ rows: ScreenRow[]; total: number; truncated: boolean }> {
  await checkJob(db, orgId, f);
  const today = opts.today ?? todayIso();
  const max = opts.max ?? EXPORT_MAX_ROWS;
  const batch = 5000;
  const out: ScreenRow[] = [];
  let total = 0;
  for (let offset = 0; offset < max; offset += batch) {
    const r = await page(db, orgId, { ...f, page: 1 }, Math.min(batch, max - offset), offset, today);
    if (offset === 0) total = r.total;
    out.push(...(await enrich(db, orgId, r.raw, today)));
    if (r.raw.length < batch) break;
  }
  return { rows: out, total, truncated: total > out.length };
}

/** The organization's jobs that have applicants, for the screening form's job filter. */
export async function jobsWithApplicants(db: Db, orgId: string) {
  return rows<{ id: string; title: string; city: string; state: string; n: number }>(
    db,
    sql`select j.id, j.title, j.city, j.state, count(a.id)::int as n
        from jobs j join applications a on a.job_id = j.id
        where j.org_id = ${orgId}::uuid
        group by j.id order by max(a.created_at) desc limit 500`,
  );
}
