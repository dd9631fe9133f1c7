import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rows } from '#db/client';
import { applications, auditLog, jobCredentials, jobs, screeningQuestions, searchOutbox } from '#db/schema';
import { ServiceError } from '#lib/shared/errors';
import { expireDueJobs } from '#lib/jobs/expiry';
import { getPublicJob } from '#lib/jobs/queries';
import { jobFormSchema, jobInputSchema } from '#lib/jobs/schema';
import {
  closeJob,
  createJob,
  duplicateJob,
  EDIT_CONFLICT_MESSAGE,
  getOrgJob,
  jobToInput,
  listOrgJobs,
  publishJob,
  renewJob,
  updateJob,
} from '#lib/jobs/service';
import { computeSearchExtra } from '#lib/jobs/search-text';
import { indeedFeed } from '#lib/feeds/indeed';
import { skippedFeedItems } from '#lib/feeds/items';
import { iterateOpenJobs } from '#lib/feeds/queries';
import { loadIndexState } from '#lib/search/documents';
import { isoDay, jobInput, makeJob, makeTeam, makeUser, type Team } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

const DAY = 86_400_000;

describe.skipIf(!hasPostgres)(`the posting workflow (${skipReason})`, () => {
  const h = useTestDb();
  let t: Team;
  const auditFor = (jobId: string) =>
    h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'job'), eq(auditLog.entityId, jobId)))
      .orderBy(asc(auditLog.createdAt));
  const outboxFor = (jobId: string) => h.db.select().from(searchOutbox).where(eq(searchOutbox.jobId, jobId)).orderBy(asc(searchOutbox.id));
  /** The job row, its newest outbox row and its newest audit row were written by one transaction. */
  async function sameTransaction(jobId: string): Promise<boolean> {
    const [r] = await rows<{ same: boolean }>(
      h.db,
      sql`select (select xmin::text from jobs where id = ${jobId}) = (select xmin::text from search_outbox where job_id = ${jobId} order by id desc limit 1)
          and (select xmin::text from jobs where id = ${jobId}) = (select xmin::text from audit_log where entity_id = ${jobId} order by created_at desc limit 1) as same`,
    );
    return r!.same;
  }

  beforeAll(async () => {
    t = await makeTeam(h.db, 'Summit Ridge Health');
  });
  beforeEach(async () => {
    await h.db.delete(searchOutbox);
  });

  it('walks draft → published → closed → renewed, with audit and outbox rows in the same transaction', async () => {
    const actor = t.actors.hiring_manager;
    const draft = await createJob(h.db, actor, jobInput());
    expect(draft.status).toBe('draft');
    expect(draft.slug).toMatch(/^lcsw-primary-therapist-adult-iop-pittsburgh-pa-[a-z2-7]{6}$/);
    let [row] = await h.db.select().from(jobs).where(eq(jobs.id, draft.id));
    expect(row!.postedAt).toBeNull();
    expect(row!.createdBy).toBe(actor.userId);
    expect(row!.lat).toBeCloseTo(40.44, 1);
    expect(row!.searchExtra).toBe(computeSearchExtra(['LCSW', 'LPC'], 'Summit Ridge Health', 'therapist'));
    expect(row!.searchExtra).toContain('Licensed Clinical Social Worker');
    expect(row!.searchExtra).toContain('Therapist / Primary Clinician');
    expect(await sameTransaction(draft.id)).toBe(true);
    // Drafts are invisible outside the organization.
    expect(await getPublicJob(h.db, draft.slug)).toBeNull();
    expect((await loadIndexState(h.db, [draft.id])).deletes).toEqual([draft.id]);

    const published = await publishJob(h.db, actor, draft.id);
    expect(published.status).toBe('published');
    [row] = await h.db.select().from(jobs).where(eq(jobs.id, draft.id));
    const postedAt = row!.postedAt!;
    expect(postedAt).toBeInstanceOf(Date);
    expect(await sameTransaction(draft.id)).toBe(true);
    expect((await getPublicJob(h.db, draft.slug))?.open).toBe(true);
    expect((await loadIndexState(h.db, [draft.id])).upserts.map((d) => d.id)).toEqual([draft.id]);
    await expect(publishJob(h.db, actor, draft.id)).rejects.toMatchObject({ code: 'conflict' });

    const closed = await closeJob(h.db, actor, draft.id);
    expect(closed.status).toBe('closed');
    expect((await outboxFor(draft.id)).at(-1)!.op).toBe('delete');
    expect(await sameTransaction(draft.id)).toBe(true);
    const pub = await getPublicJob(h.db, draft.slug);
    expect(pub?.open).toBe(false);
    expect(pub?.closedReason).toBe('closed');

    const renewed = await renewJob(h.db, actor, draft.id, { validThrough: isoDay(new Date(Date.now() + 45 * DAY)) });
    expect(renewed.status).toBe('published');
    [row] = await h.db.select().from(jobs).where(eq(jobs.id, draft.id));
    expect(row!.postedAt!.getTime()).toBe(postedAt.getTime()); // renewing does not fake freshness
    expect(row!.closedAt).toBeNull();
    expect(await sameTransaction(draft.id)).toBe(true);

    expect((await auditFor(draft.id)).map((a) => [a.action, a.actorId])).toEqual([
      ['job.created', actor.userId],
      ['job.published', actor.userId],
      ['job.closed', actor.userId],
      ['job.renewed', actor.userId],
    ]);
    expect((await outboxFor(draft.id)).length).toBe(4);
  });

  it('the test factory writes a posting as the service does: the same search text and slug rule', async () => {
    const input = jobInput({
      title: 'Group Therapist – Adult PHP',
      role: 'group-therapist',
      credentials: ['LPC', 'LCSW'],
    });
    const viaService = (await getOrgJob(h.db, t.org.id, (await createJob(h.db, t.actors.admin, input)).id))!.job;
    const viaFactory = await makeJob(h.db, t.org.id, {
      title: input.title,
      role: input.role,
      city: input.city,
      state: input.state,
      credentials: input.credentials,
    });
    expect(viaFactory.searchExtra).toBe(viaService.searchExtra);
    const withoutSuffix = (slug: string) => slug.replace(/-[^-]+$/, '');
    expect(withoutSuffix(viaFactory.slug)).toBe(withoutSuffix(viaService.slug));
  });

  it('rolls the job change back with its outbox row when any part of the transaction fails', async () => {
    const job = await createJob(h.db, t.actors.admin, jobInput({ title: 'Rollback Check Therapist' }), {
      publish: true,
    });
    await h.db.delete(searchOutbox);
    // Make the audit insert of a close fail, after the job update and the outbox insert ran.
    await h.db.execute(
      sql.raw(`
      create or replace function fail_close_audit() returns trigger language plpgsql as $$ begin raise exception 'audit store down'; end $$;
      create trigger fail_close_audit before insert on audit_log for each row when (new.action = 'job.closed') execute function fail_close_audit();
    `),
    );
    try {
      await expect(closeJob(h.db, t.actors.admin, job.id)).rejects.toThrow();
    } finally {
      await h.db.execute(sql.raw('drop trigger fail_close_audit on audit_log; drop function fail_close_audit();'));
    }
    const [row] = await h.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(row!.status).toBe('published');
    expect(await outboxFor(job.id)).toHaveLength(0);
  });

  it('keeps the slug on edit, records which fields changed, and keeps answered questions', async () => {
    const actor = t.actors.admin;
    const job = await createJob(h.db, actor, jobInput(), { publish: true });
    const before = (await getOrgJob(h.db, t.org.id, job.id))!;
    const keptQuestion = before.questions[0]!;

    // An applicant answered the first question.
    const candidate = await makeUser(h.db);
    const [app] = await h.db.insert(applications).values({ jobId: job.id, candidateId: candidate.id }).returning();
    await h.db.execute(sql`insert into application_answers (application_id, question_id, answer) values (${app!.id}, ${keptQuestion.id}, 'yes')`);

    const input = jobToInput(before);
    const updated = await updateJob(h.db, actor, job.id, {
      ...input,
      title: 'Senior LCSW Therapist – Adult IOP',
      payMax: 90000,
      credentials: ['LCSW', 'LICSW', 'LMFT'],
      questions: [
        { ...input.questions![0]!, prompt: 'Do you hold an active Pennsylvania license?' },
        { kind: 'short_text', prompt: 'When could you start?', required: false, knockoutAnswer: null },
      ],
    });
    expect(updated.slug).toBe(job.slug);
    const after = (await getOrgJob(h.db, t.org.id, job.id))!;
    expect(after.job.title).toBe('Senior LCSW Therapist – Adult IOP');
    expect(after.credentials).toEqual(['LCSW', 'LICSW', 'LMFT']);
    expect(after.questions.map((q) => [q.position, q.kind, q.prompt])).toEqual([
      [0, 'yes_no', 'Do you hold an active Pennsylvania license?'],
      [1, 'short_text', 'When could you start?'],
    ]);
    expect(after.questions[0]!.id).toBe(keptQuestion.id);
    const [answers] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from application_answers where question_id = ${keptQuestion.id}`);
    expect(answers!.n).toBe(1);
    expect(after.job.searchExtra).toContain('LMFT');
    expect(after.job.searchExtra).toContain('Licensed Marriage and Family Therapist');
    const audit = (await auditFor(job.id)).at(-1)!;
    expect(audit.action).toBe('job.updated');
    expect(audit.data).toEqual({ fields: ['title', 'payMax'] });
    expect(await sameTransaction(job.id)).toBe(true);
  });

  it('validates with the posting schema and says what to fix', async () => {
    const actor = t.actors.admin;
    const inverted = createJob(h.db, actor, jobInput({ payMin: 90000, payMax: 80000, credentials: [] }));
    await expect(inverted).rejects.toMatchObject({ code: 'invalid' });
    // Exactly the two fields at fault carry a message.
    await expect(inverted).rejects.toHaveProperty('fields', {
      credentials: expect.any(Array),
      payMax: expect.any(Array),
    });
    const knockout = {
      kind: 'single_choice' as const,
      prompt: 'Which shift?',
      options: ['Days', 'Evenings'],
      knockoutAnswer: 'Nights',
    };
    await expect(createJob(h.db, actor, jobInput({ questions: [knockout] }))).rejects.toMatchObject({
      code: 'invalid',
      fields: { 'questions.0.knockoutAnswer': ['The knockout answer must be one of the options.'] },
    });
    await expect(createJob(h.db, actor, jobInput({ payPeriod: 'hour', payMin: 68000, payMax: 82000 }))).rejects.toMatchObject({
      code: 'invalid',
      fields: { payMin: [expect.stringMatching(/between \$10 and \$500/)] },
    });
    await expect(createJob(h.db, actor, jobInput({ zip: '00000' }))).rejects.toMatchObject({
      code: 'invalid',
      fields: { zip: [expect.stringMatching(/don't know the ZIP/)] },
    });
    await expect(createJob(h.db, actor, jobInput({ validThrough: isoDay(new Date(Date.now() - 2 * DAY)) }), { publish: true })).rejects.toMatchObject({
      code: 'invalid',
      fields: { validThrough: expect.anything() },
    });
    // Nothing was written by any of them.
    expect(await h.db.select().from(searchOutbox)).toHaveLength(0);
  });

  it('parses the HTML form into the same schema (FormData → posting)', () => {
    const fd = new FormData();
    const v = jobInput();
    for (const [k, val] of Object.entries(v)) {
      if (k === 'questions' || k === 'credentials' || k === 'populations' || k === 'supervisionOffered') continue;
      fd.set(k, String(val));
    }
    fd.set('payMin', '$68,000');
    for (const c of v.credentials) fd.append('credentials', c);
    fd.append('populations', 'adults');
    fd.set('supervisionOffered', 'on');
    fd.set('questions.0.prompt', 'Which shift can you work?');
    fd.set('questions.0.kind', 'single_choice');
    fd.set('questions.0.options', 'Evenings\r\nWeekends\n');
    fd.set('questions.0.knockoutAnswer', 'Weekends');
    fd.set('questions.0.required', 'on');
    fd.set('questions.1.prompt', '   '); // an empty slot
    fd.set('questions.1.kind', 'yes_no');
    fd.set('org', t.org.id);
    fd.set('intent', 'publish');
    const parsed = jobFormSchema.parse(fd);
    expect(parsed).toMatchObject({
      org: t.org.id,
      intent: 'publish',
      payMin: 68000,
      supervisionOffered: true,
      populations: ['adults'],
    });
    expect(parsed.questions).toEqual([
      {
        kind: 'single_choice',
        prompt: 'Which shift can you work?',
        options: ['Evenings', 'Weekends'],
        required: true,
        knockoutAnswer: 'Weekends',
      },
    ]);
    // The service's schema accepts what the form's schema produced.
    expect(jobInputSchema.safeParse(parsed).success).toBe(true);
  });

  it('requires a confirmed email to publish, and an editor role to change anything', async () => {
    const unverified = { ...t.actors.hiring_manager, emailVerified: false };
    const draft = await createJob(h.db, unverified, jobInput());
    await expect(publishJob(h.db, unverified, draft.id)).rejects.toThrow(/Confirm your email/);
    await expect(createJob(h.db, unverified, jobInput(), { publish: true })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const rec = t.actors.recruiter;
    await expect(createJob(h.db, rec, jobInput())).rejects.toMatchObject({ code: 'forbidden' });
    await expect(updateJob(h.db, rec, draft.id, jobInput())).rejects.toMatchObject({ code: 'forbidden' });
    await expect(publishJob(h.db, rec, draft.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(closeJob(h.db, rec, draft.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(duplicateJob(h.db, rec, draft.id)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('duplicates a posting as a draft under a new slug, credentials and questions included', async () => {
    const src = await createJob(h.db, t.actors.admin, jobInput({ title: 'Group Therapist – Adolescent PHP', role: 'group-therapist' }), { publish: true });
    const copy = await duplicateJob(h.db, t.actors.hiring_manager, src.id);
    expect(copy.status).toBe('draft');
    expect(copy.slug).not.toBe(src.slug);
    expect(copy.slug).toMatch(/^group-therapist-adolescent-php-pittsburgh-pa-/);
    const a = (await getOrgJob(h.db, t.org.id, src.id))!;
    const b = (await getOrgJob(h.db, t.org.id, copy.id))!;
    expect(b.credentials).toEqual(a.credentials);
    expect(b.questions.map((q) => q.prompt)).toEqual(a.questions.map((q) => q.prompt));
    expect(b.questions.map((q) => q.id)).not.toEqual(a.questions.map((q) => q.id));
    expect(b.job.postedAt).toBeNull();
    expect(b.job.viewCount).toBe(0);
    expect((await auditFor(copy.id))[0]!.data).toEqual({ from: src.id });
    expect(await h.db.select().from(jobCredentials).where(eq(jobCredentials.jobId, copy.id))).toHaveLength(2);
  });

  it('expires at valid-through without a cron, shows it on the dashboard, and renews', async () => {
    const now = new Date();
    const job = await createJob(h.db, t.actors.admin, jobInput({ title: 'Expiring Therapist', validThrough: isoDay(new Date(now.getTime() + 2 * DAY)) }), {
      publish: true,
    });
    let dash = (await listOrgJobs(h.db, t.org.id, now)).find((j) => j.id === job.id)!;
    expect(dash).toMatchObject({ status: 'published', expiringSoon: true });
    expect(dash.daysLeft).toBeGreaterThanOrEqual(2);

    await h.db.delete(searchOutbox);
    const later = new Date(now.getTime() + 4 * DAY);
    const expired = await expireDueJobs(h.db, later);
    expect(expired).toContain(job.id);
    expect((await outboxFor(job.id)).map((o) => o.op)).toEqual(['delete']);
    dash = (await listOrgJobs(h.db, t.org.id, later)).find((j) => j.id === job.id)!;
    expect(dash.status).toBe('expired');
    expect((await getPublicJob(h.db, job.slug))?.open).toBe(false);
    expect((await getPublicJob(h.db, job.slug))?.closedReason).toBe('expired');

    await renewJob(h.db, t.actors.admin, job.id);
    const [row] = await h.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(row!.expiredAt).toBeNull();
    expect(row!.validThrough.getTime()).toBeGreaterThan(now.getTime() + 29 * DAY);
    expect((await auditFor(job.id)).at(-1)!.data).toMatchObject({ from: 'expired' });
  });

  it('counts applicants and views for the dashboard', async () => {
    const job = await createJob(h.db, t.actors.admin, jobInput({ title: 'Counted Therapist' }), { publish: true });
    const people = await Promise.all([makeUser(h.db), makeUser(h.db), makeUser(h.db)]);
    await h.db.insert(applications).values([
      { jobId: job.id, candidateId: people[0]!.id },
      { jobId: job.id, candidateId: people[1]!.id, stage: 'interview' },
      { jobId: job.id, candidateId: people[2]!.id, stage: 'withdrawn' },
    ]);
    await h.db.update(jobs).set({ viewCount: 17 }).where(eq(jobs.id, job.id));
    const row = (await listOrgJobs(h.db, t.org.id)).find((j) => j.id === job.id)!;
    expect(row).toMatchObject({ applicants: 2, newApplicants: 1, viewCount: 17 });
  });

  it('keeps each organization to its own postings: another organization’s id is the same not-found as a missing one', async () => {
    const other = await makeTeam(h.db, 'Elsewhere Health');
    const theirs = await createJob(h.db, other.actors.admin, jobInput({ title: 'Their Draft Therapist' }));
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const id of [theirs.id, missing]) {
      const attempts = {
        updateJob: () => updateJob(h.db, t.actors.admin, id, jobInput()),
        publishJob: () => publishJob(h.db, t.actors.admin, id),
        closeJob: () => closeJob(h.db, t.actors.admin, id),
        renewJob: () => renewJob(h.db, t.actors.admin, id),
        duplicateJob: () => duplicateJob(h.db, t.actors.admin, id),
      };
      for (const [name, attempt] of Object.entries(attempts)) {
        await expect(attempt(), name).rejects.toMatchObject({
          code: 'not_found',
          message: 'We could not find that page.',
        });
      }
      expect(await getOrgJob(h.db, t.org.id, id)).toBeNull();
    }
    const [row] = await h.db.select().from(jobs).where(eq(jobs.id, theirs.id));
    expect(row!.status).toBe('draft');
    expect(await h.db.select().from(screeningQuestions).where(eq(screeningQuestions.jobId, theirs.id))).toHaveLength(2);
  });
  describe('optimistic concurrency on edits (version)', () => {
    const versionOf = async (id: string) => (await h.db.select({ v: jobs.version }).from(jobs).where(eq(jobs.id, id)))[0]!.v;

    it('of two edits started from the same version, one is saved and the other is a conflict that writes nothing', async () => {
      const actor = t.actors.admin;
      const job = await createJob(h.db, actor, jobInput({ title: 'Race Therapist – Adult IOP' }), { publish: true });
      const start = await versionOf(job.id);
      const input = jobToInput((await getOrgJob(h.db, t.org.id, job.id))!);
      await h.db.delete(searchOutbox);
      const auditsBefore = (await auditFor(job.id)).length;

      // Both editors opened the form at `start`; their saves run at the same time.
      const edits = [
        { ...input, title: 'Race Therapist – edited by Alex', payMax: 91000, credentials: ['LCSW'] },
        { ...input, title: 'Race Therapist – edited by Blair', payMax: 99000, credentials: ['LPC', 'LMFT'] },
      ];
      const results = await Promise.allSettled(edits.map((e, i) => updateJob(h.db, i ? t.actors.hiring_manager : actor, job.id, e, { version: start })));
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(won).toHaveLength(1);
      const loser = results[1 - won[0]!]!;
      expect(loser.status).toBe('rejected');
      const err = (loser as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(ServiceError);
      expect([err.code, err.message]).toEqual(['conflict', EDIT_CONFLICT_MESSAGE]);

      // Only the winner's edit is in the database, its children included; the version moved by one.
      const winner = edits[won[0]!]!;
      const after = (await getOrgJob(h.db, t.org.id, job.id))!;
      expect([after.job.title, after.job.payMax, after.credentials]).toEqual([winner.title, winner.payMax, [...winner.credentials].sort()]);
      expect(after.job.version).toBe(start + 1);
      expect((await auditFor(job.id)).length).toBe(auditsBefore + 1);
      expect(await outboxFor(job.id)).toHaveLength(1);

      // The loser, after review, saves again from the current version: that is applied.
      const retried = await updateJob(h.db, actor, job.id, { ...edits[1 - won[0]!]! }, { version: after.job.version });
      expect(retried.version).toBe(start + 2);
      expect((await getOrgJob(h.db, t.org.id, job.id))!.job.title).toBe(edits[1 - won[0]!]!.title);
    });

    it('a stale version is refused even when the other change was a status change (publish, close, renew each add one)', async () => {
      const actor = t.actors.admin;
      const draft = await createJob(h.db, actor, jobInput({ title: 'Version Therapist – Adult IOP' }));
      const v1 = await versionOf(draft.id);
      expect(v1).toBe(1);
      expect((await publishJob(h.db, actor, draft.id)).version).toBe(2);
      expect((await closeJob(h.db, actor, draft.id)).version).toBe(3);
      expect((await renewJob(h.db, actor, draft.id)).version).toBe(4);

      const input = jobToInput((await getOrgJob(h.db, t.org.id, draft.id))!);
      await expect(updateJob(h.db, actor, draft.id, { ...input, title: 'Overwrites the renewal' }, { version: 3 })).rejects.toMatchObject({
        code: 'conflict',
        message: EDIT_CONFLICT_MESSAGE,
      });
      const row = (await h.db.select().from(jobs).where(eq(jobs.id, draft.id)))[0]!;
      expect([row.title, row.version]).toEqual(['Version Therapist – Adult IOP', 4]);

      // A copy starts its own history.
      const copy = await duplicateJob(h.db, actor, draft.id);
      expect(await versionOf(copy.id)).toBe(1);
    });

    it('the edit form must carry the version it was opened at', () => {
      const fd = new FormData();
      for (const [k, v] of Object.entries({
        org: t.org.id,
        jobId: '00000000-0000-4000-8000-000000000000',
        title: 'LCSW Therapist',
        role: 'therapist',
      }))
        fd.set(k, v);
      const r = jobFormSchema.safeParse(fd);
      expect(r.success).toBe(false);
      expect(r.error!.issues.some((i) => i.path.length === 0 && /missing the posting’s version/.test(i.message))).toBe(true);
      fd.set('version', '3');
      const versioned = jobFormSchema.safeParse(fd);
      expect(versioned.error?.issues.some((i) => /version/.test(i.message)) ?? false).toBe(false);
    });
  });

  describe('descriptions that cannot render (19,000 nested quotes)', () => {
    const hostile = `Our evening IOP is hiring. Read on.\n\n${'>'.repeat(19_000)} hello`;

    it('are refused at save with a message on the description, and nothing is written', async () => {
      const actor = t.actors.admin;
      const jobsBefore = (await h.db.select({ id: jobs.id }).from(jobs)).length;
      await expect(createJob(h.db, actor, jobInput({ descriptionMd: hostile }), { publish: true })).rejects.toMatchObject({
        code: 'invalid',
        fields: { descriptionMd: ['This description nests quotes or lists too deeply (19000 levels); use at most 8.'] },
      });
      expect((await h.db.select({ id: jobs.id }).from(jobs)).length).toBe(jobsBefore);

      const job = await createJob(h.db, actor, jobInput({ title: 'Quoted Therapist – Adult IOP' }));
      const input = jobToInput((await getOrgJob(h.db, t.org.id, job.id))!);
      await expect(updateJob(h.db, actor, job.id, { ...input, descriptionMd: hostile }, { version: 1 })).rejects.toMatchObject({
        fields: { descriptionMd: [expect.stringMatching(/too deeply \(19000 levels\); use at most 8\.$/)] },
      });
      const row = (await h.db.select().from(jobs).where(eq(jobs.id, job.id)))[0]!;
      expect([row.descriptionMd, row.version]).toEqual([input.descriptionMd, 1]);

      // Eight levels are fine.
      const eight = await updateJob(h.db, actor, job.id, { ...input, descriptionMd: `${input.descriptionMd}\n\n${'> '.repeat(8)}quoted` }, { version: 1 });
      expect(eight.version).toBe(2);
    });

    it('a stored one (saved before the check) is left out of the jobs feed, which still lists every other open job', async () => {
      const actor = t.actors.admin;
      const good = await createJob(h.db, actor, jobInput({ title: 'Feed Therapist – Adult IOP' }), { publish: true });
      const legacy = await createJob(h.db, actor, jobInput({ title: 'Legacy Quoted Therapist – IOP' }), {
        publish: true,
      });
      // As a row written before the save-time check existed.
      await h.db.update(jobs).set({ descriptionMd: hostile }).where(eq(jobs.id, legacy.id));
      const open = (await Array.fromAsync(iterateOpenJobs(h.db, { pageSize: 2 }))).flat();
      expect(open.length).toBeGreaterThan(2); // more than one page, so the bad job is not alone on its page

      const skippedBefore = (await skippedFeedItems())['jobs.xml'] ?? 0;
      const xml = (
        await Array.fromAsync(
          indeedFeed(iterateOpenJobs(h.db, { pageSize: 2 }), {
            site: 'https://jobs.test',
            publisher: 'PHP/IOP Jobs',
            lastBuildDate: new Date(),
          }),
        )
      ).join('');
      expect(xml.startsWith('<?xml')).toBe(true);
      expect(xml.trimEnd().endsWith('</source>')).toBe(true);
      const refs = [...xml.matchAll(/<referencenumber><!\[CDATA\[([^\]]+)\]\]><\/referencenumber>/g)].map((m) => m[1]);
      expect(refs).toContain(good.id);
      expect(refs).not.toContain(legacy.id);
      expect(new Set(refs)).toEqual(new Set(open.filter((j) => j.id !== legacy.id).map((j) => j.id)));
      expect(xml).toContain('<!-- 1 job left out because it could not be rendered. -->');
      expect((await skippedFeedItems())['jobs.xml']).toBe(skippedBefore + 1);
      await h.db.update(jobs).set({ status: 'closed', closedAt: new Date() }).where(eq(jobs.id, legacy.id));
    });
  });
});
