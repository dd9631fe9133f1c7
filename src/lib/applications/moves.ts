import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '#db/client';
import { applicationEvents, applications, jobs, users } from '#db/schema';
import { withOptionalCandidate } from '#lib/application-context';
import { conflict, invalid, isServiceError, notFound } from '#lib/shared/errors';
import type { TeamActor } from './access';
import { parseOrThrow } from '#lib/shared/forms';
import { notifyCandidate, type Notifier } from './notify';
import { bulkMoveSchema, moveSchema, type BulkMoveInput, type MoveInput } from './schema';
import { reasonForRejection } from './rejection-reasons';
import { closeOpenOffers } from './offer-close';
import { ANONYMIZED_CANDIDATE, checkTeamMove, EVENT_KINDS, STAGE_LABELS, type ApplicationStage } from './stages';
import { isNotifyStage } from './templates';
import { raiseFurthest, recordEeoStage, recordStageExit } from './report-rollups';
import type { ClockOpts } from '#lib/shared/clock';

/** Moving applicants through stages, one or many, with optimistic concurrency; each move writes its event and queues the candidate's email in the same transaction. */

export interface MoveOutcome {
  applicationId: string;
  candidateName: string;
  from: ApplicationStage;
  to: ApplicationStage;
  version: number;
}

const fmtTime = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

/** What a member is told when someone else changed the application first. */
async function conflictMessage(tx: Pick<Db, 'select'>, applicationId: string, name: string, stage: ApplicationStage): Promise<string> {
  const [last] = await tx
    .select({ actor: users.name, at: applicationEvents.createdAt, kind: applicationEvents.kind })
    .from(applicationEvents)
    .leftJoin(users, eq(users.id, applicationEvents.actorId))
    .where(
      and(
        eq(applicationEvents.applicationId, applicationId),
        inArray(applicationEvents.kind, [EVENT_KINDS.stageChanged, EVENT_KINDS.withdrawn, EVENT_KINDS.applied]),
      ),
    )
    .orderBy(desc(applicationEvents.id))
    .limit(1);
  const who = last?.kind === EVENT_KINDS.withdrawn ? 'the candidate' : (last?.actor ?? 'someone');
  const when = last ? ` (${fmtTime.format(last.at)})` : '';
  return `${name} was changed by ${who}${when} after you loaded the page: now in ${STAGE_LABELS[stage]}. Your move was not applied; the page shows the current state.`;
}

/** One applicant to move: the version the mover saw, the stage, and (bulk moves) the job it must belong to. */
interface MoveRequest {
  item: { applicationId: string; version: number };
  to: ApplicationStage;
  reason: string | null;
  /** The organization's structured reason (rejections); `reason` then adds detail to it. */
  reasonId?: string | null;
  now: Date;
  jobId?: string;
}

async function moveInTx(tx: Tx, actor: TeamActor, { item, to, reason: detail, reasonId, now, jobId }: MoveRequest): Promise<MoveOutcome> {
  // A structured reason is stored by id (reports group by it) and as text (label and any detail), as older rows have it.
  const structured = to === 'rejected' && reasonId ? await reasonForRejection(tx, actor.orgId, reasonId) : null;
  const reason = structured ? (detail ? `${structured.label}: ${detail}` : structured.label) : detail;
  // Left join: an anonymized application is found (and refused below with a message), not a 404.
  const [found] = await withOptionalCandidate(tx, {
    stage: applications.stage,
    version: applications.version,
    furthest: applications.furthestStage,
    anonymizedAt: applications.anonymizedAt,
  }).where(and(eq(applications.id, item.applicationId), eq(jobs.orgId, actor.orgId), jobId ? eq(applications.jobId, jobId) : undefined));
  if (!found) throw notFound();
  const cur = { ...found, name: found.candidateName ?? ANONYMIZED_CANDIDATE };
  // Anonymized applications have ended for good: nobody is left to move, email or hire.
  if (cur.anonymizedAt) throw invalid(`${cur.name}: this application was anonymized and can no longer be moved.`);
  if (cur.version !== item.version) throw conflict(await conflictMessage(tx, item.applicationId, cur.name, cur.stage));
  const ok = checkTeamMove(cur.stage, to, reason);
  if (!ok.ok) throw invalid(`${cur.name}: ${ok.message}`, to === 'rejected' ? { reason: [ok.message] } : undefined);
  await recordStageExit(tx, item.applicationId, now);
  // The compare-and-set: zero rows means someone else changed it between our read and this write.
  const [row] = await tx
    .update(applications)
    .set({
      stage: to,
      version: sql`${applications.version} + 1`,
      rejectionReason: to === 'rejected' ? reason : null,
      rejectionReasonId: structured?.id ?? null,
      furthestStage: raiseFurthest(cur.furthest, to),
      stageEnteredAt: now,
      firstReviewedAt: cur.stage === 'applied' ? sql`coalesce(${applications.firstReviewedAt}, ${now.toISOString()}::timestamptz)` : undefined,
      hiredAt: to === 'hired' ? sql`coalesce(${applications.hiredAt}, ${now.toISOString()}::timestamptz)` : undefined,
      updatedAt: now,
    })
    .where(and(eq(applications.id, item.applicationId), eq(applications.version, item.version)))
    .returning({ version: applications.version, stage: applications.stage });
  if (!row) {
    const [again] = await tx.select({ stage: applications.stage }).from(applications).where(eq(applications.id, item.applicationId));
    throw conflict(await conflictMessage(tx, item.applicationId, cur.name, again?.stage ?? cur.stage));
  }
  if (to === 'rejected') await closeOpenOffers(tx, item.applicationId, now);
  await tx.insert(applicationEvents).values({
    applicationId: item.applicationId,
    actorId: actor.userId,
    kind: EVENT_KINDS.stageChanged,
    fromStage: cur.stage,
    toStage: to,
    data: reason && to === 'rejected' ? { reason, ...(structured ? { reasonId: structured.id } : {}) } : {},
    createdAt: now,
  });
  await recordEeoStage(tx, item.applicationId, to);
  return { applicationId: item.applicationId, candidateName: cur.name, from: cur.stage, to, version: row.version };
}

