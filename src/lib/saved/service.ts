import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '#db/client';
import { applications, jobs, organizations, savedJobs } from '#db/schema';
import { jobState, summaryColumns, summaryToHit } from '#lib/jobs/queries';
import type { JobHit } from '#lib/search/types';
import { notFound } from '#lib/shared/errors';

/**
 * Saved jobs (the heart) and what a signed-in candidate sees on a card: saved, applied.
 * Setting is idempotent (the form says the state wanted, not "toggle"), so a double
 * submit or a replayed request lands where the person meant.
 */
export async function setSaved(db: Db, userId: string, jobId: string, saved: boolean): Promise<{ saved: boolean }> {
  if (!saved) {
    await db.delete(savedJobs).where(and(eq(savedJobs.userId, userId), eq(savedJobs.jobId, jobId)));
    return { saved: false };
  }
  // Drafts are invisible to candidates: the same 404 as a job that does not exist.
  const [job] = await db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId)).limit(1);
  if (!job || job.status === 'draft') throw notFound();
  await db.insert(savedJobs).values({ userId, jobId }).onConflictDoNothing();
  return { saved: true };
}

export interface ViewerStates {
  saved: Set<string>;
  applied: Set<string>;
}

/** Which of these jobs the candidate saved and which they have a live (not withdrawn) application to: two indexed reads. */
export async function viewerStates(db: Db, userId: string, jobIds: string[]): Promise<ViewerStates> {
  if (jobIds.length === 0) return { saved: new Set(), applied: new Set() };
  const [saved, applied] = await Promise.all([
    db
      .select({ id: savedJobs.jobId })
      .from(savedJobs)
      .where(and(eq(savedJobs.userId, userId), inArray(savedJobs.jobId, jobIds))),
    db
      .select({ id: applications.jobId })
      .from(applications)
      .where(and(eq(applications.candidateId, userId), inArray(applications.jobId, jobIds), ne(applications.stage, 'withdrawn'))),
  ]);
  return { saved: new Set(saved.map((r) => r.id)), applied: new Set(applied.map((r) => r.id)) };
}

export interface SavedJob {
  hit: JobHit;
  savedAt: Date;
  open: boolean;
  closedReason: 'closed' | 'expired' | null;
}

/** The candidate's saved jobs, newest saved first, closed and expired ones included (and said so). */
export async function listSavedJobs(db: Db, userId: string, now = new Date()): Promise<SavedJob[]> {
  const list = await db
    .select({ ...summaryColumns, status: jobs.status, expiredAt: jobs.expiredAt, savedAt: savedJobs.createdAt })
    .from(savedJobs)
    .innerJoin(jobs, eq(jobs.id, savedJobs.jobId))
    .innerJoin(organizations, eq(organizations.id, jobs.orgId))
    .where(and(eq(savedJobs.userId, userId), ne(jobs.status, 'draft')))
    .orderBy(desc(savedJobs.createdAt), desc(savedJobs.jobId))
    .limit(500);
  return list.map((r) => ({ hit: summaryToHit(r), savedAt: r.savedAt, ...jobState(r, now) }));
}
