import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '#db/client';
import { applicationEvents, applications, jobs, organizations, resumes } from '#db/schema';
import { conflict, invalid, notFound } from '#lib/shared/errors';
import { type JobRow, jobState } from '#lib/jobs/queries';
import { parseOrThrow } from '#lib/shared/forms';
import { screeningAnswers } from './answers';
import { withdrawSchema } from './schema';
import { closeOpenOffers } from './offer-close';
import { recordStageExit } from './report-rollups';
import { CANDIDATE_STAGE_LABELS, CANDIDATE_VISIBLE_EVENTS, checkWithdraw, EVENT_KINDS, type ApplicationStage } from './stages';
import type { ClockOpts } from '#lib/shared/clock';

/** The candidate's side: "My applications", one application's history, withdrawing. Only the candidate's own rows. */
export interface MyApplication {
  id: string;
  stage: ApplicationStage;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  job: { id: string; slug: string; title: string; city: string; state: string; open: boolean };
  organization: string;
}

/** What the candidate's pages show of a job: enough to link it and say whether it still takes applications. */
function jobSummary(job: Pick<JobRow, 'id' | 'slug' | 'title' | 'city' | 'state' | 'status' | 'validThrough' | 'expiredAt'>, now: Date) {
  return { id: job.id, slug: job.slug, title: job.title, city: job.city, state: job.state, open: jobState(job, now).open };
}

export async function listMyApplications(db: Db, candidateId: string, now = new Date()): Promise<MyApplication[]> {
  const rows = await db
    .select({ a: applications, job: jobs, organization: organizations.name })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(organizations, eq(organizations.id, jobs.orgId))
    .where(eq(applications.candidateId, candidateId))
    .orderBy(desc(applications.createdAt));
  return rows.map((r) => ({
    id: r.a.id,
    stage: r.a.stage,
    version: r.a.version,
    createdAt: r.a.createdAt,
    updatedAt: r.a.updatedAt,
    job: jobSummary(r.job, now),
    organization: r.organization,
  }));
}

export interface HistoryEntry {
  at: Date;
  kind: string;
  fromStage: ApplicationStage | null;
  toStage: ApplicationStage | null;
  /** Who, as the candidate should read it: "You" or the organization. */
  by: string;
  text: string;
}

export function candidateHistoryText(e: { kind: string; toStage: string | null }): string {
  if (e.kind === EVENT_KINDS.applied) return 'You applied.';
  if (e.kind === EVENT_KINDS.withdrawn) return 'You withdrew your application.';
  const label = e.toStage ? CANDIDATE_STAGE_LABELS[e.toStage as ApplicationStage] : undefined;
  return label ? `Status changed to “${label}”.` : 'Status changed.';
}

export async function getMyApplication(db: Db, candidateId: string, applicationId: string, now = new Date()) {
  const [r] = await db
    .select({ a: applications, job: jobs, organization: organizations.name, resumeName: resumes.originalName })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(organizations, eq(organizations.id, jobs.orgId))
    .leftJoin(resumes, eq(resumes.id, applications.resumeId))
    .where(and(eq(applications.id, applicationId), eq(applications.candidateId, candidateId)))
    .limit(1);
  if (!r) return null;
  const [answers, events] = await Promise.all([
    screeningAnswers(db, [applicationId]),
    db
      .select()
      .from(applicationEvents)
      .where(and(eq(applicationEvents.applicationId, applicationId), inArray(applicationEvents.kind, [...CANDIDATE_VISIBLE_EVENTS])))
      .orderBy(asc(applicationEvents.id)),
  ]);
  const history: HistoryEntry[] = events.map((e) => ({
    at: e.createdAt,
    kind: e.kind,
    fromStage: (e.fromStage as ApplicationStage | null) ?? null,
    toStage: (e.toStage as ApplicationStage | null) ?? null,
    by: e.actorId === candidateId ? 'You' : r.organization,
    text: candidateHistoryText(e),
  }));
  return {
    id: r.a.id,
    stage: r.a.stage,
    version: r.a.version,
    createdAt: r.a.createdAt,
    coverNote: r.a.coverNote,
    resumeId: r.a.resumeId,
    resumeName: r.resumeName,
    job: jobSummary(r.job, now),
    organization: r.organization,
    answers: answers.map(({ prompt, answer }) => ({ prompt, answer })),
    history,
    canWithdraw: checkWithdraw(r.a.stage).ok,
  };
}

/**
 * The candidate withdraws. Same optimistic rule as the hiring team's moves:
 * the form carries the version the candidate saw; if the team changed the
 * application since, nothing happens and the candidate is told.
 */
export async function withdrawApplication(
  db: Db,
  candidateId: string,
  raw: { applicationId: string; version: number | string; confirm?: 'on' | true | null },
  opts: ClockOpts = {},
) {
  const v = parseOrThrow(withdrawSchema, raw);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const [cur] = await tx
      .select({ stage: applications.stage, version: applications.version })
      .from(applications)
      .where(and(eq(applications.id, v.applicationId), eq(applications.candidateId, candidateId)));
    if (!cur) throw notFound();
    if (cur.version !== v.version) {
      throw conflict(
        `This application changed while you were looking: it is now “${CANDIDATE_STAGE_LABELS[cur.stage]}”. Check it, then withdraw again if you still want to.`,
      );
    }
    const ok = checkWithdraw(cur.stage);
    if (!ok.ok) throw invalid(ok.message);
    const ended = await endAsWithdrawn(
      tx,
      [{ id: v.applicationId, stage: cur.stage }],
      now,
      { actorId: candidateId },
      and(eq(applications.candidateId, candidateId), eq(applications.version, v.version)),
    );
    if (!ended) throw conflict('This application changed while you were looking. Check it, then withdraw again if you still want to.');
    return { id: v.applicationId, version: v.version + 1 };
  });
}

/**
 * Ends applications as withdrawn inside the caller's transaction, the one rule for a candidate's own
 * withdrawal and an account deletion: each stay in its stage is recorded for the speed report (before the
 * stage changes), stage and version move on, open offers are withdrawn and the event is written. `guard`
 * narrows the update (the candidate's compare-and-set); when it does not match every application, nothing
 * else is written and the count says so (the caller rolls back).
 */
export async function endAsWithdrawn(
  tx: Tx,
  ended: readonly { id: string; stage: ApplicationStage }[],
  now: Date,
  event: { actorId: string | null; data?: Record<string, unknown> },
  guard?: SQL,
): Promise<number> {
  if (!ended.length) return 0;
  const ids = ended.map((a) => a.id);
  for (const id of ids) await recordStageExit(tx, id, now);
  const rows = await tx
    .update(applications)
    .set({ stage: 'withdrawn', version: sql`${applications.version} + 1`, stageEnteredAt: now, updatedAt: now })
    .where(and(inArray(applications.id, ids), guard))
    .returning({ id: applications.id });
  if (rows.length !== ids.length) return rows.length;
  for (const id of ids) await closeOpenOffers(tx, id, now);
  await tx.insert(applicationEvents).values(
    ended.map((a) => ({
      applicationId: a.id,
      actorId: event.actorId,
      kind: EVENT_KINDS.withdrawn,
      fromStage: a.stage,
      toStage: 'withdrawn' as const,
      ...(event.data ? { data: event.data } : {}),
      createdAt: now,
    })),
  );
  return rows.length;
}
