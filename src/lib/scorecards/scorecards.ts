import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '#db/client';
import { orgApplication } from '#lib/application-context';
import { applicationEvents, applications, interviewInterviewers, interviews, scorecardRatings, scorecards, users, type InterviewStatus } from '#db/schema';
import type { KitActor } from './actor';
import { conflict, forbidden, invalid, notFound } from '#lib/shared/errors';
import { parseOrThrow } from '#lib/shared/forms';
import type { KitSourceLoader } from './kit-source';
import { ensureKit, type Kit } from './kits';
import { SCORECARD_SUBMITTED_EVENT } from './events';
import { NOT_ASSESSED } from './scale';
import { scorecardSchema } from './schema';
import { interviewName } from '#lib/interviews/labels';
import { summarize, type ScorecardSummary, type SummaryCard } from './summary';
import type { ClockOpts } from '#lib/shared/clock';

/**
 * Scorecards: each interviewer's independent feedback on an interview. Rules, enforced here:
 *  - only the interview's interviewers submit, once each, after the interview has started
 *    (scheduled or completed); a submitted scorecard is final;
 *  - independence: a member sees colleagues' scorecards for an application only once they have
 *    submitted theirs for every interview of it they sit on (and at least one); admins always;
 *  - another organization's application or interview is not found.
 */

/** Interviews that can be scored. */
const SCORABLE: readonly InterviewStatus[] = ['scheduled', 'completed'];
/** Interviews whose interviewers still owe a scorecard (cancelled and no-show ones owe nothing). */
const OWING: readonly InterviewStatus[] = ['proposed', 'scheduled', 'completed'];

export async function submitScorecard(db: Db, actor: KitActor, raw: unknown, load: KitSourceLoader, opts: ClockOpts = {}): Promise<{ scorecardId: string }> {
  const v = parseOrThrow(scorecardSchema, raw);
  const now = opts.now ?? new Date();
  const [iv] = await db
    .select({ status: interviews.status, startsAt: interviews.startsAt, jobId: applications.jobId })
    .from(interviews)
    .innerJoin(applications, eq(applications.id, interviews.applicationId))
    .where(and(eq(interviews.id, v.interviewId), eq(interviews.orgId, actor.orgId), eq(interviews.applicationId, v.applicationId)));
  if (!iv) throw notFound();
  const [seat] = await db
    .select({ userId: interviewInterviewers.userId })
    .from(interviewInterviewers)
    .where(and(eq(interviewInterviewers.interviewId, v.interviewId), eq(interviewInterviewers.userId, actor.userId)));
  if (!seat) throw forbidden('Only this interview’s interviewers submit scorecards for it.');
  if (!SCORABLE.includes(iv.status)) throw conflict(`This interview is ${iv.status.replace('_', '-')}: there is nothing to score.`);
  if (!iv.startsAt || iv.startsAt > now) throw conflict('You can submit your scorecard once the interview has started.');

  const kit = await ensureKit(db, actor, iv.jobId, load);
  const known = new Set(kit.competencies.map((c) => c.id));
  if (Object.keys(v.ratings).some((id) => !known.has(id)))
    throw invalid('The interview kit changed while you were writing: check your ratings against the competencies shown now and submit again.');
  const fields: Record<string, string[]> = {};
  for (const c of kit.competencies) if (!v.ratings[c.id]) fields[`ratings.${c.id}`] = [`Rate “${c.name}”, or choose “Not assessed”.`];
  if (Object.keys(fields).length) throw invalid('Rate every competency, or mark it “Not assessed”.', fields);

  return db.transaction(async (tx) => {
    const [card] = await tx
      .insert(scorecards)
      .values({
        orgId: actor.orgId,
        interviewId: v.interviewId,
        applicationId: v.applicationId,
        authorId: actor.userId,
        overall: v.overall,
        notes: v.notes,
        submittedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: scorecards.id });
    if (!card) throw conflict('You already submitted your scorecard for this interview. Scorecards are final, so each one stays independent.');
    const rated = kit.competencies.flatMap((c, position) => {
      const r = v.ratings[c.id];
      return r && r !== NOT_ASSESSED ? [{ scorecardId: card.id, position, competencyId: c.id, competencyName: c.name, rating: r }] : [];
    });
    if (rated.length) await tx.insert(scorecardRatings).values(rated);
    // The event says that a scorecard came in, never what it says: the history is visible to every member.
    await tx.insert(applicationEvents).values({
      applicationId: v.applicationId,
      actorId: actor.userId,
      kind: SCORECARD_SUBMITTED_EVENT,
      data: { interviewId: v.interviewId, scorecardId: card.id },
      createdAt: now,
    });
    return { scorecardId: card.id };
  });
}

