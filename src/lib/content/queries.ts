import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobCredentials, jobs } from '#db/schema';
import { openJobsWhere } from '#lib/feeds/queries';

/** How many open jobs accept a credential (the credential page's "see all N jobs" link). */
export async function countOpenJobsAccepting(db: Db, code: string, now = new Date()): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(jobs)
    .innerJoin(jobCredentials, and(eq(jobCredentials.jobId, jobs.id), eq(jobCredentials.credentialCode, code)))
    .where(openJobsWhere(now));
  return Number(r?.n ?? 0);
}

/** Open jobs per role (the roles index shows them beside each role). */
export async function openJobCountsByRole(db: Db, now = new Date()): Promise<Record<string, number>> {
  const rows = await db.select({ role: jobs.role, n: sql<number>`count(*)::int` }).from(jobs).where(openJobsWhere(now)).groupBy(jobs.role);
  return Object.fromEntries(rows.map((r) => [r.role, Number(r.n)]));
}

/** Open jobs per accepted credential. */
export async function openJobCountsByCredential(db: Db, now = new Date()): Promise<Record<string, number>> {
  const rows = await db
    .select({ code: jobCredentials.credentialCode, n: sql<number>`count(*)::int` })
    .from(jobCredentials)
    .innerJoin(jobs, eq(jobs.id, jobCredentials.jobId))
    .where(openJobsWhere(now))
    .groupBy(jobCredentials.credentialCode);
  return Object.fromEntries(rows.map((r) => [r.code, Number(r.n)]));
}
