import { and, eq, inArray } from 'drizzle-orm';
import { withdrawApplication } from '#lib/applications/candidate';
import { moveApplication } from '#lib/applications/moves';
import { describe, expect, it } from 'vitest';
import { applicationEmails, applicationEvents, applications, jobs, offers, organizations } from '#db/schema';
import { offerLinkToken } from '#lib/offers/links';
import { approveOffer, createOffer, offerForLink, offersForCandidate, openingsOf, respondToOffer, withdrawOffer } from '#lib/offers/service';
import { setFollow } from '#lib/team-notify/follows';
import { makeApplication, makeUser } from '../helpers/factories';
import { actorOfMember, hiringSetup } from '../helpers/hiring';
import { fakeMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

const offerInput = (applicationId: string, over: Record<string, string> = {}) => ({
  applicationId,
  pay: '70,000',
  payPeriod: 'year' as const,
  startDate: '2027-01-11',
  schedule: 'Mon–Fri 8:30–3:00, adult PHP',
  note: 'Welcome aboard.',
  ...over,
});

describe.skipIf(!hasPostgres)(`offers on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();

  it('flags pay outside the posted range, comparing hourly with yearly', async () => {
    const s = await hiringSetup(h.db); // $60,000–$75,000 a year
    const mail = fakeMail(h.db);
    const within = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id, { pay: '33.00', payPeriod: 'hour' })); // $68,640 a year
    expect(within).toMatchObject({ status: 'sent', range: 'within' });
    await withdrawOffer(h.db, actorOfMember(s.manager), within.offerId);
    const above = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id, { pay: '40', payPeriod: 'hour' })); // $83,200
    expect(above.range).toBe('above');
    const [row] = await h.db.select().from(offers).where(eq(offers.id, above.offerId));
    expect(row).toMatchObject({ outsideRange: true, payCents: 4000, payPeriod: 'hour' });
    await withdrawOffer(h.db, actorOfMember(s.manager), above.offerId);
    const below = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id, { pay: '$59,999.99' }));
    expect(below.range).toBe('below');
    // An hourly posting: a yearly offer is compared per year too ($30–$40 an hour = $62,400–$83,200).
    const hourly = await hiringSetup(h.db, { payMin: 30, payMax: 40, payPeriod: 'hour' });
    expect((await createOffer(h.db, mail, actorOfMember(hourly.manager), offerInput(hourly.app.id, { pay: '80000' }))).range).toBe('within');
  });

  it('refuses bad input with a message and a recruiter with 403; the offer email goes out in the same transaction', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    await expect(createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id, { pay: 'lots' }))).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining('amount in dollars'),
    });
    await expect(createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id, { startDate: '2020-01-06' }))).rejects.toMatchObject({
      message: 'Choose a start date from today on.',
    });
    await expect(createOffer(h.db, mail, actorOfMember(s.recruiter), offerInput(s.app.id))).rejects.toMatchObject({ code: 'forbidden' });
    expect(await mail.all(s.candidate.email)).toHaveLength(0);
    const o = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id));
    const sent = await mail.last(s.candidate.email);
    expect(sent?.subject).toContain('Your offer for');
    expect(sent?.text).toContain('$70,000 a year');
    expect(sent?.text).toContain(`/offers/${o.offerId}?token=`);
    const [app] = await h.db.select().from(applications).where(eq(applications.id, s.app.id));
    expect(app?.stage).toBe('offer');
    // A second open offer is refused; another organization's member does not find the application.
    await expect(createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id))).rejects.toMatchObject({ code: 'conflict' });
    const other = await hiringSetup(h.db);
    await expect(createOffer(h.db, mail, actorOfMember(other.manager), offerInput(s.app.id))).rejects.toMatchObject({ code: 'not_found' });
    // The email history links the mail to the application.
    const history = await h.db.select().from(applicationEmails).where(eq(applicationEmails.applicationId, s.app.id));
    expect(history.map((x) => [x.recipientRole, x.subject])).toEqual([['candidate', sent?.subject]]);
  });

  it('waits for an admin when the organization asks for approval', async () => {
    const s = await hiringSetup(h.db);
    await h.db.update(organizations).set({ offerApprovalRequired: true }).where(eq(organizations.id, s.org.id));
    const mail = fakeMail(h.db);
    const o = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id));
    expect(o.status).toBe('awaiting_approval');
    expect(await mail.all(s.candidate.email)).toHaveLength(0);
    expect((await mail.last(s.admin.email))?.subject).toContain('awaits your approval');
    expect(await offersForCandidate(h.db, s.candidate.id, s.app.id)).toEqual([]);
    await expect(approveOffer(h.db, mail, actorOfMember(s.manager), o.offerId)).rejects.toMatchObject({ code: 'forbidden' });
    await approveOffer(h.db, mail, actorOfMember(s.admin), o.offerId);
    expect((await mail.last(s.candidate.email))?.subject).toContain('Your offer for');
    const [row] = await h.db.select().from(offers).where(eq(offers.id, o.offerId));
    expect(row).toMatchObject({ status: 'sent', approvedBy: s.admin.id });
    await expect(approveOffer(h.db, mail, actorOfMember(s.admin), o.offerId)).rejects.toMatchObject({ code: 'conflict' });
    // An admin's own offer needs nobody's approval.
    const c2 = await makeUser(h.db);
    const app2 = await makeApplication(h.db, s.job.id, c2.id);
    expect((await createOffer(h.db, mail, actorOfMember(s.admin), offerInput(app2.id))).status).toBe('sent');
  });

  it('accepting moves the application to Hired, tells the team, and asks to close a filled posting', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    await setFollow(h.db, { userId: s.recruiter.userId, orgId: s.org.id }, { jobId: s.job.id, mode: 'daily' });
    const o = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id));
    expect((await openingsOf(h.db, s.job.id)).filled).toBe(false);
    // Only the candidate answers in their account.
    const stranger = await makeUser(h.db);
    await expect(respondToOffer(h.db, mail, { userId: stranger.id }, { offerId: o.offerId, decision: 'accept' })).rejects.toMatchObject({ code: 'not_found' });
    const r = await respondToOffer(h.db, mail, { userId: s.candidate.id }, { offerId: o.offerId, decision: 'accept' });
    expect(r).toMatchObject({ decision: 'accept', openingsFilled: true });
    const [app] = await h.db.select().from(applications).where(eq(applications.id, s.app.id));
    expect(app).toMatchObject({ stage: 'hired', version: s.app.version + 2 });
    const kinds = (await h.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, s.app.id))).map((e) => [e.kind, e.toStage]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['offer_accepted', null],
        ['stage_changed', 'hired'],
      ]),
    );
    for (const member of [s.manager, s.recruiter]) {
      const m = await mail.last(member.email);
      expect(m?.subject).toContain('Offer accepted');
      expect(m?.text).toContain('Every opening of this posting is now filled');
    }
    expect((await mail.last(s.candidate.email))?.subject).toContain('Welcome');
    expect(await openingsOf(h.db, s.job.id)).toMatchObject({ openings: 1, hired: 1, filled: true });
    // Answering twice does nothing more.
    await expect(respondToOffer(h.db, mail, { userId: s.candidate.id }, { offerId: o.offerId, decision: 'decline' })).rejects.toMatchObject({
      code: 'conflict',
    });
    // Two openings: one hire does not fill it.
    await h.db.update(jobs).set({ openings: 2 }).where(eq(jobs.id, s.job.id));
    expect((await openingsOf(h.db, s.job.id)).filled).toBe(false);
  });

  it('declining leaves the stage and tells the team', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    const o = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id));
    const r = await respondToOffer(h.db, mail, { userId: s.candidate.id }, { offerId: o.offerId, decision: 'decline' });
    expect(r.openingsFilled).toBe(false);
    const [app] = await h.db.select().from(applications).where(eq(applications.id, s.app.id));
    expect(app?.stage).toBe('offer');
    expect((await mail.last(s.manager.email))?.subject).toContain('Offer declined');
    const [row] = await h.db.select().from(offers).where(eq(offers.id, o.offerId));
    expect(row).toMatchObject({ status: 'declined', respondedVia: 'account' });
  });

  it('the signed link answers its own open offer once, and refuses expired, other-offer, tampered and reused links', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    const o = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id));
    const emailed = (await mail.last(s.candidate.email))!.text;
    const token = decodeURIComponent(/token=([^\s]+)/.exec(emailed)![1]!);
    // Another candidate's offer, and its link.
    const c2 = await makeUser(h.db);
    const app2 = await makeApplication(h.db, s.job.id, c2.id);
    const o2 = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(app2.id));
    const answer = (offerId: string, t: string) => respondToOffer(h.db, mail, { token: t }, { offerId, decision: 'accept' });

    await expect(answer(o2.offerId, token)).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('different offer') });
    const expired = await offerLinkToken(h.db, o.offerId, new Date(Date.now() - 1000));
    await expect(answer(o.offerId, expired)).rejects.toMatchObject({ message: expect.stringContaining('expired') });
    await expect(answer(o.offerId, `${token.slice(0, -2)}xx`)).rejects.toMatchObject({ message: expect.stringContaining('not valid') });
    expect((await offerForLink(h.db, o.offerId, expired)).ok).toBe(false);
    expect((await offerForLink(h.db, o.offerId, token)).ok).toBe(true);

    await answer(o.offerId, token);
    const [row] = await h.db.select().from(offers).where(eq(offers.id, o.offerId));
    expect(row).toMatchObject({ status: 'accepted', respondedVia: 'link' });
    await expect(answer(o.offerId, token)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('already answered') });
    // The other candidate's offer is untouched.
    const [other] = await h.db
      .select()
      .from(offers)
      .where(and(eq(offers.id, o2.offerId)));
    expect(other?.status).toBe('sent');
  });

  it('rejecting the application or the candidate withdrawing takes the open offer with it', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    const o = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id));
    await moveApplication(h.db, mail, actorOfMember(s.manager), {
      applicationId: s.app.id,
      version: s.app.version + 1,
      toStage: 'rejected',
      reason: 'Position filled',
    });
    await expect(respondToOffer(h.db, mail, { userId: s.candidate.id }, { offerId: o.offerId, decision: 'accept' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const c2 = await makeUser(h.db);
    const app2 = await makeApplication(h.db, s.job.id, c2.id);
    const o2 = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(app2.id));
    await withdrawApplication(h.db, c2.id, { applicationId: app2.id, version: app2.version + 1, confirm: true });
    const rows = await h.db
      .select()
      .from(offers)
      .where(inArray(offers.id, [o.offerId, o2.offerId]));
    expect(rows.map((r) => r.status)).toEqual(['withdrawn', 'withdrawn']);
  });

  it('a withdrawn offer cannot be answered', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    const o = await createOffer(h.db, mail, actorOfMember(s.manager), offerInput(s.app.id));
    await withdrawOffer(h.db, actorOfMember(s.manager), o.offerId);
    await expect(respondToOffer(h.db, mail, { userId: s.candidate.id }, { offerId: o.offerId, decision: 'accept' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
