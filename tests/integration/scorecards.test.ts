import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applicationEvents, auditLog, interviews } from '#db/schema';
import type { MemberRole } from '#lib/domain/taxonomy';
import { addCompetency, ensureKit, readKit, removeCompetency, updateCompetency } from '#lib/scorecards/kits';
import { sendScorecardReminders } from '#lib/scorecards/reminders';
import { scorecardPanel, submitScorecard } from '#lib/scorecards/scorecards';
import { makeApplication, makeJob, makeMember, makeTeam, makeUser, type Team } from '../helpers/factories';
import { guideKitLoader, loadGuides, makeInterview } from '../helpers/scorecards';
import { queuedMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { type TestDb, useTestDb, usePgliteDb } from '../helpers/test-db';

/**
 * Interview kits and scorecards (issue 11): the kit generated from the role's interview-prep
 * guide, editing it, who may submit, independence of scorecards, the summary figures — on
 * PostgreSQL and on PGlite — and the "scorecard due" reminder, exactly once with two instances
 * sweeping at the same time (PostgreSQL).
 */
const load = guideKitLoader();
const guides = loadGuides();
const guide = (id: string) => guides.find((g) => g.id === id)!.data;
const actor = (t: Team, role: MemberRole) => t.actors[role];
const as = (u: { id: string }, orgId: string, role: MemberRole) => ({ userId: u.id, orgId, role });

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

function kitAndScorecardFacts(h: TestDb) {
  it('generates each job’s kit from the interview guide for its role, once, and scopes it to the organization', async () => {
    const team = await makeTeam(h.db);
    const other = await makeTeam(h.db);
    const therapist = await makeJob(h.db, team.org.id, { role: 'group-therapist' });
    const nurse = await makeJob(h.db, team.org.id, { role: 'registered-nurse', credentials: ['RN'] });

    // Two first readers at once make one kit.
    const [kit, again] = await Promise.all([
      ensureKit(h.db, actor(team, 'recruiter'), therapist.id, load),
      ensureKit(h.db, actor(team, 'admin'), therapist.id, load),
    ]);
    expect(again.competencies.map((c) => c.id)).toEqual(kit.competencies.map((c) => c.id));
    const clinician = guide('interview-prep-clinician');
    expect(kit.guideSlug).toBe('interview-prep-clinician');
    expect(kit.competencies.map((c) => [c.name, c.description])).toEqual(clinician.competencies!.map((c) => [c.name, c.summary]));
    // Every question candidates read on the guide is a suggested question under the competency it assesses.
    for (const q of clinician.faq!) expect(kit.competencies.find((c) => c.name === q.competency)!.questions).toContain(q.question);
    expect(kit.competencies.flatMap((c) => c.questions)).toHaveLength(clinician.faq!.length);

    const nursing = await ensureKit(h.db, actor(team, 'hiring_manager'), nurse.id, load);
    expect(nursing.guideSlug).toBe('interview-prep-nursing');
    expect(nursing.competencies.map((c) => c.name)).toEqual(guide('interview-prep-nursing').competencies!.map((c) => c.name));

    // Another organization's job is not found, and no kit is made for it.
    for (const role of ['admin', 'hiring_manager', 'recruiter'] as const)
      expect(await code(ensureKit(h.db, actor(other, role), nurse.id, load))).toBe('not_found');
  });

  it('lets admins and hiring managers add, rename and remove competencies and questions; refuses others and bad input, changing nothing', async () => {
    const team = await makeTeam(h.db);
    const other = await makeTeam(h.db);
    const job = await makeJob(h.db, team.org.id, { role: 'peer-support-specialist' });
    const before = await ensureKit(h.db, actor(team, 'admin'), job.id, load);
    const first = before.competencies[0]!;

    const { competencyId } = await addCompetency(
      h.db,
      actor(team, 'hiring_manager'),
      {
        jobId: job.id,
        name: 'Group co-facilitation',
        description: 'Supports a clinician-led group.',
        questions: 'How do you support a group leader?\n\n  What do you do when a member leaves the room?  \n',
      },
      load,
    );
    await updateCompetency(h.db, actor(team, 'admin'), {
      jobId: job.id,
      competencyId: first.id,
      name: 'Sharing lived experience',
      description: first.description,
      questions: [...first.questions, 'When would you not share your story?'],
    });
    let kit = (await readKit(h.db, job.id))!;
    expect(kit.competencies.at(-1)).toMatchObject({
      id: competencyId,
      name: 'Group co-facilitation',
      questions: ['How do you support a group leader?', 'What do you do when a member leaves the room?'],
    });
    expect(kit.competencies[0]).toMatchObject({
      id: first.id,
      name: 'Sharing lived experience',
      questions: [...first.questions, 'When would you not share your story?'],
    });

    const bad: [MemberRole | 'other', Record<string, unknown>, string][] = [
      ['recruiter', { jobId: job.id, name: 'Recruiter idea' }, 'forbidden'],
      ['other', { jobId: job.id, name: 'Hostile idea' }, 'not_found'],
      ['admin', { jobId: job.id, name: 'x' }, 'invalid'],
      ['admin', { jobId: job.id, name: 'GROUP CO-FACILITATION' }, 'invalid'],
      ['admin', { jobId: job.id, name: 'Too many questions', questions: Array.from({ length: 16 }, (_, i) => `Question ${i}?`) }, 'invalid'],
      ['admin', { jobId: job.id, name: 'Control\u0000character' }, 'invalid'],
      ['admin', { jobId: job.id, name: 'Long question', questions: ['q'.repeat(301)] }, 'invalid'],
    ];
    for (const [who, input, expected] of bad) {
      const a = who === 'other' ? actor(other, 'admin') : actor(team, who);
      expect(await code(addCompetency(h.db, a, input, load)), `${who} ${String(input.name)}`).toBe(expected);
    }
    expect(await code(updateCompetency(h.db, actor(other, 'admin'), { jobId: job.id, competencyId, name: 'Taken over' }))).toBe('not_found');
    expect(await code(removeCompetency(h.db, actor(team, 'recruiter'), { jobId: job.id, competencyId }))).toBe('forbidden');
    expect(await code(removeCompetency(h.db, actor(other, 'admin'), { jobId: job.id, competencyId }))).toBe('not_found');
    expect(await readKit(h.db, job.id)).toEqual(kit);

    await removeCompetency(h.db, actor(team, 'hiring_manager'), { jobId: job.id, competencyId });
    kit = (await readKit(h.db, job.id))!;
    expect(kit.competencies.map((c) => c.id)).not.toContain(competencyId);
    const audited = await h.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, team.org.id), eq(auditLog.entityId, job.id)));
    expect(audited.map((a) => a.action).sort()).toEqual([
      'interview_kit.competency_added',
      'interview_kit.competency_removed',
      'interview_kit.competency_updated',
    ]);

    // Per job: another job of the same role still starts from the guide.
    const sibling = await ensureKit(h.db, actor(team, 'admin'), (await makeJob(h.db, team.org.id, { role: 'peer-support-specialist' })).id, load);
    expect(sibling.competencies.map((c) => c.name)).toEqual(guide('interview-prep-peer-support').competencies!.map((c) => c.name));
  });

  it('takes scorecards only from the interview’s interviewers, once, after it started; 404 for another organization', async () => {
    const team = await makeTeam(h.db);
    const other = await makeTeam(h.db);
    const job = await makeJob(h.db, team.org.id);
    const { id: app } = await makeApplication(h.db, job.id, (await makeUser(h.db)).id);
    const iv = await makeInterview(h.db, { orgId: team.org.id, applicationId: app, interviewers: [team.hiringManager.id] });
    const kit = await ensureKit(h.db, actor(team, 'admin'), job.id, load);
    const all = (r: string) => Object.fromEntries(kit.competencies.map((c) => [c.id, r]));
    const card = { applicationId: app, interviewId: iv, overall: 'yes', notes: 'Calm, specific answers.', ratings: all('yes') };

    expect(await code(submitScorecard(h.db, actor(team, 'recruiter'), card, load))).toBe('forbidden');
    expect(await code(submitScorecard(h.db, actor(team, 'admin'), card, load))).toBe('forbidden');
    expect(await code(submitScorecard(h.db, actor(other, 'admin'), card, load))).toBe('not_found');
    const missing = await submitScorecard(h.db, actor(team, 'hiring_manager'), { ...card, ratings: { [kit.competencies[0]!.id]: 'yes' } }, load).catch(
      (e) => e,
    );
    expect(missing.code).toBe('invalid');
    expect(Object.keys(missing.fields)).toEqual(kit.competencies.slice(1).map((c) => `ratings.${c.id}`));
    expect(await code(submitScorecard(h.db, actor(team, 'hiring_manager'), { ...card, overall: 'maybe' }, load))).toBe('invalid');
    expect(await code(submitScorecard(h.db, actor(team, 'hiring_manager'), { ...card, notes: 'n'.repeat(5001) }, load))).toBe('invalid');

    const future = await makeInterview(h.db, { orgId: team.org.id, applicationId: app, interviewers: [team.hiringManager.id], endedHoursAgo: -30 });
    expect(await code(submitScorecard(h.db, actor(team, 'hiring_manager'), { ...card, interviewId: future }, load))).toBe('conflict');
    const cancelled = await makeInterview(h.db, {
      orgId: team.org.id,
      applicationId: app,
      interviewers: [team.hiringManager.id],
      status: 'cancelled',
      endedHoursAgo: 5,
    });
    expect(await code(submitScorecard(h.db, actor(team, 'hiring_manager'), { ...card, interviewId: cancelled }, load))).toBe('conflict');

    const results = await Promise.all([1, 2].map(() => code(submitScorecard(h.db, actor(team, 'hiring_manager'), card, load))));
    expect(results.sort()).toEqual(['conflict', 'ok']);
    const events = await h.db
      .select()
      .from(applicationEvents)
      .where(and(eq(applicationEvents.applicationId, app), eq(applicationEvents.kind, 'scorecard_submitted')));
    expect(events).toHaveLength(1);
    expect(events[0]!.actorId).toBe(team.hiringManager.id);
    // The history every member reads says a scorecard came in, not what it says.
    expect(Object.keys(events[0]!.data).sort()).toEqual(['interviewId', 'scorecardId']);
  });

  it('keeps scorecards independent: a member sees colleagues’ only after submitting theirs; admins always; and sums them up per competency', async () => {
    const team = await makeTeam(h.db);
    const other = await makeTeam(h.db);
    const job = await makeJob(h.db, team.org.id);
    const { id: app } = await makeApplication(h.db, job.id, (await makeUser(h.db)).id);
    const bea = await makeMember(h.db, team.org.id, 'hiring_manager', 'Bea Panelist');
    const ana = as(team.hiringManager, team.org.id, 'hiring_manager');
    const b = as(bea, team.org.id, 'hiring_manager');
    const iv = await makeInterview(h.db, { orgId: team.org.id, applicationId: app, interviewers: [ana.userId, b.userId] });
    const kit = await ensureKit(h.db, ana, job.id, load);
    const [c0, c1, c2, c3] = kit.competencies.map((c) => c.id) as [string, string, string, string];
    const panel = (a: typeof ana) => scorecardPanel(h.db, a, app, load);

    let p = await panel(b);
    expect(p.toScore.map((x) => x.id)).toEqual([iv]);
    expect(p.summary.cards).toEqual([]);

    await submitScorecard(
      h.db,
      ana,
      {
        applicationId: app,
        interviewId: iv,
        overall: 'yes',
        notes: 'Ana’s notes',
        ratings: { [c0]: 'strong_yes', [c1]: 'yes', [c2]: 'not_assessed', [c3]: 'no' },
      },
      load,
    );
    // Bea has not submitted: she sees that one is in, not what it says.
    p = await panel(b);
    expect([p.seesAll, p.hidden, p.submitted, p.summary.cards.length]).toEqual([false, 1, 1, 0]);
    expect(JSON.stringify(p)).not.toContain('Ana’s notes');
    // Members not on the panel (recruiter) do not see them either; admins do; another organization gets 404.
    p = await panel(actor(team, 'recruiter'));
    expect([p.seesAll, p.hidden, p.summary.cards.length]).toEqual([false, 1, 0]);
    p = await panel(actor(team, 'admin'));
    expect([p.seesAll, p.summary.cards.map((c) => c.notes)]).toEqual([true, ['Ana’s notes']]);
    expect(p.waitingFor).toEqual(['Bea Panelist']);
    expect(await code(panel(actor(other, 'admin')))).toBe('not_found');
    // Ana, having submitted, sees everything there is.
    p = await panel(ana);
    expect([p.seesAll, p.toScore.length, p.summary.cards.length]).toEqual([true, 0, 1]);

    await submitScorecard(
      h.db,
      b,
      { applicationId: app, interviewId: iv, overall: 'no', notes: '', ratings: { [c0]: 'yes', [c1]: 'no', [c2]: 'strong_no', [c3]: 'no' } },
      load,
    );
    p = await panel(b);
    expect([p.seesAll, p.hidden, p.summary.cards.map((c) => c.author).sort()]).toEqual([true, 0, ['Bea Panelist', team.hiringManager.name].sort()]);

    // The figures: per competency, per interviewer.
    const s = p.summary;
    const anaCard = s.cards.find((c) => c.author !== 'Bea Panelist')!.id;
    const beaCard = s.cards.find((c) => c.author === 'Bea Panelist')!.id;
    expect(s.rows.map((r) => [r.name, r.rated, r.yesPercent])).toEqual([
      [kit.competencies[0]!.name, 2, 100],
      [kit.competencies[1]!.name, 2, 50],
      [kit.competencies[2]!.name, 1, 0],
      [kit.competencies[3]!.name, 2, 0],
    ]);
    expect(s.rows[0]!.byCard).toEqual({ [anaCard]: 'strong_yes', [beaCard]: 'yes' });
    expect(s.rows[0]!.counts).toEqual({ strong_no: 0, no: 0, yes: 1, strong_yes: 1 });
    expect(s.rows[2]!.byCard).toEqual({ [beaCard]: 'strong_no' });
    expect(s.overall.counts).toEqual({ strong_no: 0, no: 1, yes: 1, strong_yes: 0 });

    // A renamed competency keeps its ratings; a removed one still reads under its old name.
    await updateCompetency(h.db, ana, { jobId: job.id, competencyId: c0, name: 'Risk and safety' });
    await removeCompetency(h.db, ana, { jobId: job.id, competencyId: c3 });
    const after = (await panel(ana)).summary;
    expect(after.rows.map((r) => [r.name, r.removed, r.rated])).toEqual([
      ['Risk and safety', false, 2],
      [kit.competencies[1]!.name, false, 2],
      [kit.competencies[2]!.name, false, 1],
      [kit.competencies[3]!.name, true, 2],
    ]);

    // A new interview Ana sits on puts her back behind the line until she scores it too.
    const next = await makeInterview(h.db, { orgId: team.org.id, applicationId: app, interviewers: [ana.userId], endedHoursAgo: -48 });
    p = await panel(ana);
    expect([p.seesAll, p.summary.cards.length, p.hidden]).toEqual([false, 1, 1]);
    await h.db.update(interviews).set({ status: 'cancelled' }).where(eq(interviews.id, next));
    expect((await panel(ana)).seesAll).toBe(true);
  });
}

