import { and, asc, desc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobCredentials, jobs, organizations, screeningQuestions } from '#db/schema';
import type { JobHit } from '#lib/search/types';

export type JobRow = typeof jobs.$inferSelect;

export interface PublicJob {
  job: JobRow;
  org: Pick<typeof organizations.$inferSelect, 'id' | 'slug' | 'name' | 'website' | 'description' | 'logoPath'>;
  credentials: string[];
  questions: (typeof screeningQuestions.$inferSelect)[];
  /** Published and not past valid-through: the only state that accepts applications. */
  open: boolean;
  closedReason: 'closed' | 'expired' | null;
}

export function jobState(job: Pick<JobRow, 'status' | 'validThrough' | 'expiredAt'>, now = new Date()) {
  if (job.status === 'closed') return { open: false, closedReason: 'closed' as const };
  if (job.status === 'published' && (job.expiredAt || job.validThrough.getTime() <= now.getTime())) {
    return { open: false, closedReason: 'expired' as const };
  }
  return { open: job.status === 'published', closedReason: null };
}

type ScreeningQuestion = typeof screeningQuestions.$inferSelect;

/**
 * The job page's read, in one round trip: the job, its organization, its credentials
 * (array_agg) and its questions (json_agg, keys named as the screening_questions
 * row type). Prepared once per database handle, so neither drizzle nor PostgreSQL
 * rebuilds or re-plans it per view.
 */
function publicJobQuery(db: Db) {
  const q = sql.raw('q');
  return db
    .select({
      job: jobs,
      org: {
        id: organizations.id,
        slug: organizations.slug,
        name: organizations.name,
        website: organizations.website,
        description: organizations.description,
        logoPath: organizations.logoPath,
      },
      credentials: sql<
        string[]
      >`coalesce((select array_agg(${jobCredentials.credentialCode} order by ${jobCredentials.credentialCode}) from ${jobCredentials} where ${jobCredentials.jobId} = ${jobs.id}), '{}')`,
      questions: sql<
        ScreeningQuestion[]
      >`coalesce((select json_agg(json_build_object('id', ${q}.id, 'jobId', ${q}.job_id, 'position', ${q}.position, 'kind', ${q}.kind, 'prompt', ${q}.prompt, 'options', ${q}.options, 'required', ${q}.required, 'knockoutAnswer', ${q}.knockout_answer) order by ${q}.position) from ${screeningQuestions} ${q} where ${q}.job_id = ${jobs.id}), '[]'::json)`,
    })
    .from(jobs)
    .innerJoin(organizations, eq(organizations.id, jobs.orgId))
    .where(eq(jobs.slug, sql.placeholder('slug')))
    .limit(1)
    .prepare('public_job_by_slug');
}

const preparedPublicJob = new WeakMap<Db, ReturnType<typeof publicJobQuery>>();

/** A job as the public sees it: drafts are invisible (null), closed and expired are shown as such. */
export async function getPublicJob(db: Db, slug: string, now = new Date()): Promise<PublicJob | null> {
  let query = preparedPublicJob.get(db);
  if (!query) {
    query = publicJobQuery(db);
    preparedPublicJob.set(db, query);
  }
  const [found] = await query.execute({ slug });
  if (!found || found.job.status === 'draft') return null;
  return { ...found, ...jobState(found.job, now) };
}

/** What every public list means by "open": published, valid_through ahead, not swept as expired. */
export function openJobsWhere(now: Date): SQL {
  return and(eq(jobs.status, 'published'), gt(jobs.validThrough, now), isNull(jobs.expiredAt))!;
}

/** An open job as the database lists it (home page, RSS): a search hit's fields, with the program type and dates as stored, and the description. */
export interface JobSummary extends Omit<JobHit, 'program' | 'postedAt'> {
  programType: string;
  postedAt: Date | null;
  updatedAt: Date;
  validThrough: Date;
  descriptionMd: string;
}

export const summaryColumns = {
  id: jobs.id,
  slug: jobs.slug,
  title: jobs.title,
  organization: organizations.name,
  orgSlug: organizations.slug,
  orgLogo: organizations.logoPath,
  city: jobs.city,
  state: jobs.state,
  role: jobs.role,
  programType: jobs.programType,
  setting: jobs.setting,
  payMin: jobs.payMin,
  payMax: jobs.payMax,
  payPeriod: jobs.payPeriod,
  postedAt: jobs.postedAt,
  updatedAt: jobs.updatedAt,
  validThrough: jobs.validThrough,
  descriptionMd: jobs.descriptionMd,
  employmentType: jobs.employmentType,
  schedule: jobs.schedule,
  supervisionOffered: jobs.supervisionOffered,
  credentials: sql<
    string[]
  >`coalesce((select array_agg(${jobCredentials.credentialCode} order by ${jobCredentials.credentialCode}) from ${jobCredentials} where ${jobCredentials.jobId} = ${jobs.id}), '{}')`,
};

