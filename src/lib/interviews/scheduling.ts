import { and, asc, eq, sql } from 'drizzle-orm';
import { rows, type Db, type Tx } from '#db/client';
import { applications, interviewInterviewers, interviewLinks, interviews, interviewSlots } from '#db/schema';
import { INTERVIEW_EVENT_KINDS as EVENT_KINDS } from './events';
import { queueMail, type MailDeps } from '#lib/mail-queue';
import { conflict, invalid, notFound, ServiceError } from '#lib/shared/errors';
import { parseOrThrow } from '#lib/shared/forms';
import { interviewContext, teamOf, type InterviewContext } from './context';
import { everyone, invitation, otherTimesEmail, scheduledEmail } from './emails';
import { interviewEvent } from './history';
import { hashOf, linkState, TOKEN_RE, type LinkRow, type LinkState } from './links';
import { otherTimesSchema, pickSchema, type OtherTimesInput, type PickInput } from './schema';
import type { ClockOpts } from '#lib/shared/clock';

/**
 * The candidate's side, reached through the emailed link without signing in: see the offered
 * times, pick one, or ask for other times. A pick is one transaction that makes the interview
 * scheduled and writes the interviewers' busy ranges; the database's exclusion constraint
 * (interview_interviewers_no_overlap) refuses a second booking that overlaps for any interviewer,
 * whichever process tries, so of two candidates picking overlapping times for the same interviewer
 * at once exactly one wins and the other is shown the times still free.
 */
const DAY_MS = 24 * 3600_000;

export interface SlotView {
  id: string;
  startsAt: Date;
  endsAt: Date;
  /** Still possible: ahead of now, and no interviewer is booked elsewhere at that time. */
  free: boolean;
}

export type LinkView =
  | { state: 'unknown' }
  | {
      state: LinkState;
      interview: InterviewContext['interview'];
      candidateName: string;
      jobTitle: string;
      orgName: string;
      interviewers: string[];
      slots: SlotView[];
      expiresAt: Date;
    };

async function findLink(db: Pick<Db, 'select'>, token: string, lock = false): Promise<LinkRow | null> {
  if (!TOKEN_RE.test(token)) return null;
  const q = db
    .select()
    .from(interviewLinks)
    .where(eq(interviewLinks.tokenHash, hashOf(token)))
    .limit(1);
  const [l] = lock ? await q.for('update') : await q;
  return l ?? null;
}

/** The interview's proposed times, each with whether it can still be picked. */
export async function slotAvailability(db: Db, interviewId: string, now: Date): Promise<SlotView[]> {
  const r = await rows<{ id: string; starts_at: Date | string; ends_at: Date | string; taken: boolean }>(
    db,
    sql`select s.id, s.starts_at, s.ends_at, exists (
          select 1 from ${interviewInterviewers} mine
          join ${interviewInterviewers} other on other.user_id = mine.user_id and other.interview_id <> mine.interview_id
          where mine.interview_id = s.interview_id and other.busy_from < s.ends_at and other.busy_until > s.starts_at
        ) as taken
        from ${interviewSlots} s where s.interview_id = ${interviewId} order by s.starts_at`,
  );
  return r.map((x) => {
    const startsAt = new Date(x.starts_at);
    return { id: x.id, startsAt, endsAt: new Date(x.ends_at), free: !x.taken && startsAt > now };
  });
}

/** What the scheduling page shows for a token; `unknown` for anything that is not a live link's token. */
export async function linkView(db: Db, token: string, now = new Date()): Promise<LinkView> {
  const link = await findLink(db, token);
  if (!link) return { state: 'unknown' };
  const c = await interviewContext(db, link.interviewId);
  if (!c || c.interview.applicationId !== link.applicationId) return { state: 'unknown' };
  let state = linkState(link, now);
  // A cancelled or otherwise closed interview, or a withdrawn or rejected application, ends the link whatever its dates say.
  if (state === 'active' && (c.interview.status !== 'proposed' || (await applicationClosed(db, link.applicationId)))) state = 'revoked';
  return {
    state,
    interview: c.interview,
    candidateName: c.candidate.name,
    jobTitle: c.job.title,
    orgName: c.orgName,
    interviewers: c.interviewers.map((p) => p.name),
    slots: await slotAvailability(db, c.interview.id, now),
    expiresAt: link.expiresAt,
  };
}

/** Withdrawn or rejected: nothing left to schedule. */
async function applicationClosed(db: Pick<Db, 'select'>, applicationId: string): Promise<boolean> {
  const [a] = await db.select({ stage: applications.stage }).from(applications).where(eq(applications.id, applicationId));
  return !a || a.stage === 'withdrawn' || a.stage === 'rejected';
}

const LINK_MESSAGES: Record<Exclude<LinkState, 'active'>, string> = {
  expired: 'This scheduling link has expired. Ask the hiring team for new times.',
  used: 'A time was already picked with this link. Your confirmation email has the details.',
  revoked: 'This link no longer works: the hiring team proposed new times (see your newest email) or cancelled the interview.',
};

