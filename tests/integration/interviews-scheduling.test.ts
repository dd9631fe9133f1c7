import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows, type Db } from '#db/client';
import { applicationEvents, applications, interviewInterviewers, interviews, mailOutbox } from '#db/schema';
import type { TeamActor } from '#lib/applications/access';
import { eventText } from '#lib/applications/event-text';
import { sendDueReminders } from '#lib/interviews/reminders';
import { askOtherTimes, interviewsForCandidate, linkView, pickSlot } from '#lib/interviews/scheduling';
import { cancelInterview, proposeInterview, recordOutcome, rescheduleInterview } from '#lib/interviews/service';
import { interviewsForTeam } from '#lib/interviews/queries';
import { makeJob, makeMember, makeTeam, makeUser, type Team } from '../helpers/factories';
import { parseIcs } from '../helpers/ics';
import { fakeMail, queuedMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { type TestDb, useTestDb, usePgliteDb } from '../helpers/test-db';

/**
 * Scheduling interviews through the services, on PostgreSQL and on PGlite: propose → the emailed
 * link → pick (scheduled, interviewers busy, invitations) → reschedule (same UID, SEQUENCE + 1) →
 * cancel (METHOD:CANCEL); the link's refusals; asking for other times; the reminder sent once.
 */
const NOW = new Date('2027-03-08T15:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const H = 3600_000;

async function setup(db: Db) {
  const team = await makeTeam(db);
  const job = await makeJob(db, team.org.id, { state: 'PA' });
  const candidate = await makeUser(db, { name: 'Dana Whitfield' });
  const [app] = await db.insert(applications).values({ jobId: job.id, candidateId: candidate.id }).returning({ id: applications.id });
  return { team, job, candidate, applicationId: app!.id, mgr: team.actors.hiring_manager as TeamActor };
}

function proposal(applicationId: string, team: Team, slots: string[], over: Record<string, unknown> = {}) {
  return {
    applicationId,
    kind: 'clinical_interview' as const,
    durationMinutes: 60,
    place: 'video' as const,
    placeDetail: 'https://meet.example.org/abc',
    timeZone: 'America/New_York',
    interviewerIds: [team.hiringManager.id],
    slots,
    ...over,
  };
}

const tokenOf = (link: string) => link.split('/').at(-1)!;

function schedulingFacts(h: TestDb) {
  it('propose → link → pick: scheduled at the right instant, interviewers busy, invitations to everyone, events written', async () => {
    const mail = fakeMail(h.db);
    const s = await setup(h.db);
    const { interviewId } = await proposeInterview(h.db, mail, s.mgr, proposal(s.applicationId, s.team, ['2027-03-15T10:00', '2027-03-12T10:00', '']), {
      now: NOW,
    });
    const email = await mail.last(s.candidate.email);
    expect(email!.subject).toMatch(/Choose a time for your clinical interview/);
    expect(email!.text).toContain('Eastern Time (America/New_York)');
    const link = mail.linkIn(email);
    expect(link).toMatch(/^http:\/\/jobs\.test\/interviews\/schedule\/[a-z2-7]{32}$/);
    const token = tokenOf(link);

    const view = await linkView(h.db, token, NOW);
    if (view.state === 'unknown') throw new Error('unknown link');
    expect(view.state).toBe('active');
    // Sorted, and 10 AM Eastern is 15:00Z before the DST change and 14:00Z after.
    expect(view.slots.map((x) => x.startsAt.toISOString())).toEqual(['2027-03-12T15:00:00.000Z', '2027-03-15T14:00:00.000Z']);
    expect(view.slots.every((x) => x.free)).toBe(true);

    const picked = view.slots[1]!;
    await pickSlot(h.db, mail, { token, slotId: picked.id, version: view.interview.version }, { now: NOW });
    const [iv] = await h.db.select().from(interviews).where(eq(interviews.id, interviewId));
    expect(iv).toMatchObject({ status: 'scheduled', icsSequence: 0 });
    expect(iv!.startsAt!.toISOString()).toBe('2027-03-15T14:00:00.000Z');
    const [busy] = await h.db.select().from(interviewInterviewers).where(eq(interviewInterviewers.interviewId, interviewId));
    expect(busy!.busyFrom!.toISOString()).toBe('2027-03-15T14:00:00.000Z');
    expect(busy!.busyUntil!.toISOString()).toBe('2027-03-15T15:00:00.000Z');

    const invites = (await queuedMail(h.db)).filter((m) => m.attachments?.length);
    expect(new Set(invites.map((m) => m.to))).toEqual(new Set([s.candidate.email, s.team.hiringManager.email]));
    const teamMail = invites.find((m) => m.to === s.team.hiringManager.email)!;
    expect(teamMail.subject).toMatch(/Dana Whitfield picked/);
    const att = teamMail.attachments![0]!;
    expect(att.contentType).toBe('text/calendar; charset=utf-8; method=REQUEST');
    const ics = parseIcs(att.content);
    expect(ics).toMatchObject({ method: 'REQUEST', sequence: 0, tzid: 'America/New_York', localStart: '10:00' });
    expect(ics.start.toISOString()).toBe('2027-03-15T14:00:00.000Z');
    expect(ics.attendees.map((a) => a.toLowerCase())).toEqual(
      expect.arrayContaining([`mailto:${s.candidate.email}`.toLowerCase(), `mailto:${s.team.hiringManager.email}`.toLowerCase()]),
    );

    const events = await h.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, s.applicationId));
    const texts = events.map((e) => eventText(e));
    expect(texts).toContain('Proposed 2 times for a clinical interview');
    expect(texts.some((t) => /The candidate picked Mar 15, 10:00 AM EDT for the clinical interview/.test(t))).toBe(true);

    // The candidate's own account page lists it; another user sees nothing.
    expect((await interviewsForCandidate(h.db, s.candidate.id, s.applicationId)).map((i) => i.status)).toEqual(['scheduled']);
    expect(await interviewsForCandidate(h.db, s.team.recruiter.id, s.applicationId)).toEqual([]);

    // The link is used up: a second pick is refused with a message, the page says so.
    await expect(pickSlot(h.db, mail, { token, slotId: view.slots[0]!.id, version: view.interview.version + 1 }, { now: NOW })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/already picked/),
    });
    expect((await linkView(h.db, token, NOW)).state).toBe('used');
  });

  it('reschedule: new link (the old one dead), the new pick keeps the UID with SEQUENCE + 1; cancel sends METHOD:CANCEL; outcomes only once started', async () => {
    const mail = fakeMail(h.db);
    const s = await setup(h.db);
    const { interviewId } = await proposeInterview(h.db, mail, s.team.actors.recruiter, proposal(s.applicationId, s.team, ['2027-03-15T10:00']), { now: NOW });
    const first = tokenOf(mail.linkIn(await mail.last(s.candidate.email)));
    const v1 = await linkView(h.db, first, NOW);
    if (v1.state === 'unknown') throw new Error('unknown');
    await pickSlot(h.db, mail, { token: first, slotId: v1.slots[0]!.id, version: v1.interview.version }, { now: NOW });
    const firstIcs = parseIcs((await mail.last(s.candidate.email))!.attachments![0]!.content);

    const [iv] = await h.db.select().from(interviews).where(eq(interviews.id, interviewId));
    // A stale version is refused and changes nothing.
    await expect(
      rescheduleInterview(h.db, mail, s.mgr, { interviewId, version: iv!.version - 1, slots: ['2027-03-16T09:00'] }, { now: NOW }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await rescheduleInterview(h.db, mail, s.mgr, { interviewId, version: iv!.version, slots: ['2027-03-16T09:00', '2027-03-17T09:00'] }, { now: NOW });
    const [busy] = await h.db.select().from(interviewInterviewers).where(eq(interviewInterviewers.interviewId, interviewId));
    expect(busy!.busyFrom).toBeNull();
    const again = await mail.last(s.candidate.email);
    expect(again!.subject).toMatch(/^New times/);
    const second = tokenOf(mail.linkIn(again));
    expect((await linkView(h.db, first, NOW)).state).toBe('used');
    const v2 = await linkView(h.db, second, NOW);
    if (v2.state === 'unknown') throw new Error('unknown');
    await pickSlot(h.db, mail, { token: second, slotId: v2.slots[0]!.id, version: v2.interview.version }, { now: NOW });
    const moved = await mail.last(s.candidate.email);
    expect(moved!.subject).toMatch(/^Updated/);
    const movedIcs = parseIcs(moved!.attachments![0]!.content);
    expect(movedIcs.uid).toBe(firstIcs.uid);
    expect([firstIcs.sequence, movedIcs.sequence]).toEqual([0, 1]);
    expect(movedIcs.start.toISOString()).toBe('2027-03-16T13:00:00.000Z');

    const [cur] = await h.db.select().from(interviews).where(eq(interviews.id, interviewId));
    // Not yet started: cannot be marked.
    await expect(recordOutcome(h.db, s.mgr, { interviewId, version: cur!.version, outcome: 'completed' }, { now: NOW })).rejects.toMatchObject({
      code: 'conflict',
    });
    await cancelInterview(h.db, mail, s.mgr, { interviewId, version: cur!.version }, { now: NOW });
    const cancels = (await queuedMail(h.db)).filter((m) => m.attachments?.some((a) => a.contentType.includes('method=CANCEL')));
    expect(new Set(cancels.map((m) => m.to))).toEqual(new Set([s.candidate.email, s.team.hiringManager.email, s.team.recruiter.email]));
    const cancelIcs = parseIcs(cancels[0]!.attachments![0]!.content);
    expect(cancelIcs).toMatchObject({ method: 'CANCEL', uid: firstIcs.uid, sequence: 2, status: 'CANCELLED' });
    const [gone] = await h.db.select().from(interviewInterviewers).where(eq(interviewInterviewers.interviewId, interviewId));
    expect(gone!.busyFrom).toBeNull();
  });

  it('refuses links that are expired, unknown, or aimed at another interview’s time; asking for other times tells the team', async () => {
    const mail = fakeMail(h.db);
    const s = await setup(h.db);
    const panelist = await makeMember(h.db, s.team.org.id, 'admin', 'Pat Panel');
    await proposeInterview(
      h.db,
      mail,
      s.mgr,
      proposal(s.applicationId, s.team, ['2027-03-15T10:00'], { interviewerIds: [s.team.hiringManager.id, panelist.id] }),
      { now: NOW },
    );
    const token = tokenOf(mail.linkIn(await mail.last(s.candidate.email)));
    // A second interview (another application): its slot cannot be picked with the first link.
    const other = await makeUser(h.db);
    const [app2] = await h.db.insert(applications).values({ jobId: s.job.id, candidateId: other.id }).returning({ id: applications.id });
    await proposeInterview(h.db, mail, s.mgr, proposal(app2!.id, s.team, ['2027-03-18T10:00']), { now: NOW });
    const otherView = await linkView(h.db, tokenOf(mail.linkIn(await mail.last(other.email))), NOW);
    if (otherView.state === 'unknown') throw new Error('unknown');
    const view = await linkView(h.db, token, NOW);
    if (view.state === 'unknown') throw new Error('unknown');
    await expect(pickSlot(h.db, mail, { token, slotId: otherView.slots[0]!.id, version: view.interview.version }, { now: NOW })).rejects.toMatchObject({
      code: 'invalid',
    });
    // Unknown and malformed tokens: not found.
    expect((await linkView(h.db, 'a'.repeat(32), NOW)).state).toBe('unknown');
    await expect(pickSlot(h.db, mail, { token: 'nope', slotId: view.slots[0]!.id, version: 1 }, { now: NOW })).rejects.toMatchObject({ code: 'not_found' });
    // Expired: the link lives until the last proposed time starts.
    const after = later(8 * 24 * H);
    expect((await linkView(h.db, token, after)).state).toBe('expired');
    await expect(pickSlot(h.db, mail, { token, slotId: view.slots[0]!.id, version: view.interview.version }, { now: after })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/expired/),
    });
    // Other times: the note reaches every interviewer, the link still works.
    await askOtherTimes(h.db, mail, { token, note: 'Tuesdays after 3 PM work best.' }, { now: NOW });
    for (const p of [s.team.hiringManager, panelist]) {
      const m = await mail.last(p.email);
      expect(m!.subject).toBe('Dana Whitfield asked for other times for the clinical interview');
      expect(m!.text).toContain('Tuesdays after 3 PM work best.');
    }
    const team = await interviewsForTeam(h.db, s.mgr, s.applicationId, NOW);
    expect(team.interviews[0]!.interview.otherTimesNote).toBe('Tuesdays after 3 PM work best.');
    expect(team.defaultZone).toBe('America/New_York');
    expect((await linkView(h.db, token, NOW)).state).toBe('active');
    // The candidate withdraws: the link stops working.
    await h.db.update(applications).set({ stage: 'withdrawn' }).where(eq(applications.id, s.applicationId));
    expect((await linkView(h.db, token, NOW)).state).toBe('revoked');
    await expect(pickSlot(h.db, mail, { token, slotId: view.slots[0]!.id, version: view.interview.version + 1 }, { now: NOW })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('checks the team: interviewers must be members, another organization gets not-found, bad times are refused on the field', async () => {
    const mail = fakeMail(h.db);
    const s = await setup(h.db);
    const stranger = await makeUser(h.db);
    await expect(
      proposeInterview(h.db, mail, s.mgr, proposal(s.applicationId, s.team, ['2027-03-15T10:00'], { interviewerIds: [stranger.id] }), { now: NOW }),
    ).rejects.toMatchObject({
      code: 'invalid',
      fields: { interviewerIds: [expect.any(String)] },
    });
    const b = await makeTeam(h.db);
    await expect(proposeInterview(h.db, mail, b.actors.admin, proposal(s.applicationId, b, ['2027-03-15T10:00']), { now: NOW })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(proposeInterview(h.db, mail, s.mgr, proposal(s.applicationId, s.team, ['2027-03-14T02:30']), { now: NOW })).rejects.toMatchObject({
      code: 'invalid',
      fields: { slots: [expect.stringMatching(/does not exist/)] },
    });
    await expect(proposeInterview(h.db, mail, s.mgr, proposal(s.applicationId, s.team, ['2027-03-01T10:00']), { now: NOW })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(proposeInterview(h.db, mail, s.mgr, proposal(s.applicationId, s.team, Array(6).fill('2027-03-15T10:00')), { now: NOW })).rejects.toMatchObject(
      { code: 'invalid' },
    );
    expect(await h.db.select().from(interviews).where(eq(interviews.applicationId, s.applicationId))).toEqual([]);
  });

  it('sends the 24-hour reminder exactly once, even with two sweeps at the same moment', async () => {
    const mail = fakeMail(h.db);
    const s = await setup(h.db);
    await proposeInterview(h.db, mail, s.mgr, proposal(s.applicationId, s.team, ['2027-03-15T10:00']), { now: NOW });
    const token = tokenOf(mail.linkIn(await mail.last(s.candidate.email)));
    const v = await linkView(h.db, token, NOW);
    if (v.state === 'unknown') throw new Error('unknown');
    await pickSlot(h.db, mail, { token, slotId: v.slots[0]!.id, version: v.interview.version }, { now: NOW });
    const count = async () =>
      (
        await h.db
          .select()
          .from(mailOutbox)
          .where(and(eq(mailOutbox.toAddress, s.candidate.email)))
      ).filter((m) => m.subject.startsWith('Reminder')).length;
    expect(await sendDueReminders(h.db, { now: NOW })).toBe(0);
    const dayBefore = new Date('2027-03-14T15:00:00Z');
    const runs = await Promise.all([sendDueReminders(h.db, { now: dayBefore }), sendDueReminders(h.db, { now: dayBefore })]);
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(await sendDueReminders(h.db, { now: later(6 * 24 * H) })).toBe(0);
    expect(await count()).toBe(1);
    // Across every interview the two sweeps reminded (earlier tests' too), no one got a reminder twice.
    const reminders = (await queuedMail(h.db)).filter((m) => m.subject.startsWith('Reminder')).map((m) => `${m.to} ${m.subject}`);
    expect(new Set(reminders).size).toBe(reminders.length);
  });
}

describe.skipIf(!hasPostgres)(`interview scheduling on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb({ max: 6 });
  schedulingFacts(h);

  it('two candidates pick overlapping times for the same interviewer at the same moment: one wins, the other is told and shown what is still free', async () => {
    const s = await setup(h.db);
    const mail = fakeMail(h.db);
    const other = await makeUser(h.db, { name: 'Rae Other' });
    const [app2] = await h.db.insert(applications).values({ jobId: s.job.id, candidateId: other.id }).returning({ id: applications.id });
    // Both interviews need the hiring manager; 10:00–11:00 and 10:30–11:30 overlap, and the second offers 14:00 too.
    await proposeInterview(h.db, mail, s.mgr, proposal(s.applicationId, s.team, ['2027-03-15T10:00']), { now: NOW });
    const t1 = tokenOf(mail.linkIn(await mail.last(s.candidate.email)));
    await proposeInterview(h.db, mail, s.mgr, proposal(app2!.id, s.team, ['2027-03-15T10:30', '2027-03-15T14:00']), { now: NOW });
    const t2 = tokenOf(mail.linkIn(await mail.last(other.email)));
    const v1 = await linkView(h.db, t1, NOW);
    const v2 = await linkView(h.db, t2, NOW);
    if (v1.state === 'unknown' || v2.state === 'unknown') throw new Error('unknown');
    // Two pools: two processes' worth of connections, each pick in its own transaction.
    const [a, b] = await Promise.all([h.connect({ max: 1 }), h.connect({ max: 1 })]);
    {
      const results = await Promise.allSettled([
        pickSlot(a.db, mail, { token: t1, slotId: v1.slots[0]!.id, version: v1.interview.version }, { now: NOW }),
        pickSlot(b.db, mail, { token: t2, slotId: v2.slots[0]!.id, version: v2.interview.version }, { now: NOW }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toMatchObject({ code: 'conflict', message: expect.stringMatching(/just taken/) });
    }
    const busy = await h.db.select().from(interviewInterviewers).where(eq(interviewInterviewers.userId, s.team.hiringManager.id));
    expect(busy.filter((r) => r.busyFrom)).toHaveLength(1);
    // The loser's page: what is still free. If the first candidate won, the second sees only 14:00.
    const loserToken = busy.find((r) => r.busyFrom)!.busyFrom!.toISOString() === '2027-03-15T14:00:00.000Z' ? t2 : t1;
    const loser = await linkView(h.db, loserToken, NOW);
    if (loser.state === 'unknown') throw new Error('unknown');
    expect(loser.state).toBe('active');
    if (loserToken === t2)
      expect(loser.slots.map((x) => [x.startsAt.toISOString(), x.free])).toEqual([
        ['2027-03-15T14:30:00.000Z', false],
        ['2027-03-15T18:00:00.000Z', true],
      ]);
    else expect(loser.slots.every((x) => !x.free)).toBe(true);
  });

  it('the database decides: a pick whose own check passed still loses to a booking that commits meanwhile (SQLSTATE 23P01 → "just taken")', async () => {
    const s = await setup(h.db);
    const mail = fakeMail(h.db);
    const other = await makeUser(h.db);
    const [app2] = await h.db.insert(applications).values({ jobId: s.job.id, candidateId: other.id }).returning({ id: applications.id });
    const first = await proposeInterview(h.db, mail, s.mgr, proposal(s.applicationId, s.team, ['2027-03-16T10:00']), { now: NOW });
    const second = await proposeInterview(h.db, mail, s.mgr, proposal(app2!.id, s.team, ['2027-03-16T10:30']), { now: NOW });
    const v = await linkView(h.db, second.token, NOW);
    if (v.state === 'unknown') throw new Error('unknown');
    const [a, b] = await Promise.all([h.connect({ max: 1 }), h.connect({ max: 1 })]);
    let pick: Promise<unknown> | undefined;
    await a.db.transaction(async (tx) => {
      // Another process books the interviewer 10:00–11:00 and has not committed yet.
      await tx
        .update(interviewInterviewers)
        .set({ busyFrom: new Date('2027-03-16T14:00:00Z'), busyUntil: new Date('2027-03-16T15:00:00Z') })
        .where(eq(interviewInterviewers.interviewId, first.interviewId));
      pick = pickSlot(b.db, mail, { token: second.token, slotId: v.slots[0]!.id, version: v.interview.version }, { now: NOW }).catch((e: unknown) => e);
      // The pick's check saw nothing committed; its write now waits on the exclusion constraint.
      await expect
        .poll(
          async () =>
            (
              await rows<{ n: number }>(
                h.db,
                sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
              )
            )[0]!.n,
          { timeout: 5000 },
        )
        .toBe(1);
    });
    expect(await pick).toMatchObject({ code: 'conflict', message: expect.stringMatching(/just taken/) });
    const [iv] = await h.db.select().from(interviews).where(eq(interviews.id, second.interviewId));
    expect(iv!.status).toBe('proposed');
    expect((await linkView(h.db, second.token, NOW)).state).toBe('active');
  });
});

describe('interview scheduling on PGlite', () => {
  schedulingFacts(usePgliteDb());
});
