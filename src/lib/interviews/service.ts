import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Tx } from '#db/client';
import { orgApplication } from '#lib/application-context';
import { applications, interviewInterviewers, interviews, interviewSlots, members } from '#db/schema';
import { INTERVIEW_EVENT_KINDS as EVENT_KINDS } from './events';
import { INTERVIEW_SCHEDULERS } from '#lib/domain/roles';
import { queueMail, type MailDeps } from '#lib/mail-queue';
import { absolute, paths } from '#lib/paths';
import { conflict, forbidden, invalid, notFound } from '#lib/shared/errors';
import type { ClockOpts } from '#lib/shared/clock';
import { parseOrThrow } from '#lib/shared/forms';
import { lockOrgRow } from '#lib/shared/org-rows';
import { interviewContext, type InterviewActor, type InterviewContext, type InterviewRow } from './context';
import { cancelledEmail, chooseTimeEmail, everyone, invitation } from './emails';
import { interviewEvent } from './history';
import { issueLink, revokeLinks } from './links';
import {
  cancelSchema,
  outcomeSchema,
  proposeSchema,
  rescheduleSchema,
  type CancelInput,
  type OutcomeInput,
  type ProposeInput,
  type RescheduleInput,
} from './schema';
import { fromLocal } from './times';

/**
 * The hiring team's side of interviews: propose times, propose new ones (reschedule), cancel,
 * record the outcome. Each change is one transaction that checks the version the member saw,
 * appends its application event and queues its emails (and calendar files).
 */

function maySchedule(actor: InterviewActor): void {
  if (!INTERVIEW_SCHEDULERS.includes(actor.role)) throw forbidden();
}

