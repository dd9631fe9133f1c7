import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobs } from '#db/schema';
import type { MemberRole } from '#lib/domain/taxonomy';
import { notFound } from '#lib/shared/errors';
import { stageTables, knockoutTables, type FieldTables, type KnockoutTable } from './fairness';
import { funnelSteps, REPORT_SECTIONS, type FunnelStep, type ReportParams, type ReportSection } from './figures';
import {
  fairnessCounts,
  funnelReport,
  funnelTotal,
  licensureReport,
  sourcesReport,
  speedReport,
  type JobFunnel,
  type LicensureRow,
  type SourceRow,
  type SpeedReport,
} from './queries';

/**
 * Who sees what. Admins and hiring managers see every section. Recruiters see the pipeline —
 * funnel, sources, speed and licensure mix, which is the pool they screen — but not fairness: EEO
 * aggregates are for the people accountable for hiring decisions, and a recruiter has no decision
 * to make from them.
 */
const RECRUITER_SECTIONS: readonly ReportSection[] = ['funnel', 'sources', 'speed', 'licensure'];

export function sectionsFor(role: MemberRole): readonly ReportSection[] {
  return role === 'recruiter' ? RECRUITER_SECTIONS : REPORT_SECTIONS;
}

export interface Report {
  params: ReportParams;
  sections: readonly ReportSection[];
  jobs: { id: string; title: string }[];
  funnel?: { total: FunnelStep[]; jobs: (JobFunnel & { steps: FunnelStep[] })[] };
  sources?: SourceRow[];
  speed?: SpeedReport;
  licensure?: LicensureRow[];
  fairness?: { tables: FieldTables[]; knockouts: KnockoutTable[]; responses: number; untracked: number };
}

/** The organization's report for a member: only the sections the role may see, each read once. A job of another organization is not found. */
export async function loadReport(db: Db, org: { orgId: string; role: MemberRole }, params: ReportParams): Promise<Report> {
  const jobList = await db.select({ id: jobs.id, title: jobs.title }).from(jobs).where(eq(jobs.orgId, org.orgId)).orderBy(asc(jobs.title), asc(jobs.id));
  if (params.job) {
    const [own] = await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.id, params.job), eq(jobs.orgId, org.orgId)));
    if (!own) throw notFound();
  }
  const allowed = sectionsFor(org.role);
  const wanted = params.section ? [params.section] : allowed;
  const sections = wanted.filter((s) => allowed.includes(s));
  const has = (s: ReportSection) => sections.includes(s);
  const [funnel, sources, speed, licensure, fairness] = await Promise.all([
    has('funnel') ? funnelReport(db, org.orgId, params) : undefined,
    has('sources') ? sourcesReport(db, org.orgId, params) : undefined,
    has('speed') ? speedReport(db, org.orgId, params) : undefined,
    has('licensure') ? licensureReport(db, org.orgId, params) : undefined,
    has('fairness') ? fairnessCounts(db, org.orgId, params) : undefined,
  ]);
  return {
    params,
    sections,
    jobs: jobList,
    funnel: funnel && { total: funnelSteps(funnelTotal(funnel)), jobs: funnel.map((j) => ({ ...j, steps: funnelSteps(j) })) },
    sources,
    speed,
    licensure,
    fairness: fairness && { tables: stageTables(fairness), knockouts: knockoutTables(fairness), responses: fairness.responses, untracked: fairness.untracked },
  };
}
