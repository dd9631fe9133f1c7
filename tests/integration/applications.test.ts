import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type DbHandle } from '#db/client';
import { applicationAnswers, applicationEvents, applications, eeoResponses, emailTemplates, resumes } from '#db/schema';
import { applyContext, submitApplication } from '#lib/applications/apply';
import { getMyApplication, listMyApplications, withdrawApplication } from '#lib/applications/candidate';
import { addNote, rateApplication } from '#lib/applications/notes';
import { applicationForTeam, pipelineForJob } from '#lib/applications/pipeline';
import { bulkMoveApplications, moveApplication } from '#lib/applications/moves';
import { unverifyLicense, verifyLicense } from '#lib/applications/verification';
import { saveTemplate } from '#lib/applications/templates.server';
import { makePdf } from '../helpers/documents';
import { makeJob, makeLicense, makeMember, makeOrg, makeQuestions, makeResume, makeUser, tempStore } from '../helpers/factories';
import { queuedMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

describe.skipIf(!hasPostgres)(`applications on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();
  /** A pool as wide as the burst, so all 20 submits really run at once. */
  let wide: DbHandle;
  const store = tempStore();
  const notifier = { siteUrl: 'https://jobs.example.test' };
  /** Everything queued in mail_outbox so far (no worker runs here, so nothing leaves it). */
  const sent = () => queuedMail(h.db);
  beforeAll(async () => {
    wide = await h.connect({ max: 25 });
  });
  afterAll(() => store.cleanup());

  async function setup() {
    const org = await makeOrg(h.db);
    const job = await makeJob(h.db, org.id, { credentials: ['LCSW', 'LPC'] });
    const [licensed, evenings, years] = await makeQuestions(h.db, job.id, [
      { kind: 'yes_no', prompt: 'Do you hold an active license in PA?', knockoutAnswer: 'no' },
      { kind: 'single_choice', prompt: 'Which track can you work?', options: ['Day', 'Evening', 'Either'] },
      { kind: 'short_text', prompt: 'Years in PHP or IOP settings', required: false },
    ]);
    const candidate = await makeUser(h.db, { name: 'Alicia Moreno' });
    const resume = await makeResume(h.db, store, candidate.id, ['Alicia Moreno LCSW']);
    const recruiter = await makeMember(h.db, org.id, 'recruiter', 'Priya Raman');
    const manager = await makeMember(h.db, org.id, 'hiring_manager', 'Daniel Okafor');
    return {
      org,
      job,
      q: { licensed: licensed!, evenings: evenings!, years: years! },
      candidate,
      resume,
      recruiter,
      manager,
    };
  }
  const actor = (m: { userId: string; orgId: string; role: 'admin' | 'hiring_manager' | 'recruiter' }) => ({
    userId: m.userId,
    orgId: m.orgId,
    role: m.role,
  });

  it('exactly one application under 20 concurrent identical submits', async () => {
    const s = await setup();
    const input = {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Either', [s.q.years.id]: '4' },
      coverNote: 'I run DBT skills groups.',
      eeo: { gender: 'female', ethnicity: 'decline', veteran: 'decline', disability: 'decline' },
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => submitApplication(wide.db, { store, notifier }, s.candidate.id, input)));
    const ids = new Set(results.map((r) => r.applicationId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const id = [...ids][0]!;
    expect(await h.db.select().from(applications).where(eq(applications.jobId, s.job.id))).toHaveLength(1);
    expect(await h.db.select().from(applicationAnswers).where(eq(applicationAnswers.applicationId, id))).toHaveLength(3);
    expect(
      await h.db
        .select()
        .from(applicationEvents)
        .where(and(eq(applicationEvents.applicationId, id), eq(applicationEvents.kind, 'applied'))),
    ).toHaveLength(1);
    expect(await h.db.select().from(eeoResponses).where(eq(eeoResponses.jobId, s.job.id))).toHaveLength(1);
    // One confirmation email, with the default template filled in.
    const confirmations = (await sent()).filter((m) => m.to === s.candidate.email);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.subject).toBe(`We received your application for ${s.job.title}`);
    expect(confirmations[0]!.text).toContain(`https://jobs.example.test/account/applications/${id}`);
  });

  it('exactly one application when 20 identical submits each upload the same new file', async () => {
    const s = await setup();
    const fresh = await makeUser(h.db);
    const pdf = makePdf(['Fresh Candidate', 'Motivational interviewing']);
    const input = {
      jobId: s.job.id,
      resumeFile: new File([pdf], 'new cv.pdf', { type: 'application/pdf' }),
      answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => submitApplication(wide.db, { store }, fresh.id, input)));
    expect(new Set(results.map((r) => r.applicationId)).size).toBe(1);
    expect(await h.db.select().from(resumes).where(eq(resumes.userId, fresh.id))).toHaveLength(1);
    const [app] = await h.db.select().from(applications).where(eq(applications.candidateId, fresh.id));
    const [res] = await h.db.select().from(resumes).where(eq(resumes.userId, fresh.id));
    expect(app!.resumeId).toBe(res!.id);
  });

  it('a knockout answer is recorded and marks the application; nothing is lost', async () => {
    const s = await setup();
    const r = await submitApplication(h.db, { store }, s.candidate.id, {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers: { [s.q.licensed.id]: 'No', [s.q.evenings.id]: 'evening' },
      coverNote: 'Licensed in NJ, PA pending.',
    });
    expect(r).toMatchObject({ created: true, knockoutFailed: true });
    const [app] = await h.db.select().from(applications).where(eq(applications.id, r.applicationId));
    expect(app).toMatchObject({
      knockoutFailed: true,
      stage: 'applied',
      coverNote: 'Licensed in NJ, PA pending.',
      resumeId: s.resume.id,
    });
    const answers = await h.db
      .select()
      .from(applicationAnswers)
      .where(eq(applicationAnswers.applicationId, r.applicationId))
      .orderBy(asc(applicationAnswers.answer));
    expect(answers.map((a) => [a.answer, a.knockout])).toEqual([
      ['Evening', false],
      ['no', true],
    ]);
    const [ev] = await h.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, r.applicationId));
    expect(ev!.data).toMatchObject({ knockoutFailed: true, knockoutQuestions: [s.q.licensed.id] });
  });

  it('validates answers and the resume with messages a person can act on', async () => {
    const s = await setup();
    const base = { jobId: s.job.id, resumeId: s.resume.id };
    const unanswered = submitApplication(h.db, { store }, s.candidate.id, { ...base, answers: {} });
    await expect(unanswered).rejects.toMatchObject({
      code: 'invalid',
      message: 'Answer the 2 screening questions marked below.',
    });
    // A message beside each required question, and nowhere else.
    await expect(unanswered).rejects.toHaveProperty('fields', {
      [`answer.${s.q.evenings.id}`]: expect.any(Array),
      [`answer.${s.q.licensed.id}`]: expect.any(Array),
    });
    await expect(
      submitApplication(h.db, { store }, s.candidate.id, {
        ...base,
        answers: { [s.q.licensed.id]: 'maybe', [s.q.evenings.id]: 'Day' },
      }),
    ).rejects.toThrow(/with yes or no/);
    await expect(
      submitApplication(h.db, { store }, s.candidate.id, {
        jobId: s.job.id,
        answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
      }),
    ).rejects.toThrow(/Attach a resume/);
    const stranger = await makeUser(h.db);
    await expect(
      submitApplication(h.db, { store }, stranger.id, {
        ...base,
        answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
      }),
    ).rejects.toThrow(/Choose one of your resumes/);
    expect(await h.db.select().from(applications).where(eq(applications.jobId, s.job.id))).toHaveLength(0);
    // A closed posting takes no applications.
    const closed = await makeJob(h.db, s.org.id, { status: 'closed', closedAt: new Date() });
    await expect(submitApplication(h.db, { store }, s.candidate.id, { jobId: closed.id, resumeId: s.resume.id })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('concurrent stage changes: one wins, the other is a conflict that names the current state', async () => {
    const s = await setup();
    const { applicationId } = await submitApplication(h.db, { store }, s.candidate.id, {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
    });
    const results = await Promise.allSettled([
      moveApplication(wide.db, notifier, actor(s.recruiter), { applicationId, version: 1, toStage: 'interview' }),
      moveApplication(h.db, notifier, actor(s.manager), {
        applicationId,
        version: 1,
        toStage: 'rejected',
        reason: 'Needs PA license',
      }),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const bad = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.reason).toMatchObject({ code: 'conflict' });
    const [app] = await h.db.select().from(applications).where(eq(applications.id, applicationId));
    expect(app!.version).toBe(2);
    expect(bad[0]!.reason.message).toContain(`now in ${app!.stage === 'interview' ? 'Interview' : 'Rejected'}`);
    const moves = await h.db
      .select()
      .from(applicationEvents)
      .where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.kind, 'stage_changed')));
    expect(moves).toHaveLength(1);
    // A stale version later on is a conflict too, and changes nothing.
    await expect(moveApplication(h.db, notifier, actor(s.manager), { applicationId, version: 1, toStage: 'offer' })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await h.db.select().from(applications).where(eq(applications.id, applicationId)))[0]!.version).toBe(2);
  });

  it('many concurrent movers of one application: exactly one succeeds per version', async () => {
    const s = await setup();
    const { applicationId } = await submitApplication(h.db, { store }, s.candidate.id, {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
    });
    const targets = ['screening', 'interview', 'offer', 'hired', 'screening', 'interview', 'offer', 'hired'] as const;
    const results = await Promise.allSettled(
      targets.map((t) => moveApplication(wide.db, undefined, actor(s.recruiter), { applicationId, version: 1, toStage: t })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'conflict')).toBe(true);
  });

  it('the audit trail records who, when, from and to, and every note, rating and verification', async () => {
    const s = await setup();
    const lic = await makeLicense(h.db, s.candidate.id, { credentialCode: 'LCSW', state: 'PA' });
    const { applicationId } = await submitApplication(h.db, { store, notifier }, s.candidate.id, {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
    });
    const t = (m: number) => new Date(Date.UTC(2026, 0, 5, 10, m));
    const before = (await sent()).length;
    await moveApplication(h.db, notifier, actor(s.recruiter), { applicationId, version: 1, toStage: 'screening' }, { now: t(1) });
    await verifyLicense(h.db, actor(s.recruiter), { applicationId, licenseId: lic.id, lookupUrl: 'https://www.pals.pa.gov/#/page/search' }, { now: t(2) });
    await addNote(h.db, actor(s.manager), { applicationId, body: 'Strong DBT background.' }, { now: t(3) });
    await rateApplication(h.db, actor(s.manager), { applicationId, rating: 4 }, { now: t(4) });
    await rateApplication(h.db, actor(s.manager), { applicationId, rating: 5 }, { now: t(5) });
    await rateApplication(h.db, actor(s.recruiter), { applicationId, rating: 3 }, { now: t(5) });
    await moveApplication(h.db, notifier, actor(s.manager), { applicationId, version: 2, toStage: 'interview' }, { now: t(6) });
    await moveApplication(
      h.db,
      notifier,
      actor(s.manager),
      { applicationId, version: 3, toStage: 'rejected', reason: 'Accepted another offer' },
      { now: t(7) },
    );
    await unverifyLicense(h.db, actor(s.recruiter), { applicationId, licenseId: lic.id }, { now: t(8) });

    const events = await h.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(asc(applicationEvents.id));
    const trail = events.filter((e) => e.kind !== 'candidate_emailed').map((e) => [e.kind, e.actorId, e.fromStage, e.toStage]);
    expect(trail).toEqual([
      ['applied', s.candidate.id, null, 'applied'],
      ['stage_changed', s.recruiter.id, 'applied', 'screening'],
      ['license_verified', s.recruiter.id, null, null],
      ['note_added', s.manager.id, null, null],
      ['rated', s.manager.id, null, null],
      ['rated', s.manager.id, null, null],
      ['rated', s.recruiter.id, null, null],
      ['stage_changed', s.manager.id, 'screening', 'interview'],
      ['stage_changed', s.manager.id, 'interview', 'rejected'],
      ['license_unverified', s.recruiter.id, null, null],
    ]);
    expect(events.find((e) => e.toStage === 'screening')!.createdAt.toISOString()).toBe(t(1).toISOString());
    expect(events.find((e) => e.kind === 'license_verified')!.data).toMatchObject({
      credential: 'LCSW',
      state: 'PA',
      lookupUrl: 'https://www.pals.pa.gov/#/page/search',
    });
    expect(events.filter((e) => e.kind === 'rated').map((e) => e.data)).toEqual([{ rating: 4 }, { rating: 5, previous: 4 }, { rating: 3 }]);
    expect(events.find((e) => e.toStage === 'rejected')!.data).toEqual({ reason: 'Accepted another offer' });
    // Emails: screening is internal; interview and rejected went out (and are in the trail).
    const mails = (await sent()).slice(before).map((m) => m.subject);
    expect(mails).toEqual([`Next step for ${s.job.title}: an interview`, `Your application for ${s.job.title}`]);
    expect(events.filter((e) => e.kind === 'candidate_emailed').map((e) => e.data.stage)).toEqual(['applied', 'interview', 'rejected']);

    const detail = await applicationForTeam(h.db, actor(s.recruiter), applicationId);
    expect(detail.ratings.map((r) => r.rating).sort()).toEqual([3, 5]);
    expect(detail.avgRating).toBe(4);
    expect(detail.notes.map((n) => [n.body, n.author])).toEqual([['Strong DBT background.', 'Daniel Okafor']]);
    expect(detail.application.rejectionReason).toBe('Accepted another offer');

    // The candidate sees plain words and only their own kind of history (no notes, ratings or verifications, no reason).
    const mine = await getMyApplication(h.db, s.candidate.id, applicationId);
    expect(mine!.history.map((x) => x.text)).toEqual([
      'You applied.',
      'Status changed to “Under review”.',
      'Status changed to “Interviewing”.',
      'Status changed to “Not moving forward”.',
    ]);
    expect(JSON.stringify(mine)).not.toContain('Accepted another offer');
    expect(JSON.stringify(mine)).not.toContain('Strong DBT');
  });

  it('uses the organization’s own template for stage emails', async () => {
    const s = await setup();
    const admin = await makeMember(h.db, s.org.id, 'admin');
    await saveTemplate(h.db, actor(admin), {
      org: s.org.id,
      stage: 'interview',
      subject: 'Interview at {{organization}}',
      body: 'Dear {{candidateName}}, see {{applicationUrl}}',
    });
    await expect(
      saveTemplate(h.db, actor(admin), {
        org: s.org.id,
        stage: 'offer',
        subject: 'Hi {{firstName}}',
        body: 'Some body text here',
      }),
    ).rejects.toMatchObject({ code: 'invalid' });
    await expect(
      saveTemplate(h.db, actor(s.recruiter), {
        org: s.org.id,
        stage: 'offer',
        subject: 'Hello there',
        body: 'Some body text here',
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(await h.db.select().from(emailTemplates).where(eq(emailTemplates.orgId, s.org.id))).toHaveLength(1);
    const { applicationId } = await submitApplication(h.db, { store }, s.candidate.id, {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
    });
    const before = (await sent()).length;
    await moveApplication(h.db, notifier, actor(s.recruiter), { applicationId, version: 1, toStage: 'interview' });
    const m = (await sent()).slice(before);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({
      to: s.candidate.email,
      subject: `Interview at ${s.org.name}`,
      text: `Dear Alicia Moreno, see https://jobs.example.test/account/applications/${applicationId}`,
    });
  });

  it('moves many at once; a stale card is reported, the others move', async () => {
    const s = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await makeUser(h.db);
      const resume = await makeResume(h.db, store, c.id, [`candidate ${i}`]);
      ids.push(
        (
          await submitApplication(h.db, { store }, c.id, {
            jobId: s.job.id,
            resumeId: resume.id,
            answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
          })
        ).applicationId,
      );
    }
    await moveApplication(h.db, undefined, actor(s.manager), { applicationId: ids[3]!, version: 1, toStage: 'offer' });
    const r = await bulkMoveApplications(h.db, undefined, actor(s.recruiter), {
      jobId: s.job.id,
      items: ids.map((applicationId) => ({ applicationId, version: 1 })),
      toStage: 'screening',
    });
    expect(r.moved.map((m) => m.applicationId).sort()).toEqual(ids.slice(0, 3).sort());
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]!.message).toMatch(/now in Offer/);
    const p = await pipelineForJob(h.db, actor(s.recruiter), s.job.id);
    expect(p.counts).toMatchObject({ screening: 3, offer: 1, applied: 0 });
    // Rejecting in bulk needs a reason.
    await expect(
      bulkMoveApplications(h.db, undefined, actor(s.recruiter), {
        jobId: s.job.id,
        items: [{ applicationId: ids[0]!, version: 2 }],
        toStage: 'rejected',
      }),
    ).rejects.toMatchObject({ code: 'invalid' });
  });

  it('"My applications": plain-word stages, and withdrawing with the same optimistic check', async () => {
    const s = await setup();
    const { applicationId } = await submitApplication(h.db, { store }, s.candidate.id, {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
    });
    const mine = await listMyApplications(h.db, s.candidate.id);
    expect(mine.find((a) => a.id === applicationId)).toMatchObject({ stage: 'applied', job: { title: s.job.title } });
    await moveApplication(h.db, undefined, actor(s.recruiter), { applicationId, version: 1, toStage: 'screening' });
    // The candidate's page still showed version 1: they are told, nothing happens.
    await expect(withdrawApplication(h.db, s.candidate.id, { applicationId, version: 1, confirm: true })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/now “Under review”/),
    });
    // Someone else cannot withdraw it.
    await expect(withdrawApplication(h.db, s.recruiter.id, { applicationId, version: 2, confirm: true })).rejects.toMatchObject({
      code: 'not_found',
    });
    await withdrawApplication(h.db, s.candidate.id, { applicationId, version: 2, confirm: true });
    const [app] = await h.db.select().from(applications).where(eq(applications.id, applicationId));
    expect(app).toMatchObject({ stage: 'withdrawn', version: 3 });
    // The team cannot move a withdrawn application, and the candidate cannot withdraw twice.
    await expect(moveApplication(h.db, undefined, actor(s.recruiter), { applicationId, version: 3, toStage: 'interview' })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(withdrawApplication(h.db, s.candidate.id, { applicationId, version: 3, confirm: true })).rejects.toMatchObject({
      code: 'invalid',
    });
  });

  it('withdrawing needs the "Yes, withdraw" confirmation (issue 10 #3)', async () => {
    const s = await setup();
    const { applicationId } = await submitApplication(h.db, { store }, s.candidate.id, {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
    });
    await expect(withdrawApplication(h.db, s.candidate.id, { applicationId, version: 1 })).rejects.toMatchObject({
      code: 'invalid',
      fields: { confirm: [expect.stringMatching(/Yes, withdraw/)] },
    });
    const [app] = await h.db.select().from(applications).where(eq(applications.id, applicationId));
    expect(app).toMatchObject({ stage: 'applied', version: 1 });
  });

  it('a withdrawn candidate may apply again: a new application, the old one stays in the history (issue 10 #2)', async () => {
    const s = await setup();
    const answers = { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' };
    const first = await submitApplication(h.db, { store }, s.candidate.id, {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers,
    });
    await withdrawApplication(h.db, s.candidate.id, { applicationId: first.applicationId, version: 1, confirm: true });
    expect(await applyContext(h.db, s.job.slug, s.candidate.id)).toMatchObject({ existing: null });
    const again = await submitApplication(h.db, { store }, s.candidate.id, {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers,
    });
    expect(again).toMatchObject({ created: true });
    expect(again.applicationId).not.toBe(first.applicationId);
    // A retry of the new one is still answered with it, not a third row.
    const retry = await submitApplication(h.db, { store }, s.candidate.id, {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers,
    });
    expect(retry).toMatchObject({ created: false, applicationId: again.applicationId });
    const mine = await listMyApplications(h.db, s.candidate.id);
    expect(mine.map((a) => a.stage).sort()).toEqual(['applied', 'withdrawn']);
  });

  it('EEO self-identification is stored apart, with no candidate or application id, and only by day', async () => {
    const s = await setup();
    await submitApplication(h.db, { store }, s.candidate.id, {
      jobId: s.job.id,
      resumeId: s.resume.id,
      answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
      eeo: { gender: 'female', ethnicity: 'hispanic_latino', veteran: 'decline', disability: 'no' },
    });
    const cols = await rows<{ column_name: string }>(h.db, sql`select column_name from information_schema.columns where table_name = 'eeo_responses'`);
    // The reports' additions (src/lib/applications/report-rollups.ts): a keyed hash of the application, never its id, and aggregates' inputs.
    expect(cols.map((c) => c.column_name).sort()).toEqual([
      'answers',
      'application_key',
      'created_at',
      'furthest_stage',
      'id',
      'job_id',
      'knocked_out_by',
      'knockout_asked',
      'org_id',
    ]);
    const [e] = await h.db.select().from(eeoResponses).where(eq(eeoResponses.jobId, s.job.id));
    const [mine] = await h.db.select({ id: applications.id }).from(applications).where(eq(applications.candidateId, s.candidate.id));
    expect(e!.applicationKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(e!.applicationKey).not.toContain(mine!.id);
    expect(e!.answers).toEqual({ gender: 'female', ethnicity: 'hispanic_latino', disability: 'no' });
    const [day] = await rows<{ d: Date }>(h.db, sql`select date_trunc('day', now()) as d`);
    expect(e!.createdAt.getTime()).toBe(new Date(day!.d).getTime());
    // Declining everything stores nothing at all.
    const other = await makeUser(h.db);
    const resume = await makeResume(h.db, store, other.id, ['other']);
    await submitApplication(h.db, { store }, other.id, {
      jobId: s.job.id,
      resumeId: resume.id,
      answers: { [s.q.licensed.id]: 'yes', [s.q.evenings.id]: 'Day' },
    });
    expect(await h.db.select().from(eeoResponses).where(eq(eeoResponses.jobId, s.job.id))).toHaveLength(1);
  });
});