/** The live link and its interview, locked, or the refusal a person can act on. */
async function useLink(tx: Tx, token: string, now: Date) {
  const link = await findLink(tx, token, true);
  if (!link) throw notFound();
  const state = linkState(link, now);
  if (state !== 'active') throw conflict(LINK_MESSAGES[state]);
  const [iv] = await tx
    .select()
    .from(interviews)
    .where(and(eq(interviews.id, link.interviewId), eq(interviews.applicationId, link.applicationId)))
    .for('update');
  if (!iv) throw notFound();
  if (iv.status !== 'proposed' || (await applicationClosed(tx, iv.applicationId))) throw conflict(LINK_MESSAGES.revoked);
  return { link, iv };
}

const TAKEN_MESSAGE =
  'Sorry, that time was just taken: an interviewer was booked for it a moment ago. Choose one of the times still free below, or ask for other times.';

/** Postgres' exclusion_violation, however the driver wraps it. */
function isExclusionViolation(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === '23P01') return true;
  }
  return false;
}

/** The candidate picks one of the offered times; everyone gets the calendar invitation. */
export async function pickSlot(db: Db, mail: MailDeps, raw: PickInput, opts: ClockOpts = {}): Promise<{ interviewId: string; startsAt: Date }> {
  const v = parseOrThrow(pickSchema, raw);
  const now = opts.now ?? new Date();
  try {
    return await db.transaction(async (tx) => {
      const { link, iv } = await useLink(tx, v.token, now);
      if (iv.version !== v.version) throw conflict('The hiring team changed the times since you opened this page. Choose from the times below.');
      const [slot] = await tx
        .select()
        .from(interviewSlots)
        .where(and(eq(interviewSlots.id, v.slotId), eq(interviewSlots.interviewId, iv.id)));
      if (!slot) throw invalid('Choose one of the times offered on this page.', { slotId: ['Choose one of the times offered.'] });
      if (slot.startsAt <= now) throw conflict('That time has already passed. Choose a later one, or ask for other times.');
      const free = (await slotAvailability(tx, iv.id, now)).find((s) => s.id === slot.id)?.free;
      if (!free) throw conflict(TAKEN_MESSAGE);
      const sequence = iv.invitedAt ? iv.icsSequence + 1 : iv.icsSequence;
      const rescheduled = iv.invitedAt !== null;
      await tx
        .update(interviews)
        .set({
          status: 'scheduled',
          startsAt: slot.startsAt,
          endsAt: slot.endsAt,
          icsSequence: sequence,
          invitedAt: iv.invitedAt ?? now,
          // Picked less than a day ahead: the invitation itself is the reminder.
          reminderSentAt: slot.startsAt.getTime() - now.getTime() <= DAY_MS ? now : null,
          otherTimesNote: null,
          otherTimesAt: null,
          version: sql`${interviews.version} + 1`,
          updatedAt: now,
        })
        .where(eq(interviews.id, iv.id));
      // The exclusion constraint decides here, in the database, for every process at once.
      await tx.update(interviewInterviewers).set({ busyFrom: slot.startsAt, busyUntil: slot.endsAt }).where(eq(interviewInterviewers.interviewId, iv.id));
      await tx.update(interviewLinks).set({ usedAt: now }).where(eq(interviewLinks.id, link.id));
      const c = (await interviewContext(tx, iv.id))!;
      await interviewEvent(tx, iv, {
        kind: EVENT_KINDS.interviewScheduled,
        actorId: null,
        now,
        data: { at: slot.startsAt.toISOString(), zone: iv.timeZone, sequence },
      });
      const ics = invitation(c, { siteUrl: mail.siteUrl, method: 'REQUEST', sequence, stamp: now });
      for (const p of everyone(c)) await queueMail(tx, scheduledEmail(c, p, ics, mail.siteUrl, rescheduled));
      return { interviewId: iv.id, startsAt: slot.startsAt };
    });
  } catch (err) {
    if (err instanceof ServiceError) throw err;
    if (isExclusionViolation(err)) throw conflict(TAKEN_MESSAGE);
    throw err;
  }
}

/** None of the times suit the candidate: the note goes to the team, the link stays usable. */
export async function askOtherTimes(db: Db, mail: MailDeps, raw: OtherTimesInput, opts: ClockOpts = {}): Promise<{ interviewId: string }> {
  const v = parseOrThrow(otherTimesSchema, raw);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const { iv } = await useLink(tx, v.token, now);
    await tx
      .update(interviews)
      .set({ otherTimesNote: v.note, otherTimesAt: now, version: sql`${interviews.version} + 1`, updatedAt: now })
      .where(eq(interviews.id, iv.id));
    const c = (await interviewContext(tx, iv.id))!;
    await interviewEvent(tx, iv, { kind: EVENT_KINDS.interviewOtherTimes, actorId: null, now, data: { note: v.note } });
    for (const p of teamOf(c)) await queueMail(tx, otherTimesEmail(c, p, v.note, mail.siteUrl));
    return { interviewId: iv.id };
  });
}

/** The candidate's own interviews of one application (their account page). */
export async function interviewsForCandidate(db: Db, candidateId: string, applicationId: string) {
  const list = await db
    .select({ interview: interviews })
    .from(interviews)
    .innerJoin(applications, eq(applications.id, interviews.applicationId))
    .where(and(eq(interviews.applicationId, applicationId), eq(applications.candidateId, candidateId)))
    .orderBy(asc(interviews.createdAt));
  return list.map((r) => r.interview);
}
