import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '#db/client';
import { satisfies, todayIso } from '#lib/licensure/eligibility';
import { CREDENTIALS } from '#lib/domain/taxonomy';
import { ensureQualifyTable, licenseKindSql } from '#lib/screening/qualify-table';
import { EEO_FIELDS, type EeoField } from '#lib/applications/schema';
import { APPLICATION_SOURCES, PIPELINE_STAGES, pipelineRank, type ApplicationSource, type PipelineStage } from '#lib/domain/sources';
import { emptyFunnel, periodBounds, type FunnelCounts, type ReportParams } from './figures';

/**
 * The reports' reads, one SQL statement each, always scoped by the organization (jobs.org_id) and
 * the period (applications created in it; views and apply starts counted on its days). Counts come
 * from columns the server keeps (applications.furthest_stage, stage_entered_at, job_daily_stats,
 * eeo_responses.furthest_stage) so nothing here walks the event log except the speed report.
 */
export type Scope = Pick<ReportParams, 'from' | 'to' | 'job'>;

interface Bounds {
  start: string;
  end: string;
}
const bounds = (p: Scope): Bounds => {
  const b = periodBounds(p);
  return { start: b.start.toISOString(), end: b.end.toISOString() };
};
const jobFilter = (p: Scope, col: string): SQL => (p.job ? sql`and ${sql.raw(col)} = ${p.job}::uuid` : sql``);
const num = (v: unknown) => Number(v ?? 0);

/** The organization's applications made in the period (of the chosen job, if any), as `a` with its job `j`: what the funnel, sources, speed and licensure reports count. */
function periodApplications(orgId: string, p: Scope): SQL {
  const b = bounds(p);
  return sql`applications a join jobs j on j.id = a.job_id
    where j.org_id = ${orgId}::uuid and a.created_at >= ${b.start}::timestamptz and a.created_at < ${b.end}::timestamptz ${jobFilter(p, 'a.job_id')}`;
}

/** How many of `a` got as far as `stage` (furthest_stage at it or beyond). */
const reached = (stage: PipelineStage): SQL =>
  sql.raw(
    `count(*) filter (where a.furthest_stage in (${PIPELINE_STAGES.slice(pipelineRank(stage))
      .map((s) => `'${s}'`)
      .join(', ')}))`,
  );

// ---------------------------------------------------------------- funnel

export interface JobFunnel extends FunnelCounts {
  jobId: string;
  title: string;
  status: string;
}

export async function funnelReport(db: Db, orgId: string, p: Scope): Promise<JobFunnel[]> {
  const out = await rows<Record<string, unknown>>(
    db,
    sql`with a as (
          select a.job_id, count(*) as applications, ${reached('screening')} as screening, ${reached('interview')} as interview,
            ${reached('offer')} as offer, ${reached('hired')} as hired
          from ${periodApplications(orgId, p)}
          group by a.job_id),
        v as (
          select s.job_id, sum(s.views) as views, sum(s.apply_starts) as apply_starts
          from job_daily_stats s join jobs j on j.id = s.job_id
          where j.org_id = ${orgId}::uuid and s.day >= ${p.from}::date and s.day <= ${p.to}::date ${jobFilter(p, 's.job_id')}
          group by s.job_id)
        select j.id, j.title, j.status, v.views, v.apply_starts, a.applications, a.screening, a.interview, a.offer, a.hired
        from jobs j left join a on a.job_id = j.id left join v on v.job_id = j.id
        where j.org_id = ${orgId}::uuid and (a.job_id is not null or v.job_id is not null)
        order by coalesce(a.applications, 0) desc, j.title, j.id`,
  );
  return out.map((r) => ({
    jobId: String(r.id),
    title: String(r.title),
    status: String(r.status),
    views: num(r.views),
    applyStarts: num(r.apply_starts),
    applications: num(r.applications),
    screening: num(r.screening),
    interview: num(r.interview),
    offer: num(r.offer),
    hired: num(r.hired),
  }));
}

