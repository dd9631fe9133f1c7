import { and, asc, desc, eq, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '#db/client';
import { applications, jobs } from '#db/schema';
import { openJobsWhere } from './queries';
import { EXPIRING_SOON_DAYS, orgJobColumns, toOrgJobSummary, type OrgJobSummary } from './service';

/**
 * The employer's postings dashboard at the size of a real organization: one page of
 * postings, filtered by status and sorted in the database, with the whole
 * organization's counts beside it. Everything comes from the URL, so it works
 * without JavaScript and every view is a link.
 */

export const DASHBOARD_SORTS = { posted: 'Posted', title: 'Title', status: 'Status', applicants: 'Applicants', expires: 'Open until' } as const;
export type DashboardSort = keyof typeof DASHBOARD_SORTS;
export const DASHBOARD_STATUSES = { all: 'All', published: 'Open', draft: 'Drafts', expired: 'Expired', closed: 'Closed' } as const;
export type DashboardStatus = keyof typeof DASHBOARD_STATUSES;
export type SortDir = 'asc' | 'desc';
export const DASHBOARD_PAGE_SIZE = 25;

/** The direction a column sorts in first: newest, most applicants first; names A–Z, soonest closing first. */
export const DEFAULT_DIR: Record<DashboardSort, SortDir> = { posted: 'desc', title: 'asc', status: 'asc', applicants: 'desc', expires: 'asc' };

const keys = <T extends object>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

/**
 * A hand-edited or stale address never fails the page: an unknown value falls back to
 * the default view (and a page past the end shows the last page).
 */
const paramsSchema = z.object({
  status: z.enum(keys(DASHBOARD_STATUSES)).catch('all'),
  sort: z.enum(keys(DASHBOARD_SORTS)).catch('posted'),
  dir: z.enum(['asc', 'desc']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

export interface DashboardParams {
  status: DashboardStatus;
  sort: DashboardSort;
  dir: SortDir;
  page: number;
}

export function parseDashboardParams(sp: URLSearchParams): DashboardParams {
  const p = paramsSchema.parse({
    status: sp.get('status') ?? undefined,
    sort: sp.get('sort') ?? undefined,
    dir: sp.get('dir') ?? undefined,
    page: sp.get('page') ?? undefined,
  });
  return { status: p.status, sort: p.sort, dir: p.dir ?? DEFAULT_DIR[p.sort], page: p.page };
}

/** The query string of a view, leaving out what is the default so links stay short. */
export function dashboardQuery(p: DashboardParams, over: Partial<DashboardParams> = {}): string {
  const v = { ...p, ...over };
  const sp = new URLSearchParams();
  if (v.status !== 'all') sp.set('status', v.status);
  if (v.sort !== 'posted') sp.set('sort', v.sort);
  if (v.dir !== DEFAULT_DIR[v.sort]) sp.set('dir', v.dir);
  if (v.page > 1) sp.set('page', String(v.page));
  return sp.toString();
}

export interface DashboardCounts {
  all: number;
  published: number;
  draft: number;
  expired: number;
  closed: number;
  /** Applicants across every posting (withdrawn ones left out). */
  applicants: number;
}

export interface DashboardPage {
  rows: OrgJobSummary[];
  /** Postings matching the status filter. */
  total: number;
  page: number;
  pages: number;
  counts: DashboardCounts;
  /** Open postings closing within EXPIRING_SOON_DAYS, soonest first (at most 10). */
  expiring: OrgJobSummary[];
}

const DAY_MS = 86_400_000;

function isExpired(now: Date): SQL {
  return and(eq(jobs.status, 'published'), or(isNotNull(jobs.expiredAt), lte(jobs.validThrough, now)))!;
}

function statusWhere(status: DashboardStatus, now: Date): SQL | undefined {
  if (status === 'published') return openJobsWhere(now);
  if (status === 'expired') return isExpired(now);
  if (status === 'draft' || status === 'closed') return eq(jobs.status, status);
  return undefined;
}

function orderBy(sort: DashboardSort, dir: SortDir, now: Date): SQL[] {
  const by = dir === 'asc' ? asc : desc;
  const col: SQL = {
    posted: sql`${jobs.postedAt}`,
    title: sql`lower(${jobs.title})`,
    // The order a member reads a dashboard in: what is live, then work in progress, then what ended.
    status: sql`case when ${openJobsWhere(now)} then 0 when ${jobs.status} = 'draft' then 1 when ${isExpired(now)} then 2 else 3 end`,
    applicants: orgJobColumns.applicants,
    expires: sql`${jobs.validThrough}`,
  }[sort];
  // Ties broken the same way every time, so no posting shows on two pages or on none.
  return [by(col), asc(sql`lower(${jobs.title})`), asc(jobs.id)];
}

/** One page of an organization's postings (drafts included) and its counts: three queries whatever the organization's size. */
export async function orgJobsPage(db: Db, orgId: string, p: DashboardParams, now = new Date()): Promise<DashboardPage> {
  const [c] = await db
    .select({
      all: sql<number>`count(*)::int`,
      published: sql<number>`(count(*) filter (where ${openJobsWhere(now)}))::int`,
      draft: sql<number>`(count(*) filter (where ${jobs.status} = 'draft'))::int`,
      expired: sql<number>`(count(*) filter (where ${isExpired(now)}))::int`,
      closed: sql<number>`(count(*) filter (where ${jobs.status} = 'closed'))::int`,
      applicants: sql<number>`(select count(*)::int from ${applications} a join ${jobs} j on j.id = a.job_id where j.org_id = ${orgId} and a.stage <> 'withdrawn')`,
    })
    .from(jobs)
    .where(eq(jobs.orgId, orgId));
  const counts: DashboardCounts = {
    all: Number(c?.all ?? 0),
    published: Number(c?.published ?? 0),
    draft: Number(c?.draft ?? 0),
    expired: Number(c?.expired ?? 0),
    closed: Number(c?.closed ?? 0),
    applicants: Number(c?.applicants ?? 0),
  };
  const total = p.status === 'all' ? counts.all : counts[p.status];
  const pages = Math.max(1, Math.ceil(total / DASHBOARD_PAGE_SIZE));
  const page = Math.min(p.page, pages);
  const soon = new Date(now.getTime() + EXPIRING_SOON_DAYS * DAY_MS);
  const [rows, expiring] = await Promise.all([
    db
      .select(orgJobColumns)
      .from(jobs)
      .where(and(eq(jobs.orgId, orgId), statusWhere(p.status, now)))
      .orderBy(...orderBy(p.sort, p.dir, now))
      .limit(DASHBOARD_PAGE_SIZE)
      .offset((page - 1) * DASHBOARD_PAGE_SIZE),
    db
      .select(orgJobColumns)
      .from(jobs)
      .where(and(eq(jobs.orgId, orgId), openJobsWhere(now), lte(jobs.validThrough, soon)))
      .orderBy(asc(jobs.validThrough), asc(jobs.id))
      .limit(10),
  ]);
  return { rows: rows.map((r) => toOrgJobSummary(r, now)), total, page, pages, counts, expiring: expiring.map((r) => toOrgJobSummary(r, now)) };
}
