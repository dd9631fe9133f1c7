import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Db, type DbHandle } from '#db/client';
import {
  accountEvents,
  applicationEvents,
  applicationNotes,
  applicationRatings,
  applications,
  auditLog,
  eeoResponses,
  interviews,
  mailOutbox,
  members,
  organizations,
  resumes,
  users,
} from '#db/schema';
import { submitApplication } from '#lib/applications/apply';
import { listMyApplications } from '#lib/applications/candidate';
import { moveApplication } from '#lib/applications/moves';
import { addNote, rateApplication } from '#lib/applications/notes';
import { verifyLicense } from '#lib/applications/verification';
import { applicationForTeam, pipelineForJob } from '#lib/applications/pipeline';
import { ANONYMIZED_CANDIDATE } from '#lib/applications/stages';
import { saveSearch } from '#lib/alerts/service';
import { createSession } from '#lib/auth/session';
import { inviteMember } from '#lib/orgs/service';
import { saveProfile } from '#lib/profile/service';
import { deleteAccount } from '#lib/privacy/delete-account';
import { exportZipStream, startExport } from '#lib/privacy/export';
import { runRetention, setRetention } from '#lib/retention/policy';
import { screenApplicants } from '#lib/screening/query';
import { screeningSchema } from '#lib/screening/params';
import { sweepOrphanResumeFiles } from '#lib/resumes/sweep';
import { writeResumeFile } from '#lib/resumes/storage';
import { makeJob, makeLicense, makeQuestions, makeResume, makeTeam, makeUser, tempStore, TEST_PASSWORD, type Team } from '../helpers/factories';
import { fakeMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { usePgliteDb, useTestDb } from '../helpers/test-db';

const DAY = 86_400_000;

/**
 * Every text-like column of every table, discovered from the catalog (so tables other
 * branches add are covered without a change here): [table.column, value] for each non-null value.
 */
async function dumpEveryTable(db: Db): Promise<[string, string][]> {
  const cols = await rows<{ schema: string; table: string; column: string }>(
    db,
    sql`select c.table_schema as schema, c.table_name as table, c.column_name as column
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
        where c.table_schema not in ('pg_catalog', 'information_schema')
          and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY') or c.udt_name = 'tsvector')
        order by 1, 2, 3`,
  );
  const out: [string, string][] = [];
  for (const c of cols) {
    const id = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const vals = await rows<{ v: string }>(
      db,
      sql.raw(`select ${id(c.column)}::text as v from ${id(c.schema)}.${id(c.table)} where ${id(c.column)} is not null`),
    );
    for (const r of vals) out.push([`${c.schema}.${c.table}.${c.column}`, r.v]);
  }
  return out;
}

/** Whole rows of every table, for "nothing changed" comparisons. */
async function snapshot(db: Db, except: string[] = []): Promise<Record<string, string[]>> {
  const tables = await rows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and n.nspname = 'public' order by 1`,
  );
  const out: Record<string, string[]> = {};
  for (const t of tables) {
    if (except.includes(t.name)) continue;
    const r = await rows<{ v: string }>(db, sql.raw(`select t::text as v from public."${t.name}" t order by 1`));
    out[t.name] = r.map((x) => x.v);
  }
  return out;
}

describe.skipIf(!hasPostgres)(`data rights on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();
  const store = tempStore();
  const mail = () => fakeMail(h.db);
  afterAll(() => store.cleanup());

  let A: Team;
  let B: Team;
  beforeAll(async () => {
    A = await makeTeam(h.db, `Aspen Behavioral ${crypto.randomBytes(2).toString('hex')}`);
    B = await makeTeam(h.db, `Birchwood IOP ${crypto.randomBytes(2).toString('hex')}`);
  });

  /** A candidate with everything a person can leave on the site, applied to a job of A and one of B. */
  async function candidateWithHistory(label: string) {
    const tag = crypto.randomBytes(3).toString('hex');
    const person = {
      first: `Quillon${tag}`,
      last: `Zabriskie${tag}-Vollmer${tag}`,
      email: `qz-${label}-${tag}@example.com`,
      phone: `(412) 555-${String(crypto.randomInt(1000, 9999))}`,
    };
    const name = `${person.first} ${person.last}`;
    const u = await makeUser(h.db, { email: person.email, name });
    await saveProfile(h.db, u.id, { name, phone: person.phone, city: 'Pittsburgh', state: 'PA', headline: `${person.first} — LCSW, DBT` });
    const license = await makeLicense(h.db, u.id, { credentialCode: 'LCSW', state: 'PA', number: `LCSW-${tag}` });
    const resume = await makeResume(h.db, store, u.id, [name, person.email, person.phone]);
    await saveSearch(h.db, u.id, { name: `LCSW near ${person.first}`, query: 'q=therapist&state=PA', frequency: 'daily' });
    const session = await createSession(h.db, u.id);

    const jobA = await makeJob(h.db, A.org.id);
    const jobB = await makeJob(h.db, B.org.id);
    const apps: Record<'A' | 'B', string> = { A: '', B: '' };
    for (const [k, job] of [
      ['A', jobA],
      ['B', jobB],
    ] as const) {
      const [licensed, why] = await makeQuestions(h.db, job.id, [
        { kind: 'yes_no', prompt: 'Licensed in PA?', knockoutAnswer: 'no' },
        { kind: 'short_text', prompt: 'Why this program?', required: false },
      ]);
      const r = await submitApplication(h.db, { store, notifier: mail() }, u.id, {
        jobId: job.id,
        resumeId: resume.id,
        answers: { [licensed!.id]: 'yes', [why!.id]: `I am ${name}, call ${person.phone} or ${person.email}` },
        coverNote: `Dear team, ${name} here (${person.phone}).`,
        eeo: { gender: 'female', ethnicity: 'decline', veteran: 'decline', disability: 'decline' },
      });
      apps[k] = r.applicationId;
    }
    // The teams' internal records about the person.
    await addNote(h.db, A.actors.recruiter, { applicationId: apps.A, body: `A-INTERNAL-NOTE: spoke with ${name} at ${person.phone}` });
    await rateApplication(h.db, A.actors.hiring_manager, { applicationId: apps.A, rating: 4 });
    await verifyLicense(h.db, A.actors.recruiter, {
      applicationId: apps.A,
      licenseId: license.id,
      lookupUrl: `https://www.pals.pa.gov/verify?last=${encodeURIComponent(person.last)}`,
    });
    await addNote(h.db, B.actors.recruiter, { applicationId: apps.B, body: `B-INTERNAL-NOTE about ${person.first}` });
    await rateApplication(h.db, B.actors.admin, { applicationId: apps.B, rating: 2 });
    await moveApplication(h.db, mail(), B.actors.admin, { applicationId: apps.B, version: 1, toStage: 'rejected', reason: `B-REASON ${name} lacks hours` });
    await h.db.insert(interviews).values({
      orgId: A.org.id,
      applicationId: apps.A,
      kind: 'phone_screen',
      durationMinutes: 30,
      place: 'phone',
      placeDetail: `Call ${name} at ${person.phone}`,
      timeZone: 'America/New_York',
    });
    // B invites the person to join as a recruiter: their address in invitations, the audit log and the outbox.
    await inviteMember(h.db, mail(), B.actors.admin, { email: person.email, role: 'recruiter' });
    return { user: u, name, person, resume, session, apps, jobs: { A: jobA, B: jobB }, licenseNumber: license.number };
  }

  async function readZip(stream: ReadableStream<Uint8Array>) {
    const buf = new Uint8Array(await new Response(stream).arrayBuffer());
    return unzipSync(buf);
  }

  describe('export', () => {
    it('holds the person’s data as JSON and their resume byte for byte, and nothing the organizations keep internally', async () => {
      const c = await candidateWithHistory('export');
      const files = await readZip(exportZipStream({ db: h.db, store, userId: c.user.id, sessionId: c.session.session.id, now: new Date() }));
      const names = Object.keys(files);
      for (const f of [
        'account.json',
        'profile.json',
        'licenses.json',
        'resumes.json',
        'applications.json',
        'saved-searches.json',
        'sessions.json',
        'README.json',
      ]) {
        expect(names, f).toContain(f);
      }
      const json = (f: string) => JSON.parse(strFromU8(files[f]!));
      expect(json('account.json')).toMatchObject({ id: c.user.id, email: c.person.email, name: c.name });
      expect(json('account.json')).not.toHaveProperty('passwordHash');
      expect(json('profile.json')).toMatchObject({ phone: c.person.phone, city: 'Pittsburgh' });
      expect(json('licenses.json')).toEqual([expect.objectContaining({ credential: 'LCSW', state: 'PA' })]);
      expect(json('saved-searches.json')).toEqual([expect.objectContaining({ name: `LCSW near ${c.person.first}`, frequency: 'daily' })]);
      const sess = json('sessions.json') as Record<string, unknown>[];
      expect(sess).toHaveLength(1);
      expect(sess[0]).toMatchObject({ current: true });
      expect(Object.keys(sess[0]!).sort()).toEqual(['activeOrgId', 'createdAt', 'current', 'lastVerifiedAt']);

      // The resume: the very bytes stored.
      const [meta] = json('resumes.json') as { id: string; file: string; originalName: string }[];
      expect(meta!.id).toBe(c.resume.id);
      const [row] = await h.db.select().from(resumes).where(eq(resumes.id, c.resume.id));
      const onDisk = fs.readFileSync(path.join(store.dir, row!.storageKey));
      expect(Buffer.from(files[meta!.file]!).equals(onDisk)).toBe(true);

      // Applications with answers and the history the candidate is shown.
      const apps = json('applications.json') as {
        id: string;
        coverNote: string;
        answers: { question: string; answer: string }[];
        history: { text: string }[];
        status: string;
      }[];
      expect(apps.map((a) => a.id).sort()).toEqual([c.apps.A, c.apps.B].sort());
      const b = apps.find((a) => a.id === c.apps.B)!;
      expect(b.status).toBe('Not moving forward');
      expect(b.answers).toEqual([
        { question: 'Licensed in PA?', answer: 'yes' },
        { question: 'Why this program?', answer: expect.stringContaining(c.person.phone) },
      ]);
      expect(b.history.map((e) => e.text)).toEqual(['You applied.', 'Status changed to “Not moving forward”.']);

      // Never another organization's internal notes, ratings, reasons or verifications.
      const everything = names
        .filter((n) => n.endsWith('.json'))
        .map((n) => strFromU8(files[n]!))
        .join('\n');
      expect(everything).not.toContain('A-INTERNAL-NOTE');
      expect(everything).not.toContain('B-INTERNAL-NOTE');
      expect(everything).not.toContain('B-REASON');
      expect(everything).not.toMatch(/"rating"/);
      expect(everything).not.toMatch(/secretHash|secret_hash|passwordHash|storageKey/);
      expect(everything).not.toContain(A.recruiter.name);
      expect(everything).not.toContain(B.admin.name);
    });

    it('is rate-limited per account and recorded in the account’s activity', async () => {
      const u = await makeUser(h.db);
      const now = new Date();
      for (let i = 0; i < 5; i++) await (await startExport(h.db, store, u.id, null, now)).stream.cancel();
      await expect(startExport(h.db, store, u.id, null, now)).rejects.toMatchObject({ code: 'rate_limited' });
      // Another account has its own budget.
      const other = await makeUser(h.db);
      await (await startExport(h.db, store, other.id, null, now)).stream.cancel();
      const logged = await h.db.select().from(accountEvents).where(eq(accountEvents.userId, u.id));
      expect(logged).toHaveLength(5);
      expect(logged.every((e) => e.kind === 'data_exported')).toBe(true);
    });
  });

  describe('delete', () => {
    it('refuses a wrong password and changes nothing', async () => {
      const c = await candidateWithHistory('wrongpw');
      const before = await snapshot(h.db, ['rate_limits']);
      const filesBefore = store.files();
      await expect(deleteAccount(h.db, store, c.user.id, { password: 'not my password' })).rejects.toMatchObject({
        code: 'invalid',
        fields: { password: [expect.stringContaining('not correct')] },
      });
      expect(await snapshot(h.db, ['rate_limits'])).toEqual(before);
      expect(store.files()).toEqual(filesBefore);
    });

    it('deletes the person: no trace of name, email or phone in any column of any table, no file on disk; the organizations’ counts stay', async () => {
      const c = await candidateWithHistory('delete');
      // Another person, untouched by the deletion.
      const other = await candidateWithHistory('bystander');
      const [keyRow] = await h.db.select({ key: resumes.storageKey }).from(resumes).where(eq(resumes.userId, c.user.id));
      expect(store.files()).toContain(keyRow!.key);
      const countApps = async () =>
        Object.fromEntries(
          (
            await rows<{ job_id: string; n: number }>(
              h.db,
              sql`select job_id, count(*)::int as n from applications where job_id in (${c.jobs.A.id}::uuid, ${c.jobs.B.id}::uuid) group by 1`,
            )
          ).map((r) => [r.job_id, Number(r.n)]),
        );
      const appsBefore = await countApps();
      const [eeoBefore] = await h.db.select({ n: sql<number>`count(*)::int` }).from(eeoResponses);
      // Mail is queued to the person (application confirmations, the invitation) and must not go out afterwards.
      expect((await mail().all(c.person.email)).length).toBeGreaterThan(0);

      const r = await deleteAccount(h.db, store, c.user.id, { password: TEST_PASSWORD });
      expect(r.applications).toBe(2);

      const needles = [
        c.licenseNumber,
        c.name,
        c.person.first,
        `vollmer${c.person.first.slice(7)}`,
        c.person.email,
        c.person.email.split('@')[0]!,
        c.person.phone,
        c.person.phone.replace(/\D/g, ''),
      ].map((n) => n.toLowerCase());
      const dump = await dumpEveryTable(h.db);
      expect(dump.length).toBeGreaterThan(100);
      const leaks = dump.filter(([, v]) => needles.some((n) => v.toLowerCase().includes(n)));
      expect(leaks).toEqual([]);
      // The bystander is all still there (the dump is not blind).
      expect(dump.some(([col, v]) => col === 'public.users.email' && v === other.person.email)).toBe(true);
      expect(dump.some(([col, v]) => col === 'public.candidate_profiles.phone' && v === other.person.phone)).toBe(true);

      expect(store.files()).not.toContain(keyRow!.key);
      expect(await h.db.select().from(resumes).where(eq(resumes.userId, c.user.id))).toHaveLength(0);
      expect(await h.db.select().from(users).where(eq(users.id, c.user.id))).toHaveLength(0);
      expect(await mail().all(c.person.email)).toHaveLength(0);

      // Counts stay true: same applications per job, the EEO rows untouched, ratings and stage history kept.
      expect(await countApps()).toEqual(appsBefore);
      const [eeoAfter] = await h.db.select({ n: sql<number>`count(*)::int` }).from(eeoResponses);
      expect(eeoAfter!.n).toBe(eeoBefore!.n);
      const [a] = await h.db.select().from(applications).where(eq(applications.id, c.apps.A));
      expect(a).toMatchObject({ candidateId: null, resumeId: null, coverNote: null, stage: 'withdrawn' });
      expect(a!.anonymizedAt).toBeInstanceOf(Date);
      const [b] = await h.db.select().from(applications).where(eq(applications.id, c.apps.B));
      expect(b).toMatchObject({ candidateId: null, stage: 'rejected' });
      expect(await h.db.select().from(applicationRatings).where(eq(applicationRatings.applicationId, c.apps.A))).toHaveLength(1);
      expect(await h.db.select().from(applicationNotes).where(eq(applicationNotes.applicationId, c.apps.A))).toHaveLength(0);
      const evA = await h.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, c.apps.A));
      expect(evA.map((e) => e.kind)).toEqual(expect.arrayContaining(['applied', 'withdrawn']));
      // Each organization's log records it, with no way back to the person.
      for (const org of [A.org.id, B.org.id]) {
        const logged = await h.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.orgId, org), eq(auditLog.action, 'applications.anonymized')));
        expect(logged.at(-1)!.data).toEqual({ applications: 1, reason: 'a candidate deleted their account' });
      }

      // Every page of the hiring team still works with the anonymized application.
      const detail = await applicationForTeam(h.db, A.actors.recruiter, c.apps.A);
      expect(detail.candidate).toEqual({ id: null, name: ANONYMIZED_CANDIDATE, email: null });
      expect(detail.anonymized).toBe(true);
      expect(detail.resume).toBeNull();
      const pipe = await pipelineForJob(h.db, A.actors.recruiter, c.jobs.A.id);
      expect(pipe.cards.find((x) => x.id === c.apps.A)).toMatchObject({ candidateName: ANONYMIZED_CANDIDATE, candidateEmail: '', anonymized: true });
      const screened = await screenApplicants(h.db, B.org.id, screeningSchema.parse({ job: c.jobs.B.id, sort: 'name' }));
      expect(screened.rows.find((x) => x.applicationId === c.apps.B)).toMatchObject({ candidateId: null, candidateName: ANONYMIZED_CANDIDATE });
      await expect(moveApplication(h.db, mail(), B.actors.admin, { applicationId: c.apps.B, version: b!.version, toStage: 'screening' })).rejects.toMatchObject(
        {
          code: 'invalid',
        },
      );
    });

    it('refuses while the person is an organization’s only admin; a member who is not loses the membership and the organization’s log says so', async () => {
      const solo = await makeTeam(h.db);
      await expect(deleteAccount(h.db, store, solo.admin.id, { password: TEST_PASSWORD })).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining(`only admin of ${solo.org.name}`),
      });
      expect(await h.db.select().from(users).where(eq(users.id, solo.admin.id))).toHaveLength(1);

      await deleteAccount(h.db, store, solo.recruiter.id, { password: TEST_PASSWORD });
      expect(await h.db.select().from(members).where(eq(members.orgId, solo.org.id))).toHaveLength(2);
      const log = await h.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, solo.org.id), eq(auditLog.action, 'member.account_deleted')));
      expect(log).toEqual([expect.objectContaining({ entityId: solo.recruiter.id, actorId: null, data: { role: 'recruiter' } })]);
    });

    it('only ever deletes the account it is given: another person’s data is untouched', async () => {
      const a = await makeUser(h.db);
      const b = await makeUser(h.db);
      await deleteAccount(h.db, store, a.id, { password: TEST_PASSWORD });
      expect(await h.db.select().from(users).where(eq(users.id, b.id))).toHaveLength(1);
    });
  });

  describe('retention', () => {
    /** An application of `job` that reached `stage` `daysAgo` days ago (events backdated). */
    async function applicationEnded(jobId: string, stage: 'rejected' | 'withdrawn' | 'hired' | 'applied', daysAgo: number) {
      const u = await makeUser(h.db);
      const at = new Date(Date.now() - daysAgo * DAY);
      const [app] = await h.db
        .insert(applications)
        .values({
          jobId,
          candidateId: u.id,
          stage,
          rejectionReason: stage === 'rejected' ? 'Not enough hours' : null,
          coverNote: 'Hello',
          createdAt: at,
          updatedAt: at,
        })
        .returning();
      await h.db
        .insert(applicationEvents)
        .values([
          { applicationId: app!.id, actorId: u.id, kind: 'applied', toStage: 'applied', createdAt: at },
          ...(stage === 'applied'
            ? []
            : [{ applicationId: app!.id, actorId: null, kind: 'stage_changed', fromStage: 'applied', toStage: stage, createdAt: at }]),
        ]);
      return { id: app!.id, userId: u.id };
    }

    it('anonymizes only applications that ended longer ago than the organization keeps them, once a day, and audits it', async () => {
      const team = await makeTeam(h.db);
      const job = await makeJob(h.db, team.org.id);
      const oldRejected = await applicationEnded(job.id, 'rejected', 800);
      const oldWithdrawn = await applicationEnded(job.id, 'withdrawn', 750);
      const recentRejected = await applicationEnded(job.id, 'rejected', 30);
      const oldHired = await applicationEnded(job.id, 'hired', 900);
      const oldLive = await applicationEnded(job.id, 'applied', 900);
      // Moved to rejected recently although it applied long ago: it ended recently.
      const lateReject = await applicationEnded(job.id, 'applied', 900);
      await h.db.update(applications).set({ stage: 'rejected', rejectionReason: 'x' }).where(eq(applications.id, lateReject.id));
      await h.db
        .insert(applicationEvents)
        .values({ applicationId: lateReject.id, kind: 'stage_changed', fromStage: 'applied', toStage: 'rejected', createdAt: new Date(Date.now() - 10 * DAY) });

      // Two processes at once (two pools): the organization is handled once.
      const second: DbHandle = await h.connect({ max: 2 });
      const now = new Date();
      const [r1, r2] = await Promise.all([runRetention(h.db, now), runRetention(second.db, now)]);
      const mine = [...r1, ...r2].filter((r) => r.orgId === team.org.id);
      expect(mine).toEqual([{ orgId: team.org.id, anonymized: 2 }]);

      const state = async (id: string) => (await h.db.select().from(applications).where(eq(applications.id, id)))[0]!;
      for (const a of [oldRejected, oldWithdrawn]) {
        expect(await state(a.id)).toMatchObject({ candidateId: null, coverNote: null });
        // The candidate's own event no longer points at them.
        const ev = await h.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, a.id));
        expect(ev.every((e) => e.actorId === null)).toBe(true);
        // The person still has an account; only the application was unlinked.
        expect(await h.db.select().from(users).where(eq(users.id, a.userId))).toHaveLength(1);
        expect(await listMyApplications(h.db, a.userId)).toHaveLength(0);
      }
      for (const a of [recentRejected, oldHired, oldLive, lateReject]) expect((await state(a.id)).candidateId).toBe(a.userId);
      expect((await state(oldRejected.id)).rejectionReason).not.toBe('Not enough hours');

      const audits = await h.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, team.org.id), eq(auditLog.action, 'applications.anonymized')));
      expect(audits).toHaveLength(1);
      expect(audits[0]!.data).toMatchObject({ applications: 2 });

      // Later the same day: nothing again. The next day, with a shorter period, the rest that ended.
      expect((await runRetention(h.db, new Date(now.getTime() + 60_000))).filter((r) => r.orgId === team.org.id)).toEqual([]);
      await setRetention(h.db, team.actors.admin, { months: 6 });
      const tomorrow = new Date(now.getTime() + DAY);
      expect((await runRetention(h.db, tomorrow)).find((r) => r.orgId === team.org.id)).toEqual({ orgId: team.org.id, anonymized: 0 });
      await h.db.update(organizations).set({ retentionRunAt: null }).where(eq(organizations.id, team.org.id));
      await h.db
        .update(applicationEvents)
        .set({ createdAt: new Date(Date.now() - 200 * DAY) })
        .where(eq(applicationEvents.applicationId, recentRejected.id));
      expect((await runRetention(h.db, tomorrow)).find((r) => r.orgId === team.org.id)).toEqual({ orgId: team.org.id, anonymized: 1 });
    });

    it('lets admins alone set the period, to one of the choices, and logs the change', async () => {
      const team = await makeTeam(h.db);
      await expect(setRetention(h.db, team.actors.recruiter, { months: 12 })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(setRetention(h.db, team.actors.hiring_manager, { months: 12 })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(setRetention(h.db, team.actors.admin, { months: 7 })).rejects.toMatchObject({ code: 'invalid' });
      await expect(setRetention(h.db, team.actors.admin, { months: 'forever' })).rejects.toMatchObject({ code: 'invalid' });
      const [org0] = await h.db.select().from(organizations).where(eq(organizations.id, team.org.id));
      expect(org0!.retentionMonths).toBe(24);
      expect(await setRetention(h.db, team.actors.admin, { months: '36' })).toEqual({ months: 36, changed: true });
      const [log] = await h.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, team.org.id), eq(auditLog.action, 'organization.retention_changed')));
      expect(log!.data).toEqual({ from: 24, to: 36 });
    });
  });

  it('sweeps resume files no row names, leaving young files and files in use', async () => {
    const u = await makeUser(h.db);
    const kept = await makeResume(h.db, store, u.id);
    const [keptRow] = await h.db.select({ key: resumes.storageKey }).from(resumes).where(eq(resumes.id, kept.id));
    const orphan = crypto.randomBytes(16).toString('hex');
    const young = crypto.randomBytes(16).toString('hex');
    await writeResumeFile(store, orphan, new Uint8Array([1, 2, 3]));
    await writeResumeFile(store, young, new Uint8Array([1, 2, 3]));
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(path.join(store.dir, orphan), old, old);
    fs.utimesSync(path.join(store.dir, keptRow!.key), old, old);
    const removed = await sweepOrphanResumeFiles(h.db, store);
    expect(removed).toContain(orphan);
    expect(store.files()).not.toContain(orphan);
    expect(store.files()).toEqual(expect.arrayContaining([young, keptRow!.key]));
  });

  it('keeps a mail row to someone else', async () => {
    // Guard for the outbox rule: deletion removes mail to the deleted address only.
    const a = await makeUser(h.db);
    const b = await makeUser(h.db);
    await h.db.insert(mailOutbox).values([
      { toAddress: a.email, subject: 's', textBody: 't' },
      { toAddress: b.email, subject: 's', textBody: 't' },
    ]);
    await deleteAccount(h.db, store, a.id, { password: TEST_PASSWORD });
    expect((await mail().all(b.email)).length).toBe(1);
    expect(await mail().all(a.email)).toHaveLength(0);
  });
});