export function funnelTotal(jobs: readonly FunnelCounts[]): FunnelCounts {
  const t = emptyFunnel();
  for (const j of jobs) for (const k of Object.keys(t) as (keyof FunnelCounts)[]) t[k] += j[k];
  return t;
}

// ---------------------------------------------------------------- sources

export interface SourceRow {
  source: ApplicationSource;
  applications: number;
  interviewed: number;
  hired: number;
}

export async function sourcesReport(db: Db, orgId: string, p: Scope): Promise<SourceRow[]> {
  const out = await rows<Record<string, unknown>>(
    db,
    sql`select a.source, count(*) as applications, ${reached('interview')} as interviewed, ${reached('hired')} as hired
        from ${periodApplications(orgId, p)}
        group by a.source`,
  );
  const by = new Map(out.map((r) => [String(r.source), r]));
  return APPLICATION_SOURCES.map((source) => {
    const r = by.get(source);
    return { source, applications: num(r?.applications), interviewed: num(r?.interviewed), hired: num(r?.hired) };
  });
}

// ---------------------------------------------------------------- speed

export interface Durations {
  /** How many completed stays (or applications) the figures are over. */
  n: number;
  /** Hours. */
  median: number | null;
  p90: number | null;
}
export interface WaitingRow {
  applicationId: string;
  candidateName: string;
  jobTitle: string;
  since: Date;
}
export interface SpeedReport {
  inStage: Record<Exclude<PipelineStage, 'hired'>, Durations>;
  firstReview: Durations;
  toHire: Durations;
  waiting: Record<Exclude<PipelineStage, 'hired'>, WaitingRow[]>;
}
export const WAITING_STAGES = ['applied', 'screening', 'interview', 'offer'] as const;
const WAITING_LIMIT = 5;

const dur = (r: Record<string, unknown> | undefined): Durations => ({
  n: num(r?.n),
  median: r?.median == null ? null : Number(r.median) / 3600,
  p90: r?.p90 == null ? null : Number(r.p90) / 3600,
});

export async function speedReport(db: Db, orgId: string, p: Scope): Promise<SpeedReport> {
  const b = bounds(p);
  // Rollups the moves keep (application_stage_stays, first_reviewed_at, hired_at): no pairing of events here.
  const [timed, waiting] = await Promise.all([
    rows<Record<string, unknown>>(
      db,
      sql`select s.stage as k, count(*) as n,
            percentile_cont(0.5) within group (order by extract(epoch from s.left_at - s.entered_at)) as median,
            percentile_cont(0.9) within group (order by extract(epoch from s.left_at - s.entered_at)) as p90
          from application_stage_stays s join jobs j on j.id = s.job_id
          where j.org_id = ${orgId}::uuid and s.applied_at >= ${b.start}::timestamptz and s.applied_at < ${b.end}::timestamptz ${jobFilter(p, 's.job_id')}
            and s.stage in ('applied', 'screening', 'interview', 'offer')
          group by s.stage
          union all
          select x.k, x.n, x.median, x.p90 from (
            select count(a.first_reviewed_at) as rn,
              percentile_cont(0.5) within group (order by extract(epoch from a.first_reviewed_at - a.created_at)) as rmed,
              percentile_cont(0.9) within group (order by extract(epoch from a.first_reviewed_at - a.created_at)) as rp90,
              count(a.hired_at) as hn,
              percentile_cont(0.5) within group (order by extract(epoch from a.hired_at - a.created_at)) as hmed,
              percentile_cont(0.9) within group (order by extract(epoch from a.hired_at - a.created_at)) as hp90
            from ${periodApplications(orgId, p)}
          ) t cross join lateral (values ('review', t.rn, t.rmed, t.rp90), ('hire', t.hn, t.hmed, t.hp90)) as x(k, n, median, p90)`,
    ),
    // Still waiting: where the application is now, whenever it applied (the period does not hide a stuck applicant).
    rows<Record<string, unknown>>(
      db,
      sql`select s.stage, w.id, w.name, w.title, w.stage_entered_at
          from unnest(array['applied', 'screening', 'interview', 'offer']::text[]) as s(stage)
          cross join lateral (
            select a.id, u.name, j.title, a.stage_entered_at
            from applications a join jobs j on j.id = a.job_id join users u on u.id = a.candidate_id
            where a.stage = s.stage and j.org_id = ${orgId}::uuid ${jobFilter(p, 'a.job_id')}
            order by a.stage_entered_at, a.id limit ${WAITING_LIMIT}) w`,
    ),
  ]);
  const stay = new Map(timed.map((r) => [String(r.k), r]));
  const first = stay;
  const waitingBy = Object.fromEntries(WAITING_STAGES.map((s) => [s, [] as WaitingRow[]])) as SpeedReport['waiting'];
  for (const r of waiting) {
    waitingBy[r.stage as keyof SpeedReport['waiting']].push({
      applicationId: String(r.id),
      candidateName: String(r.name),
      jobTitle: String(r.title),
      since: new Date(r.stage_entered_at as string),
    });
  }
  return {
    inStage: Object.fromEntries(WAITING_STAGES.map((s) => [s, dur(stay.get(s))])) as SpeedReport['inStage'],
    firstReview: dur(first.get('review')),
    toHire: dur(first.get('hire')),
    waiting: waitingBy,
  };
}

