import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '#db/client';
import { applications, eeoResponses, jobDailyStats, visitorMarks, visitorSalts } from '#db/schema';
import { submitApplication } from '#lib/applications/apply';
import { withdrawApplication } from '#lib/applications/candidate';
import { moveApplication } from '#lib/applications/moves';
import { createViewCounter } from '#lib/jobs/views';
import { parseReportParams } from '#lib/reports/figures';
import { reportCsv } from '#lib/reports/csv';
import { loadReport } from '#lib/reports/service';
import type { ApplicationSource } from '#lib/domain/sources';
import { makeJob, makeLicense, makeQuestions, makeResume, makeTeam, makeUser, tempStore, type Team } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

/**
 * Every figure of the organization's report against numbers worked out by hand on a small fixture:
 *
 * Job A (PA, accepts LCSW, knockout "Do you hold an active PA license?" → no). 22 applicants, all at T0:
 *   F1–F5  female, white, LCSW PA, source search, furthest interview (F1 answers the knockout with "no")
 *   F6–F10 female, black, LCSW PA, source search, furthest screening
 *   M1–M5  male,   white, LCSW NJ, source alert,  still applied
 *   M6–M10 male,   black, LPC PA,  source rss,    furthest screening
 *   N1     nonbinary, no license, source feed, applied;  N2 nonbinary, expired LCSW PA, source organization, screening
 *   Moves: out of applied at T0+10h, F1–F5 on to interview at T0+20h.
 * Job B (PA, LCSW), no EEO answers: B1 (LCSW PA, direct) hired: screening +24h, interview +72h, offer +120h,
 *   hired +144h; B2 (other) screening +12h then withdrew +36h; B3 (no source) rejected +48h;
 *   B4 applied 200 days earlier (outside the period).
 * Another organization's application never counts.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.skipIf(!hasPostgres)(`reports on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();
  const store = tempStore();
  const T0 = new Date(Date.now() - 10 * DAY);
  let team: Team;
  let jobA: { id: string };
  let jobB: { id: string };
  let question: { id: string };
  const appIds = new Map<string, { id: string; version: number; candidateId: string }>();
  const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
  const period = () =>
    parseReportParams(
      new URLSearchParams({ from: new Date(T0.getTime() - 5 * DAY).toISOString().slice(0, 10), to: new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10) }),
    ).params;

  afterAll(() => store.cleanup());

  async function apply(
    name: string,
    job: { id: string },
    opts: {
      gender?: string;
      ethnicity?: string;
      license?: { code: string; state: string | null; expiresOn?: string };
      source?: ApplicationSource;
      answer?: string;
      now?: Date;
    },
  ) {
    const u = await makeUser(h.db, { name });
    if (opts.license) await makeLicense(h.db, u.id, { credentialCode: opts.license.code, state: opts.license.state, expiresOn: opts.license.expiresOn });
    const resume = await makeResume(h.db, store, u.id);
    const r = await submitApplication(
      h.db,
      { store },
      u.id,
      {
        jobId: job.id,
        resumeId: resume.id,
        answers: job === jobA ? { [question.id]: opts.answer ?? 'yes' } : {},
        eeo: { gender: opts.gender ?? 'decline', ethnicity: opts.ethnicity ?? 'decline', veteran: 'decline', disability: 'decline' },
        ...(opts.source ? { source: opts.source } : {}),
      },
      { now: opts.now ?? T0 },
    );
    appIds.set(name, { id: r.applicationId, version: 1, candidateId: u.id });
  }

  async function move(name: string, to: 'screening' | 'interview' | 'offer' | 'hired' | 'rejected', hours: number) {
    const a = appIds.get(name)!;
    const out = await moveApplication(
      h.db,
      undefined,
      team.actors.hiring_manager,
      { applicationId: a.id, version: a.version, toStage: to, reason: to === 'rejected' ? 'Not a fit' : null },
      { now: at(hours) },
    );
    a.version = out.version;
  }

  beforeAll(async () => {
    team = await makeTeam(h.db, 'Report Health');
    const posted = { postedAt: new Date(T0.getTime() - 300 * DAY), validThrough: new Date(Date.now() + 30 * DAY) };
    jobA = await makeJob(h.db, team.org.id, { title: 'Therapist A', state: 'PA', credentials: ['LCSW'], ...posted });
    jobB = await makeJob(h.db, team.org.id, { title: 'Therapist B', state: 'PA', credentials: ['LCSW'], ...posted });
    const [q] = await makeQuestions(h.db, jobA.id, [{ kind: 'yes_no', prompt: 'Do you hold an active PA license?', knockoutAnswer: 'no' }]);
    question = q!;
    for (let i = 1; i <= 10; i++)
      await apply(`F${i}`, jobA, {
        gender: 'female',
        ethnicity: i <= 5 ? 'white' : 'black_african_american',
        license: { code: 'LCSW', state: 'PA' },
        source: 'search',
        answer: i === 1 ? 'no' : 'yes',
      });
    for (let i = 1; i <= 10; i++)
      await apply(`M${i}`, jobA, {
        gender: 'male',
        ethnicity: i <= 5 ? 'white' : 'black_african_american',
        license: i <= 5 ? { code: 'LCSW', state: 'NJ' } : { code: 'LPC', state: 'PA' },
        source: i <= 5 ? 'alert' : 'rss',
      });
    await apply('N1', jobA, { gender: 'nonbinary', source: 'feed' });
    await apply('N2', jobA, { gender: 'nonbinary', license: { code: 'LCSW', state: 'PA', expiresOn: '2020-01-01' }, source: 'organization' });
    await apply('B1', jobB, { license: { code: 'LCSW', state: 'PA' }, source: 'direct' });
    await apply('B2', jobB, { source: 'other' });
    await apply('B3', jobB, {});
    await apply('B4', jobB, { now: new Date(T0.getTime() - 200 * DAY) });
    for (const n of [...Array.from({ length: 10 }, (_, i) => `F${i + 1}`), 'M6', 'M7', 'M8', 'M9', 'M10', 'N2']) await move(n, 'screening', 10);
    for (const n of ['F1', 'F2', 'F3', 'F4', 'F5']) await move(n, 'interview', 20);
    await move('B1', 'screening', 24);
    await move('B1', 'interview', 72);
    await move('B1', 'offer', 120);
    await move('B1', 'hired', 144);
    await move('B2', 'screening', 12);
    const b2 = appIds.get('B2')!;
    await withdrawApplication(h.db, b2.candidateId, { applicationId: b2.id, version: b2.version, confirm: true }, { now: at(36) });
    await move('B3', 'rejected', 48);
    // Another organization's applicant, same period: never in this report.
    const other = await makeTeam(h.db, 'Other Health');
    const otherJob = await makeJob(h.db, other.org.id, { title: 'Other job', ...posted });
    const u = await makeUser(h.db);
    const r = await makeResume(h.db, store, u.id);
    await submitApplication(
      h.db,
      { store },
      u.id,
      { jobId: otherJob.id, resumeId: r.id, eeo: { gender: 'female', ethnicity: 'white', veteran: 'decline', disability: 'decline' } },
      { now: T0 },
    );
    // Views and apply starts for job A today and tomorrow: bots and repeat visits do not count.
    const counter = createViewCounter(h.db);
    const today = new Date();
    const tomorrow = new Date(today.getTime() + DAY);
    const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
    counter.visit(jobA.id, 'view', { address: '203.0.113.1', userAgent: chrome }, today);
    counter.visit(jobA.id, 'view', { address: '203.0.113.1', userAgent: chrome }, today);
    counter.visit(jobA.id, 'view', { address: '203.0.113.2', userAgent: chrome }, today);
    counter.visit(jobA.id, 'view', { address: '203.0.113.3', userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }, today);
    counter.visit(jobA.id, 'apply', { address: '203.0.113.1', userAgent: chrome }, today);
    await counter.flush();
    counter.visit(jobA.id, 'view', { address: '203.0.113.1', userAgent: chrome }, today); // again, a later flush: still once that day
    counter.visit(jobA.id, 'view', { address: '203.0.113.1', userAgent: chrome }, tomorrow);
    await counter.flush();
  });

  it('funnel per job and for the organization, with conversions', async () => {
    const r = await loadReport(h.db, { orgId: team.org.id, role: 'admin' }, period());
    const a = r.funnel!.jobs.find((j) => j.jobId === jobA.id)!;
    const b = r.funnel!.jobs.find((j) => j.jobId === jobB.id)!;
    expect(a).toMatchObject({ views: 3, applyStarts: 1, applications: 22, screening: 16, interview: 5, offer: 0, hired: 0 });
    expect(b).toMatchObject({ views: 0, applyStarts: 0, applications: 3, screening: 2, interview: 1, offer: 1, hired: 1 });
    expect(r.funnel!.total.map((s) => [s.key, s.count])).toEqual([
      ['views', 3],
      ['applyStarts', 1],
      ['applications', 25],
      ['screening', 18],
      ['interview', 6],
      ['offer', 1],
      ['hired', 1],
    ]);
    const conv = Object.fromEntries(r.funnel!.total.map((s) => [s.key, s.conversion]));
    expect(conv.views).toBeNull();
    expect(conv.applyStarts).toBeCloseTo(1 / 3);
    expect(conv.screening).toBeCloseTo(18 / 25);
    expect(conv.interview).toBeCloseTo(6 / 18);
    expect(conv.hired).toBe(1);
    // One job chosen: only its figures.
    const onlyB = await loadReport(h.db, { orgId: team.org.id, role: 'admin' }, { ...period(), job: jobB.id });
    expect(onlyB.funnel!.jobs.map((j) => j.jobId)).toEqual([jobB.id]);
    // A period that holds only B4.
    const old = parseReportParams(
      new URLSearchParams({
        from: new Date(T0.getTime() - 201 * DAY).toISOString().slice(0, 10),
        to: new Date(T0.getTime() - 199 * DAY).toISOString().slice(0, 10),
      }),
    ).params;
    const rOld = await loadReport(h.db, { orgId: team.org.id, role: 'admin' }, old);
    expect(rOld.funnel!.total.find((s) => s.key === 'applications')!.count).toBe(1);
  });

  it('counts views once per visitor per job per day, leaves bots out, and keeps no address or past salt', async () => {
    const days = await h.db.select().from(jobDailyStats).where(eq(jobDailyStats.jobId, jobA.id)).orderBy(jobDailyStats.day);
    expect(days.map((d) => [d.day, d.views, d.applyStarts])).toEqual([
      [new Date().toISOString().slice(0, 10), 2, 1],
      [new Date(Date.now() + DAY).toISOString().slice(0, 10), 1, 0],
    ]);
    const marks = await h.db.select().from(visitorMarks);
    expect(JSON.stringify(marks)).not.toContain('203.0.113');
    // Marks and salts of days before today are gone after a flush.
    const today = new Date().toISOString().slice(0, 10);
    await h.db.insert(visitorSalts).values({ day: '2020-01-01', salt: 'old' });
    await h.db.insert(visitorMarks).values({ day: '2020-01-01', hash: 'old-mark' });
    const c = createViewCounter(h.db);
    c.visit(jobA.id, 'view', { address: '198.51.100.9', userAgent: 'curl/8.5.0' }); // a bot: not even pending
    expect(c.pending()).toBe(0);
    c.visit(jobA.id, 'view', { address: '198.51.100.9', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1' });
    await c.flush();
    expect((await h.db.select().from(visitorMarks)).every((m) => m.day >= today)).toBe(true);
    expect((await h.db.select().from(visitorSalts)).every((s) => s.day >= today)).toBe(true);
  });

  it('sources recorded at apply time', async () => {
    const r = await loadReport(h.db, { orgId: team.org.id, role: 'recruiter' }, period());
    const by = Object.fromEntries(r.sources!.map((s) => [s.source, [s.applications, s.interviewed, s.hired]]));
    expect(by).toEqual({ search: [10, 5, 0], alert: [5, 0, 0], rss: [5, 0, 0], feed: [1, 0, 0], organization: [1, 0, 0], direct: [2, 1, 1], other: [1, 0, 0] });
    const [b3] = await h.db
      .select({ source: applications.source })
      .from(applications)
      .where(eq(applications.id, appIds.get('B3')!.id));
    expect(b3!.source).toBe('direct');
  });

  it('speed: median and 90th percentile per stage, first review, hire, and who waits longest', async () => {
    const s = (await loadReport(h.db, { orgId: team.org.id, role: 'admin' }, period())).speed!;
    // Applied stays: sixteen of 10 h, then 12, 24, 48 h. Screening: five of 10 h, 24, 48 h.
    expect(s.inStage.applied.n).toBe(19);
    expect(s.inStage.applied.median).toBeCloseTo(10);
    expect(s.inStage.applied.p90).toBeCloseTo(14.4);
    expect(s.inStage.screening).toMatchObject({ n: 7 });
    expect(s.inStage.screening.median).toBeCloseTo(10);
    expect(s.inStage.screening.p90).toBeCloseTo(33.6);
    expect(s.inStage.interview).toMatchObject({ n: 1, median: 48, p90: 48 });
    expect(s.inStage.offer).toMatchObject({ n: 1, median: 24, p90: 24 });
    expect(s.firstReview.n).toBe(19);
    expect(s.firstReview.median).toBeCloseTo(10);
    expect(s.firstReview.p90).toBeCloseTo(14.4);
    expect(s.toHire).toMatchObject({ n: 1, median: 144, p90: 144 });
    // Waiting now: applied holds M1–M5, N1 and B4 (B4 the oldest, whatever the period); at most five are listed.
    expect(s.waiting.applied).toHaveLength(5);
    expect(s.waiting.applied[0]!.applicationId).toBe(appIds.get('B4')!.id);
    expect(s.waiting.interview.map((w) => w.candidateName).sort()).toEqual(['F1', 'F2', 'F3', 'F4', 'F5']);
    expect(s.waiting.offer).toEqual([]);
  });

  it('licensure mix per job: eligible in state, needs a license, no accepted credential, credential classes', async () => {
    const l = (await loadReport(h.db, { orgId: team.org.id, role: 'recruiter' }, period())).licensure!;
    const a = l.find((x) => x.jobId === jobA.id)!;
    expect(a).toMatchObject({ applicants: 22, eligible: 10, needsLicense: 5, noMatch: 7 });
    expect(a.classes).toEqual({ 'social-work': 15, 'professional-counselor': 5, none: 2 });
    const b = l.find((x) => x.jobId === jobB.id)!;
    expect(b).toMatchObject({ applicants: 3, eligible: 1, needsLicense: 0, noMatch: 2 });
    expect(b.classes).toEqual({ 'social-work': 1, none: 2 });
  });

  it('fairness: selection rates, four-fifths ratios and suppression under 5, from EEO rows that never name an application', async () => {
    const f = (await loadReport(h.db, { orgId: team.org.id, role: 'hiring_manager' }, period())).fairness!;
    expect(f.responses).toBe(22);
    const step = (field: string, key: string) => f.tables.find((t) => t.field === field)!.steps.find((s) => s.step.key === key)!.rows;
    const row = (rs: ReturnType<typeof step>, g: string) => rs.find((r) => r.group === g)!;

    const g1 = step('gender', 'screening');
    expect(row(g1, 'Female')).toMatchObject({ entered: 10, selected: 10, rate: 1, ratio: 1, highest: true, belowFourFifths: false, suppressed: false });
    expect(row(g1, 'Male')).toMatchObject({ entered: 10, selected: 5, rate: 0.5, ratio: 0.5, belowFourFifths: true });
    expect(row(g1, 'Nonbinary')).toMatchObject({ entered: null, selected: null, rate: null, ratio: null, suppressed: true });
    const g2 = step('gender', 'interview');
    expect(row(g2, 'Female')).toMatchObject({ entered: 10, selected: 5, rate: 0.5, ratio: 1, highest: true });
    expect(row(g2, 'Male')).toMatchObject({ entered: 5, selected: 0, rate: 0, ratio: 0, belowFourFifths: true });
    const g3 = step('gender', 'offer');
    expect(g3.map((r) => [r.group, r.rate, r.ratio])).toEqual([['Female', 0, null]]);

    const e1 = step('ethnicity', 'screening');
    expect(row(e1, 'Black or African American')).toMatchObject({ entered: 10, rate: 1, ratio: 1, highest: true });
    expect(row(e1, 'White')).toMatchObject({ entered: 10, selected: 5, rate: 0.5, ratio: 0.5, belowFourFifths: true });
    const e2 = step('ethnicity', 'interview');
    expect(row(e2, 'White')).toMatchObject({ entered: 5, selected: 5, rate: 1, ratio: 1 });
    expect(row(e2, 'Black or African American')).toMatchObject({ entered: 10, selected: 0, rate: 0, ratio: 0, belowFourFifths: true });

    // The knockout: F1 alone was knocked out among 10 women (1 not selected: suppressed), no man was.
    const ko = f.knockouts.find((q) => q.questionId === question.id)!;
    const kg = ko.fields.find((x) => x.field === 'gender')!.rows;
    expect(row(kg, 'Female')).toMatchObject({ entered: 10, selected: null, rate: null, suppressed: true });
    expect(row(kg, 'Male')).toMatchObject({ entered: 10, selected: 10, rate: 1, ratio: 1, highest: true });
    expect(row(kg, 'Nonbinary')).toMatchObject({ entered: null, suppressed: true });

    // The rows themselves: no candidate or application id, a keyed hash that is not the id, and the stage the server kept.
    const eeo = await rows<Record<string, unknown>>(h.db, sql`select * from eeo_responses where org_id = ${team.org.id}::uuid`);
    const ids = [...appIds.values()].map((a) => a.id);
    for (const e of eeo) for (const v of Object.values(e)) expect(ids).not.toContain(String(v));
    expect(Object.keys(eeo[0]!).sort()).toEqual([
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
    const stages = await h.db
      .select({ s: eeoResponses.furthestStage, n: sql<number>`count(*)::int` })
      .from(eeoResponses)
      .where(eq(eeoResponses.orgId, team.org.id))
      .groupBy(eeoResponses.furthestStage);
    expect(Object.fromEntries(stages.map((x) => [x.s, x.n]))).toEqual({ applied: 6, screening: 11, interview: 5 });
  });

  it('recruiters get the pipeline sections only; the CSV holds every figure with suppression spelled out', async () => {
    const rec = await loadReport(h.db, { orgId: team.org.id, role: 'recruiter' }, period());
    expect(rec.sections).toEqual(['funnel', 'sources', 'speed', 'licensure']);
    expect(rec.fairness).toBeUndefined();
    const asked = await loadReport(h.db, { orgId: team.org.id, role: 'recruiter' }, { ...period(), section: 'fairness' });
    expect(asked.sections).toEqual([]);
    const admin = await loadReport(h.db, { orgId: team.org.id, role: 'admin' }, period());
    const csv = reportCsv(admin, 'Report Health');
    expect(csv.split('\n')[0]).toBe('Section,Scope,Item,Measure,Value');
    expect(csv).toContain('funnel,Report Health,Applications,count,25');
    expect(csv).toContain('sources,Report Health,On-site search,applications,10');
    expect(csv).toContain('licensure,Therapist A,Eligible in PA,count,10');
    expect(csv).toContain('fairness,Gender: Applied → screening,Male,ratio to highest,0.50');
    expect(csv).toContain('fairness,Gender: Applied → screening,Nonbinary,entered,fewer than 5');
    expect(csv).toContain('speed,Report Health,Time to hire,median hours,144.0');
    // Another organization's job is not found.
    const otherOrg = await makeTeam(h.db);
    const foreign = await makeJob(h.db, otherOrg.org.id);
    await expect(loadReport(h.db, { orgId: team.org.id, role: 'admin' }, { ...period(), job: foreign.id })).rejects.toMatchObject({ code: 'not_found' });
  });
});