/** A summary in the shape result cards take. */
export function summaryToHit(j: JobSummary): JobHit {
  return {
    id: j.id,
    slug: j.slug,
    title: j.title,
    organization: j.organization,
    orgSlug: j.orgSlug,
    orgLogo: j.orgLogo,
    role: j.role,
    program: j.programType,
    credentials: j.credentials,
    city: j.city,
    state: j.state,
    setting: j.setting,
    payMin: j.payMin,
    payMax: j.payMax,
    payPeriod: j.payPeriod,
    employmentType: j.employmentType,
    schedule: j.schedule,
    supervisionOffered: j.supervisionOffered,
    postedAt: (j.postedAt ?? j.updatedAt).toISOString(),
  };
}

/** Newest open jobs (home page, RSS). */
export async function latestOpenJobs(db: Db, limit: number, filter?: { role?: string; credential?: string; orgId?: string }): Promise<JobSummary[]> {
  const now = new Date();
  const conds = [openJobsWhere(now)];
  if (filter?.role) conds.push(eq(jobs.role, filter.role as JobRow['role']));
  if (filter?.orgId) conds.push(eq(jobs.orgId, filter.orgId));
  if (filter?.credential)
    conds.push(
      sql`exists (select 1 from ${jobCredentials} where ${jobCredentials.jobId} = ${jobs.id} and ${jobCredentials.credentialCode} = ${filter.credential})`,
    );
  return db
    .select(summaryColumns)
    .from(jobs)
    .innerJoin(organizations, eq(organizations.id, jobs.orgId))
    .where(and(...conds))
    .orderBy(desc(jobs.postedAt), asc(jobs.id))
    .limit(limit);
}

/** Pay range across open postings for a role (role guides compute it live, never typed in). */
export async function payRangeForRole(db: Db, role: string): Promise<{ hourly?: [number, number, number]; yearly?: [number, number, number]; count: number }> {
  const now = new Date();
  const r = await db
    .select({
      period: jobs.payPeriod,
      n: sql<number>`count(*)::int`,
      p10: sql<number>`percentile_cont(0.1) within group (order by ${jobs.payMin})`,
      p50: sql<number>`percentile_cont(0.5) within group (order by (${jobs.payMin} + ${jobs.payMax}) / 2.0)`,
      p90: sql<number>`percentile_cont(0.9) within group (order by ${jobs.payMax})`,
    })
    .from(jobs)
    .where(and(openJobsWhere(now), eq(jobs.role, role as JobRow['role'])))
    .groupBy(jobs.payPeriod);
  const out: { hourly?: [number, number, number]; yearly?: [number, number, number]; count: number } = { count: 0 };
  for (const x of r) {
    const triple: [number, number, number] = [Number(x.p10), Number(x.p50), Number(x.p90)];
    if (x.period === 'hour') out.hourly = triple;
    else out.yearly = triple;
    out.count += Number(x.n);
  }
  return out;
}

export interface PostingCounts {
  total: number;
  open: number;
  draft: number;
  closed: number;
  /** Published, but past valid-through (the expiry sweep has or will set them expired). */
  expired: number;
}

/** Every posting by what a visitor sees of it: only `open` ones are listed. */
export async function postingCounts(db: Db, now = new Date()): Promise<PostingCounts> {
  const [r] = await db
    .select({
      total: sql<number>`count(*)::int`,
      open: sql<number>`(count(*) filter (where ${openJobsWhere(now)}))::int`,
      draft: sql<number>`(count(*) filter (where ${jobs.status} = 'draft'))::int`,
      closed: sql<number>`(count(*) filter (where ${jobs.status} = 'closed'))::int`,
    })
    .from(jobs);
  const total = Number(r?.total ?? 0);
  const open = Number(r?.open ?? 0);
  const draft = Number(r?.draft ?? 0);
  const closed = Number(r?.closed ?? 0);
  return { total, open, draft, closed, expired: total - open - draft - closed };
}

export async function countOpenJobs(db: Db): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(jobs).where(openJobsWhere(new Date()));
  return Number(r?.n ?? 0);
}