// ---------------------------------------------------------------- licensure mix

export interface LicensureRow {
  jobId: string;
  title: string;
  state: string;
  applicants: number;
  /** Eligible in the job's state (held there, national, or carried by a compact). */
  eligible: number;
  /** Holds a credential the job accepts, but not one that counts in its state: needs a license there. */
  needsLicense: number;
  /** No unexpired credential the job accepts. */
  noMatch: number;
  /** Applicants per credential class of their unexpired licenses ('none' without any); one person may count in several. */
  classes: Record<string, number>;
}

/** (held, accepted) credential codes where holding the first satisfies the second, wherever held: the rule's own satisfies(). */
let pairsSql: SQL | undefined;
function satisfyingPairs(): SQL {
  pairsSql ??= sql.join(
    CREDENTIALS.flatMap((held) => CREDENTIALS.filter((accepted) => satisfies(held, accepted)).map((accepted) => sql`(${held.code}, ${accepted.code})`)),
    sql`, `,
  );
  return pairsSql;
}

export async function licensureReport(db: Db, orgId: string, p: Scope, today = todayIso()): Promise<LicensureRow[]> {
  const version = await ensureQualifyTable(db);
  // The eligibility rule tabulated (qualify-table.ts): per job, the license kinds that count in its state, and every
  // kind that satisfies a credential it accepts anywhere; per candidate, the kinds and classes of unexpired licenses.
  const out = await rows<Record<string, unknown>>(
    db,
    sql`with app as (select a.job_id, a.candidate_id from ${periodApplications(orgId, p)}),
        lic as (
          select l.user_id, ${licenseKindSql('l')} as kind, l.credential_code as code, c.class
          from licenses l join credentials c on c.code = l.credential_code
          where (l.expires_on is null or l.expires_on >= ${today}::date) and l.user_id in (select candidate_id from app)),
        ck as (select user_id, array_agg(distinct kind) as kinds, array_agg(distinct code) as codes, array_agg(distinct class) as classes from lic group by user_id),
        held as (select distinct kind from lic),
        oj as (select id, state, setting from jobs where org_id = ${orgId}::uuid ${jobFilter(p, 'id')}),
        -- Per job, the license kinds some applicant holds that count in its state (the rule's rows for that state or any
        -- state: index lookups), and the credential codes that satisfy one it accepts wherever held.
        jk as (
          select job_id, array_agg(distinct kind) as here from (
            select oj.id as job_id, q.kind from oj join job_credentials jc on jc.job_id = oj.id
            join license_qualifications q on q.rule_version = ${version} and q.accepted_code = jc.credential_code and q.job_state = oj.state
            where q.kind in (select kind from held) and (not q.telehealth_only or oj.setting = 'telehealth')
            union all
            select oj.id, q.kind from oj join job_credentials jc on jc.job_id = oj.id
            join license_qualifications q on q.rule_version = ${version} and q.accepted_code = jc.credential_code and q.job_state = '*'
            where q.kind in (select kind from held) and (not q.telehealth_only or oj.setting = 'telehealth')) k
          group by job_id),
        sat(held_code, accepted_code) as (values ${satisfyingPairs()}),
        jc as (
          select jc.job_id, array_agg(distinct sat.held_code) as codes
          from oj join job_credentials jc on jc.job_id = oj.id join sat on sat.accepted_code = jc.credential_code group by jc.job_id),
        per as (
          select app.job_id, coalesce(ck.kinds && jk.here, false) as eligible, coalesce(ck.codes && jc.codes, false) as matching,
            coalesce(ck.classes, '{none}') as classes
          from app left join ck on ck.user_id = app.candidate_id left join jk on jk.job_id = app.job_id left join jc on jc.job_id = app.job_id),
        -- Applications collapse to (job, outcome, classes) combinations first: a few thousand rows to total and unnest, not one per application.
        grp as (select job_id, eligible, matching, classes, count(*) as n from per group by job_id, eligible, matching, classes),
        totals as (
          select job_id, sum(n) as applicants, sum(n) filter (where eligible) as eligible,
            sum(n) filter (where not eligible and matching) as needs_license, sum(n) filter (where not eligible and not matching) as no_match
          from grp group by job_id),
        cls as (
          select job_id, jsonb_object_agg(cls, n) as classes from (
            select job_id, cls, sum(n) as n from grp cross join unnest(grp.classes) as cls group by job_id, cls) x group by job_id)
        select j.id, j.title, j.state, t.applicants, t.eligible, t.needs_license, t.no_match, cls.classes
        from totals t join jobs j on j.id = t.job_id left join cls on cls.job_id = t.job_id
        order by t.applicants desc, j.title, j.id`,
  );
  return out.map((r) => ({
    jobId: String(r.id),
    title: String(r.title),
    state: String(r.state),
    applicants: num(r.applicants),
    eligible: num(r.eligible),
    needsLicense: num(r.needs_license),
    noMatch: num(r.no_match),
    classes: Object.fromEntries(
      Object.entries((typeof r.classes === 'string' ? JSON.parse(r.classes) : (r.classes ?? {})) as Record<string, unknown>).map(([k, v]) => [k, num(v)]),
    ),
  }));
}