export interface InterviewToScore {
  id: string;
  label: string;
  startsAt: Date;
}

export interface ScorecardPanel {
  kit: Kit;
  /** The viewer's interviews of this application that are waiting for their scorecard. */
  toScore: InterviewToScore[];
  /** Whether the viewer sees every scorecard (else only their own). */
  seesAll: boolean;
  summary: ScorecardSummary;
  submitted: number;
  /** Scorecards submitted by others that the viewer may not read yet. */
  hidden: number;
  /** Colleagues on past interviews whose scorecard is not in yet (names only; the viewer's own is the form above). */
  waitingFor: string[];
}

export async function scorecardPanel(db: Db, actor: KitActor, applicationId: string, load: KitSourceLoader, opts: ClockOpts = {}): Promise<ScorecardPanel> {
  const now = opts.now ?? new Date();
  const app = await orgApplication(db, actor.orgId, applicationId, { jobId: applications.jobId });
  const kit = await ensureKit(db, actor, app.jobId, load);

  const ivs = await db
    .select({
      id: interviews.id,
      kind: interviews.kind,
      customKind: interviews.customKind,
      status: interviews.status,
      startsAt: interviews.startsAt,
      endsAt: interviews.endsAt,
    })
    .from(interviews)
    .where(and(eq(interviews.applicationId, applicationId), eq(interviews.orgId, actor.orgId)))
    .orderBy(asc(interviews.startsAt));
  const ivIds = ivs.map((i) => i.id);
  const seats = ivIds.length
    ? await db
        .select({ interviewId: interviewInterviewers.interviewId, userId: interviewInterviewers.userId, name: users.name })
        .from(interviewInterviewers)
        .innerJoin(users, eq(users.id, interviewInterviewers.userId))
        .where(inArray(interviewInterviewers.interviewId, ivIds))
    : [];
  const cards = await db
    .select({
      id: scorecards.id,
      interviewId: scorecards.interviewId,
      authorId: scorecards.authorId,
      author: users.name,
      overall: scorecards.overall,
      notes: scorecards.notes,
      submittedAt: scorecards.submittedAt,
    })
    .from(scorecards)
    .innerJoin(users, eq(users.id, scorecards.authorId))
    .where(and(eq(scorecards.applicationId, applicationId), eq(scorecards.orgId, actor.orgId)))
    .orderBy(asc(scorecards.submittedAt));

  const has = (interviewId: string, userId: string) => cards.some((c) => c.interviewId === interviewId && c.authorId === userId);
  const byId = new Map(ivs.map((i) => [i.id, i]));
  const mySeats = seats.filter((s) => s.userId === actor.userId).map((s) => byId.get(s.interviewId)!);
  const owed = mySeats.filter((i) => OWING.includes(i.status) && !has(i.id, actor.userId));
  const mine = cards.filter((c) => c.authorId === actor.userId);
  const seesAll = actor.role === 'admin' || (mine.length > 0 && owed.length === 0);
  const visible = seesAll ? cards : mine;

  const ratings = visible.length
    ? await db
        .select({
          scorecardId: scorecardRatings.scorecardId,
          competencyId: scorecardRatings.competencyId,
          competencyName: scorecardRatings.competencyName,
          rating: scorecardRatings.rating,
        })
        .from(scorecardRatings)
        .where(
          inArray(
            scorecardRatings.scorecardId,
            visible.map((c) => c.id),
          ),
        )
        .orderBy(asc(scorecardRatings.position))
    : [];
  const summaryCards: SummaryCard[] = visible.map((c) => {
    const iv = byId.get(c.interviewId);
    return {
      id: c.id,
      author: c.author,
      interview: iv ? interviewName(iv) : 'Interview',
      submittedAt: c.submittedAt,
      overall: c.overall,
      notes: c.notes,
      ratings: ratings.filter((r) => r.scorecardId === c.id),
    };
  });

  const toScore = owed
    .filter((i) => SCORABLE.includes(i.status) && i.startsAt && i.startsAt <= now)
    .map((i) => ({ id: i.id, label: interviewName(i), startsAt: i.startsAt! }));
  const waitingFor = [
    ...new Set(
      seats
        .filter((s) => {
          const i = byId.get(s.interviewId)!;
          return s.userId !== actor.userId && SCORABLE.includes(i.status) && i.endsAt !== null && i.endsAt <= now && !has(i.id, s.userId);
        })
        .map((s) => s.name),
    ),
  ];
  return {
    kit,
    toScore,
    seesAll,
    summary: summarize(kit.competencies, summaryCards),
    submitted: cards.length,
    hidden: cards.length - visible.length,
    waitingFor,
  };
}