/** "2027-03-15T10:00" × n in `zone` → future instants, or field errors on `slots`. */
function toSlots(values: string[], zone: string, minutes: number, now: Date): { startsAt: Date; endsAt: Date }[] {
  const out: { startsAt: Date; endsAt: Date }[] = [];
  const seen = new Set<number>();
  for (const v of values) {
    const r = fromLocal(v, zone);
    if (!r.ok) throw invalid(r.message, { slots: [r.message] });
    if (r.at <= now) throw invalid('Propose times that are still ahead.', { slots: ['Propose times that are still ahead.'] });
    if (seen.has(r.at.getTime())) continue;
    seen.add(r.at.getTime());
    out.push({ startsAt: r.at, endsAt: new Date(r.at.getTime() + minutes * 60_000) });
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

async function need(tx: Tx, id: string): Promise<InterviewContext> {
  const c = await interviewContext(tx, id);
  if (!c) throw notFound();
  return c;
}

async function sendChooseTime(tx: Tx, mail: MailDeps, c: InterviewContext, slots: { startsAt: Date }[], now: Date, again: boolean) {
  const { token, expiresAt } = await issueLink(tx, c.interview, slots, now);
  await queueMail(tx, chooseTimeEmail(c, slots, absolute(mail.siteUrl, paths.interviewSchedule(token)), expiresAt, again));
  return token;
}

export interface ProposeResult {
  interviewId: string;
  /** The scheduling link's token (also in the candidate's email); returned for tests and logs of nothing else. */
  token: string;
}

/** A new interview for an application, with up to five times; the candidate is emailed a link to pick one. */
export async function proposeInterview(db: Db, mail: MailDeps, actor: InterviewActor, raw: ProposeInput, opts: ClockOpts = {}): Promise<ProposeResult> {
  maySchedule(actor);
  const v = parseOrThrow(proposeSchema, raw);
  const now = opts.now ?? new Date();
  const slots = toSlots(v.slots, v.timeZone, v.durationMinutes, now);
  return db.transaction(async (tx) => {
    const app = await orgApplication(tx, actor.orgId, v.applicationId, { stage: applications.stage });
    if (app.stage === 'withdrawn' || app.stage === 'rejected' || app.stage === 'hired')
      throw conflict(`This application is ${app.stage}; reopen it before scheduling an interview.`);
    const ids = [...new Set(v.interviewerIds)];
    const found = await tx
      .select({ userId: members.userId })
      .from(members)
      .where(and(eq(members.orgId, actor.orgId), inArray(members.userId, ids)));
    if (found.length !== ids.length)
      throw invalid('Interviewers must be members of your organization.', { interviewerIds: ['Choose interviewers from your organization.'] });
    const [iv] = await tx
      .insert(interviews)
      .values({
        orgId: actor.orgId,
        applicationId: v.applicationId,
        kind: v.kind,
        customKind: v.kind === 'custom' ? v.customKind : null,
        durationMinutes: v.durationMinutes,
        place: v.place,
        placeDetail: v.placeDetail,
        timeZone: v.timeZone,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: interviews.id });
    await tx.insert(interviewInterviewers).values(ids.map((userId) => ({ interviewId: iv!.id, userId })));
    await tx.insert(interviewSlots).values(slots.map((s) => ({ interviewId: iv!.id, ...s })));
    const c = await need(tx, iv!.id);
    await interviewEvent(tx, c.interview, { kind: EVENT_KINDS.interviewProposed, actorId: actor.userId, now, data: { slots: slots.length, zone: v.timeZone } });
    const token = await sendChooseTime(tx, mail, c, slots, now, false);
    return { interviewId: iv!.id, token };
  });
}

/** The interview of the actor's organization, locked, at the version the member saw. */
async function lockOwned(tx: Tx, actor: InterviewActor, interviewId: string, version: number): Promise<InterviewRow> {
  const iv = await lockOrgRow(tx, interviews, actor.orgId, interviewId);
  if (iv.version !== version)
    throw conflict(
      'Someone else changed this interview since you opened the page (the candidate may have picked a time). Nothing was changed; the page shows it now.',
    );
  return iv;
}

/**
 * A member's change to an existing interview: they may schedule, the input is valid, and `change` runs in
 * one transaction on the interview of their organization, locked at the version they saw.
 */
async function changeInterview<S extends z.ZodType<{ interviewId: string; version: number }>, R>(
  db: Db,
  actor: InterviewActor,
  schema: S,
  raw: unknown,
  opts: ClockOpts,
  change: (tx: Tx, iv: InterviewRow, v: z.output<S>, now: Date) => Promise<R>,
): Promise<R> {
  maySchedule(actor);
  const v = parseOrThrow(schema, raw);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => change(tx, await lockOwned(tx, actor, v.interviewId, v.version), v, now));
}

/** The time an event about an existing interview records: when it was (null while only proposed) and its zone. */
const timeOf = (iv: InterviewRow) => ({ at: iv.startsAt?.toISOString() ?? null, zone: iv.timeZone });

/** The compare-and-set a change ends with: `set`, the next version and the time, on the version the member saw (locked by lockOwned). */
async function saveChange(tx: Tx, iv: InterviewRow, now: Date, set: Partial<InterviewRow>): Promise<{ version: number }> {
  const [row] = await tx
    .update(interviews)
    .set({ ...set, version: sql`${interviews.version} + 1`, updatedAt: now })
    .where(and(eq(interviews.id, iv.id), eq(interviews.version, iv.version)))
    .returning({ version: interviews.version });
  return { version: row!.version };
}

async function clearBusy(tx: Tx, interviewId: string) {
  await tx.update(interviewInterviewers).set({ busyFrom: null, busyUntil: null }).where(eq(interviewInterviewers.interviewId, interviewId));
}

/**
 * New times for a proposed or scheduled interview: it goes back to `proposed`, the interviewers'
 * time is freed, earlier links stop working and the candidate gets a new one. A calendar entry
 * already sent stays until the candidate picks; that invitation has the same UID and SEQUENCE + 1,
 * so calendars move the entry instead of adding a second one.
 */
export async function rescheduleInterview(
  db: Db,
  mail: MailDeps,
  actor: InterviewActor,
  raw: RescheduleInput,
  opts: ClockOpts = {},
): Promise<{ version: number }> {
  return changeInterview(db, actor, rescheduleSchema, raw, opts, async (tx, iv, v, now) => {
    if (iv.status !== 'proposed' && iv.status !== 'scheduled') throw conflict(`This interview is ${iv.status.replace('_', '-')}; schedule a new one instead.`);
    const slots = toSlots(v.slots, iv.timeZone, iv.durationMinutes, now);
    // starts_at/ends_at keep the time already on calendars (if any): a cancel before the next pick withdraws it.
    const saved = await saveChange(tx, iv, now, { status: 'proposed', reminderSentAt: null, otherTimesNote: null, otherTimesAt: null });
    await clearBusy(tx, iv.id);
    await tx.delete(interviewSlots).where(eq(interviewSlots.interviewId, iv.id));
    await tx.insert(interviewSlots).values(slots.map((s) => ({ interviewId: iv.id, ...s })));
    const c = await need(tx, iv.id);
    await interviewEvent(tx, iv, {
      kind: EVENT_KINDS.interviewRescheduled,
      actorId: actor.userId,
      now,
      data: { slots: slots.length, zone: iv.timeZone, was: iv.startsAt?.toISOString() ?? null },
    });
    await sendChooseTime(tx, mail, c, slots, now, true);
    return saved;
  });
}

/** Cancels a proposed or scheduled interview; if invitations went out, everyone gets METHOD:CANCEL for the same UID. */
export async function cancelInterview(db: Db, mail: MailDeps, actor: InterviewActor, raw: CancelInput, opts: ClockOpts = {}): Promise<{ version: number }> {
  return changeInterview(db, actor, cancelSchema, raw, opts, async (tx, iv, _v, now) => {
    if (iv.status !== 'proposed' && iv.status !== 'scheduled') throw conflict(`This interview is already ${iv.status.replace('_', '-')}.`);
    // A calendar entry exists only if an invitation was sent and the time has not been replaced by new proposals since.
    const onCalendars = iv.invitedAt !== null && iv.startsAt !== null;
    const sequence = onCalendars ? iv.icsSequence + 1 : iv.icsSequence;
    const saved = await saveChange(tx, iv, now, { status: 'cancelled', icsSequence: sequence });
    await clearBusy(tx, iv.id);
    await revokeLinks(tx, iv.id, now);
    const c = await need(tx, iv.id);
    await interviewEvent(tx, iv, { kind: EVENT_KINDS.interviewCancelled, actorId: actor.userId, now, data: timeOf(iv) });
    if (onCalendars) {
      const ics = invitation(c, { siteUrl: mail.siteUrl, method: 'CANCEL', sequence, stamp: now });
      for (const p of everyone(c)) await queueMail(tx, cancelledEmail(c, p, ics));
    } else {
      await queueMail(tx, cancelledEmail(c, c.candidate, null));
    }
    return saved;
  });
}

/** Records that a scheduled interview took place, or that the candidate did not come; only once it has started. */
export async function recordOutcome(db: Db, actor: InterviewActor, raw: OutcomeInput, opts: ClockOpts = {}): Promise<{ version: number }> {
  return changeInterview(db, actor, outcomeSchema, raw, opts, async (tx, iv, v, now) => {
    if (iv.status !== 'scheduled') throw conflict('Only a scheduled interview can be marked completed or no-show.');
    if (iv.startsAt && iv.startsAt > now) throw conflict('This interview has not started yet; mark it once it has.');
    const saved = await saveChange(tx, iv, now, { status: v.outcome });
    await clearBusy(tx, iv.id);
    const kind = v.outcome === 'completed' ? EVENT_KINDS.interviewCompleted : EVENT_KINDS.interviewNoShow;
    await interviewEvent(tx, iv, { kind, actorId: actor.userId, now, data: timeOf(iv) });
    return saved;
  });
}