/** The embedded database runs the same code: export, retention and deletion on PGlite. */
describe('data rights on PGlite', () => {
  const h = usePgliteDb();
  const store = tempStore();
  afterAll(() => store.cleanup());

  it('exports, anonymizes on retention and deletes an account', async () => {
    const team = await makeTeam(h.db);
    const job = await makeJob(h.db, team.org.id);
    const c = await makeUser(h.db, { name: 'Pella Glight' });
    const resume = await makeResume(h.db, store, c.id, ['Pella Glight']);
    const { applicationId } = await submitApplication(h.db, { store }, c.id, {
      jobId: job.id,
      resumeId: resume.id,
      answers: {},
      coverNote: 'Pella here',
      eeo: { gender: 'decline', ethnicity: 'decline', veteran: 'decline', disability: 'decline' },
    });
    const files = unzipSync(
      new Uint8Array(await new Response(exportZipStream({ db: h.db, store, userId: c.id, sessionId: null, now: new Date() })).arrayBuffer()),
    );
    expect(JSON.parse(strFromU8(files['applications.json']!))).toEqual([expect.objectContaining({ id: applicationId, coverNote: 'Pella here' })]);

    const old = new Date(Date.now() - 900 * DAY);
    await h.db.update(applications).set({ stage: 'withdrawn', updatedAt: old }).where(eq(applications.id, applicationId));
    expect((await runRetention(h.db)).find((r) => r.orgId === team.org.id)).toEqual({ orgId: team.org.id, anonymized: 1 });
    expect((await h.db.select().from(applications).where(eq(applications.id, applicationId)))[0]!.candidateId).toBeNull();

    await deleteAccount(h.db, store, c.id, { password: TEST_PASSWORD });
    expect(await h.db.select().from(users).where(eq(users.id, c.id))).toHaveLength(0);
    expect(store.files()).toEqual([]);
  });
});