// ---------------------------------------------------------------- fairness (EEO aggregates only)

export interface FairnessCounts {
  /** field → group → furthest stage → people. */
  stages: Record<EeoField, Record<string, Partial<Record<PipelineStage, number>>>>;
  /** Knockout questions: per question, field → group → asked / knocked out. */
  knockouts: { questionId: string; prompt: string; jobTitle: string; groups: Record<EeoField, Record<string, { asked: number; failed: number }>> }[];
  /** EEO responses in the period with a known stage; and those from before stage tracking (left out). */
  responses: number;
  untracked: number;
}

const emptyByField = <T>() => Object.fromEntries(EEO_FIELDS.map((f) => [f, {} as Record<string, T>])) as Record<EeoField, Record<string, T>>;

/**
 * Reads eeo_responses alone (never joined to applications): the answers, the furthest stage the
 * server copied onto each row, and the knockout questions the row tripped. Only aggregates leave.
 */
export async function fairnessCounts(db: Db, orgId: string, p: Scope): Promise<FairnessCounts> {
  const b = bounds(p);
  const where = sql`e.org_id = ${orgId}::uuid and e.created_at >= ${b.start}::timestamptz and e.created_at < ${b.end}::timestamptz ${jobFilter(p, 'e.job_id')}`;
  const [stageRows, koRows, totals] = await Promise.all([
    rows<Record<string, unknown>>(
      db,
      // One scan, one hash aggregate per question (grouping sets), rather than a row per answer.
      sql`select x.key, x.value, x.stage, x.n from (
            select e.furthest_stage as stage, e.answers->>'gender' as g, e.answers->>'ethnicity' as eth, e.answers->>'veteran' as vet,
              e.answers->>'disability' as dis, grouping(e.answers->>'gender') as gg, grouping(e.answers->>'ethnicity') as ge,
              grouping(e.answers->>'veteran') as gv, count(*) as n
            from eeo_responses e
            where ${where} and e.furthest_stage is not null
            group by grouping sets ((e.furthest_stage, e.answers->>'gender'), (e.furthest_stage, e.answers->>'ethnicity'),
              (e.furthest_stage, e.answers->>'veteran'), (e.furthest_stage, e.answers->>'disability'))) s
          cross join lateral (select case when s.gg = 0 then 'gender' when s.ge = 0 then 'ethnicity' when s.gv = 0 then 'veteran' else 'disability' end as key,
            coalesce(s.g, s.eth, s.vet, s.dis) as value, s.stage, s.n) x
          where x.value is not null`,
    ),
    rows<Record<string, unknown>>(
      db,
      sql`select q.id, q.prompt, j.title, x.key, x.value, s.asked, s.failed from (
            select k.qid, e.answers->>'gender' as g, e.answers->>'ethnicity' as eth, e.answers->>'veteran' as vet, e.answers->>'disability' as dis,
              grouping(e.answers->>'gender') as gg, grouping(e.answers->>'ethnicity') as ge, grouping(e.answers->>'veteran') as gv,
              count(*) as asked, count(*) filter (where k.qid = any(e.knocked_out_by)) as failed
            from eeo_responses e cross join unnest(e.knockout_asked) as k(qid)
            where ${where}
            group by grouping sets ((k.qid, e.answers->>'gender'), (k.qid, e.answers->>'ethnicity'), (k.qid, e.answers->>'veteran'), (k.qid, e.answers->>'disability'))) s
          cross join lateral (select case when s.gg = 0 then 'gender' when s.ge = 0 then 'ethnicity' when s.gv = 0 then 'veteran' else 'disability' end as key,
            coalesce(s.g, s.eth, s.vet, s.dis) as value) x
          join screening_questions q on q.id = s.qid join jobs j on j.id = q.job_id
          where x.value is not null
          order by j.title, q.prompt, q.id`,
    ),
    rows<Record<string, unknown>>(
      db,
      sql`select count(*) filter (where e.furthest_stage is not null) as tracked, count(*) filter (where e.furthest_stage is null) as untracked
          from eeo_responses e where ${where}`,
    ),
  ]);
  const stages = emptyByField<Partial<Record<PipelineStage, number>>>();
  for (const r of stageRows) {
    const f = r.key as EeoField;
    if (!stages[f]) continue;
    const g = (stages[f][String(r.value)] ??= {});
    g[r.stage as PipelineStage] = num(r.n);
  }
  const ko = new Map<string, FairnessCounts['knockouts'][number]>();
  for (const r of koRows) {
    const f = r.key as EeoField;
    if (!EEO_FIELDS.includes(f)) continue;
    const id = String(r.id);
    let q = ko.get(id);
    if (!q) ko.set(id, (q = { questionId: id, prompt: String(r.prompt), jobTitle: String(r.title), groups: emptyByField() }));
    q.groups[f][String(r.value)] = { asked: num(r.asked), failed: num(r.failed) };
  }
  return { stages, knockouts: [...ko.values()], responses: num(totals[0]?.tracked), untracked: num(totals[0]?.untracked) };
}