/** A move and the candidate's email about it, in one transaction. */
async function moveAndNotify(tx: Tx, notifier: Notifier | undefined, actor: TeamActor, req: MoveRequest): Promise<MoveOutcome> {
  const out = await moveInTx(tx, actor, req);
  if (out.to !== 'applied' && isNotifyStage(out.to)) await notifyCandidate(tx, notifier, out.applicationId, out.to);
  return out;
}

/**
 * A stage move inside the caller's transaction (sending an offer, accepting one): the same
 * version check, compare-and-set and event as any move; `notify` sends the stage's template email.
 */
export async function moveWithin(
  tx: Tx,
  notifier: Notifier | undefined,
  actor: TeamActor,
  req: { applicationId: string; version: number; to: ApplicationStage; now: Date; notify: boolean },
): Promise<MoveOutcome> {
  const r: MoveRequest = { item: { applicationId: req.applicationId, version: req.version }, to: req.to, reason: null, now: req.now };
  return req.notify ? moveAndNotify(tx, notifier, actor, r) : moveInTx(tx, actor, r);
}

/** Moves one application; a stale version is a conflict (409) whose message says who changed it and where it is now. */
export async function moveApplication(db: Db, notifier: Notifier | undefined, actor: TeamActor, raw: MoveInput, opts: ClockOpts = {}): Promise<MoveOutcome> {
  const v = parseOrThrow(moveSchema, raw);
  const now = opts.now ?? new Date();
  const out = await db.transaction((tx) =>
    moveAndNotify(tx, notifier, actor, {
      item: { applicationId: v.applicationId, version: v.version },
      to: v.toStage,
      reason: v.reason,
      reasonId: v.reasonId,
      now,
    }),
  );
  return out;
}

export interface BulkMoveResult {
  moved: MoveOutcome[];
  /** Changed by someone else meanwhile, or not movable (withdrawn, already there): left as they are. */
  skipped: { applicationId: string; message: string }[];
}

/**
 * Moves many applications of one job. Every id must belong to the job (else
 * not found, nothing moved); each move is its own transaction with its own
 * version check, so one stale card does not undo the others — it is reported.
 */
export async function bulkMoveApplications(
  db: Db,
  notifier: Notifier | undefined,
  actor: TeamActor,
  raw: BulkMoveInput,
  opts: ClockOpts = {},
): Promise<BulkMoveResult> {
  const v = parseOrThrow(bulkMoveSchema, raw);
  const now = opts.now ?? new Date();
  if (v.toStage === 'rejected' && !v.reason && !v.reasonId)
    throw invalid('Give a reason for rejecting (the candidates do not see it).', {
      reasonId: ['Give a reason for rejecting.'],
    });
  const ids = [...new Set(v.items.map((i) => i.applicationId))];
  const owned = await db
    .select({ id: applications.id })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(inArray(applications.id, ids), eq(applications.jobId, v.jobId), eq(jobs.orgId, actor.orgId)));
  if (owned.length !== ids.length) throw notFound();
  const result: BulkMoveResult = { moved: [], skipped: [] };
  const seen = new Set<string>();
  for (const item of v.items) {
    if (seen.has(item.applicationId)) continue;
    seen.add(item.applicationId);
    try {
      result.moved.push(
        await db.transaction((tx) => moveAndNotify(tx, notifier, actor, { item, to: v.toStage, reason: v.reason, reasonId: v.reasonId, now, jobId: v.jobId })),
      );
    } catch (err) {
      if (isServiceError(err) && (err.code === 'conflict' || err.code === 'invalid')) {
        result.skipped.push({ applicationId: item.applicationId, message: err.message });
      } else throw err;
    }
  }
  return result;
}

// ---------------------------------------------------------------- notes, ratings