describe.skipIf(!hasPostgres)(`interview kits and scorecards on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();
  kitAndScorecardFacts(h);

  it('sends each interviewer with an overdue scorecard one reminder, exactly once with two instances sweeping at once', async () => {
    const team = await makeTeam(h.db);
    const job = await makeJob(h.db, team.org.id, { title: 'Group Therapist – Evening IOP' });
    const { id: app } = await makeApplication(h.db, job.id, (await makeUser(h.db, { name: 'Robin Applicant' })).id);
    const late = await makeMember(h.db, team.org.id, 'hiring_manager', 'Late Larry');
    const done = await makeMember(h.db, team.org.id, 'hiring_manager', 'Prompt Pat');
    const recent = await makeMember(h.db, team.org.id, 'recruiter', 'Recent Rae');
    const gone = await makeMember(h.db, team.org.id, 'recruiter', 'Cancelled Cam');
    const now = new Date();
    const overdue = await makeInterview(h.db, { orgId: team.org.id, applicationId: app, interviewers: [late.id, done.id], endedHoursAgo: 25, now });
    await makeInterview(h.db, { orgId: team.org.id, applicationId: app, interviewers: [recent.id], endedHoursAgo: 2, now });
    await makeInterview(h.db, { orgId: team.org.id, applicationId: app, interviewers: [gone.id], endedHoursAgo: 30, status: 'cancelled', now });
    await makeInterview(h.db, { orgId: team.org.id, applicationId: app, interviewers: [gone.id], endedHoursAgo: 20 * 24, status: 'completed', now });
    const kit = await ensureKit(h.db, as(done, team.org.id, 'hiring_manager'), job.id, load);
    await submitScorecard(
      h.db,
      as(done, team.org.id, 'hiring_manager'),
      { applicationId: app, interviewId: overdue, overall: 'strong_yes', ratings: Object.fromEntries(kit.competencies.map((c) => [c.id, 'yes'])) },
      load,
    );

    const one = await h.connect({ max: 2 });
    const two = await h.connect({ max: 2 });
    const site = 'http://jobs.test';
    const runs = await Promise.all([one.db, two.db, one.db, two.db].map((db) => sendScorecardReminders(db, { siteUrl: site, now })));
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect((await sendScorecardReminders(h.db, { siteUrl: site, now })).sent).toBe(0);
    const mail = await queuedMail(h.db, late.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Scorecard due: Robin Applicant, Group Therapist – Evening IOP');
    expect(mail[0]!.text).toContain(`${site}/employer/applications/${app}#scorecards`);
    for (const u of [done, recent, gone]) expect(await queuedMail(h.db, u.email), u.name).toEqual([]);

    // The recent interview becomes due a day later: its interviewer gets theirs, Larry no second one.
    const later = new Date(now.getTime() + 24 * 3_600_000);
    expect((await sendScorecardReminders(h.db, { siteUrl: site, now: later })).sent).toBe(1);
    expect(await queuedMail(h.db, recent.email)).toHaveLength(1);
    expect(await queuedMail(h.db, late.email)).toHaveLength(1);
  });
});

describe('interview kits and scorecards on PGlite', () => {
  kitAndScorecardFacts(usePgliteDb());
});
