/**
 * The one place tests get their data: people, organizations (bare, or with a
 * team of admin, hiring manager and recruiter), postings, licenses, screening
 * questions and resumes. Each factory writes rows as the application would —
 * through the real service (organizations with a team, resumes, posting input
 * for createJob) or, where a test needs states no form produces (a closed or
 * backdated posting, an expired license), by direct inserts that reuse the
 * services' own rules for slugs and search text.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { applications, jobCredentials, jobs, licenses, members, organizations, screeningQuestions, users } from '#db/schema';
import type { ApplicationStage } from '#lib/applications/stages';
import { hashPassword } from '#lib/auth/password';
import type { SessionUser } from '#lib/auth/types';
import type { MemberRole } from '#lib/domain/taxonomy';
import type { JobInput } from '#lib/jobs/schema';
import type { JobActor } from '#lib/jobs/service';
import { computeSearchExtra, jobSlugBase } from '#lib/jobs/search-text';
import { createOrganization } from '#lib/orgs/service';
import { slugify } from '#lib/shared/slug';
import { saveResume } from '#lib/resumes/service';
import type { ResumeStore } from '#lib/resumes/storage';
import { enqueueSearchSync } from '#lib/search/outbox';
import { makePdf } from './documents';

const DAY = 86_400_000;
const tag = (bytes = 4) => crypto.randomBytes(bytes).toString('hex');

// People ---------------------------------------------------------------------

/** Every factory-made person signs in with this password. */
export const TEST_PASSWORD = 'correct horse battery';
let hashed: Promise<string> | undefined;
/** One argon2 hash of TEST_PASSWORD, reused (hashing is deliberately slow). */
export const testPasswordHash = () => (hashed ??= hashPassword(TEST_PASSWORD));

export const uniqueEmail = (label = 'user') => `${label}-${tag()}@example.com`;

/** A person with a confirmed address (unless `verified: false`) who signs in with TEST_PASSWORD. */
export async function makeUser(db: Db, opts: { email?: string; name?: string; verified?: boolean } = {}): Promise<SessionUser> {
  const email = (opts.email ?? uniqueEmail()).toLowerCase();
  const [u] = await db
    .insert(users)
    .values({
      email,
      name: opts.name ?? `Test Person ${tag(2)}`,
      passwordHash: await testPasswordHash(),
      emailVerifiedAt: opts.verified === false ? null : new Date(),
    })
    .returning();
  return { id: u!.id, email: u!.email, name: u!.name, emailVerified: u!.emailVerifiedAt !== null };
}

// Organizations and their members -------------------------------------------

export type Organization = typeof organizations.$inferSelect;

/** A bare organization (no members), its slug made by the organization service's slugify. */
export async function makeOrg(db: Db, name = `Org ${tag(3)}`): Promise<Organization> {
  const [org] = await db
    .insert(organizations)
    .values({ name, slug: slugify(name) })
    .returning();
  return org!;
}

export async function addMember(db: Db, orgId: string, userId: string, role: MemberRole): Promise<void> {
  await db.insert(members).values({ orgId, userId, role });
}

export type Member = SessionUser & { userId: string; orgId: string; role: MemberRole };

/** A new person who is a member of `orgId` with `role`. */
export async function makeMember(db: Db, orgId: string, role: MemberRole = 'recruiter', name?: string): Promise<Member> {
  const u = await makeUser(db, { name });
  await addMember(db, orgId, u.id, role);
  return { ...u, userId: u.id, orgId, role };
}

export type Actor = JobActor & { name: string };
export interface Team {
  org: Organization;
  admin: SessionUser;
  hiringManager: SessionUser;
  recruiter: SessionUser;
  /** The three as service actors (the shape guards hand to services). */
  actors: Record<MemberRole, Actor>;
}

/** An organization created through the service by its admin, with a hiring manager and a recruiter. */
export async function makeTeam(db: Db, name = `Org ${tag(3)}`): Promise<Team> {
  const admin = await makeUser(db, { name: `${name} Admin` });
  const org = await createOrganization(db, admin.id, {
    name,
    website: 'example.org',
    locations: 'Pittsburgh, PA',
    description: 'Adult and adolescent programs.',
  });
  const hiringManager = await makeUser(db, { name: `${name} Manager` });
  const recruiter = await makeUser(db, { name: `${name} Recruiter` });
  await addMember(db, org.id, hiringManager.id, 'hiring_manager');
  await addMember(db, org.id, recruiter.id, 'recruiter');
  const actor = (u: SessionUser, role: MemberRole): Actor => ({
    userId: u.id,
    orgId: org.id,
    role,
    emailVerified: u.emailVerified,
    name: u.name,
  });
  return {
    org,
    admin,
    hiringManager,
    recruiter,
    actors: {
      admin: actor(admin, 'admin'),
      hiring_manager: actor(hiringManager, 'hiring_manager'),
      recruiter: actor(recruiter, 'recruiter'),
    },
  };
}

// Postings -------------------------------------------------------------------

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** What the posting form sends for a typical evening IOP therapist role (input to createJob/updateJob). */
export function jobInput(over: Partial<JobInput> = {}): JobInput {
  return {
    title: 'LCSW Primary Therapist – Adult IOP',
    role: 'therapist',
    programType: 'IOP',
    setting: 'hybrid',
    schedule: 'evenings',
    track: 'evening',
    employmentType: 'full_time',
    payPeriod: 'year',
    payMin: 68000,
    payMax: 82000,
    city: 'Pittsburgh',
    state: 'PA',
    zip: '15213',
    descriptionMd: '## About the role\n\nLead **process groups** and individual sessions in our evening adult IOP. Supervision toward licensure offered.',
    populations: ['adults', 'co-occurring'],
    supervisionOffered: true,
    credentials: ['LCSW', 'LPC'],
    validThrough: isoDay(new Date(Date.now() + 30 * DAY)),
    questions: [
      {
        kind: 'yes_no',
        prompt: 'Do you hold an active license in Pennsylvania?',
        required: true,
        knockoutAnswer: 'no',
      },
      {
        kind: 'single_choice',
        prompt: 'Which shift can you work?',
        options: ['Evenings', 'Weekends'],
        required: true,
        knockoutAnswer: null,
      },
    ],
    ...over,
  };
}

type JobInsert = typeof jobs.$inferInsert;
export type Job = JobInsert & { id: string; slug: string; credentials: string[] };

/**
 * A posting row in any state (published by default, posted yesterday, open 30 days), written as the
 * posting service writes it: slug and search text from the service's own helpers, credentials, and
 * its search_outbox row, in one transaction.
 */
export async function makeJob(db: Db, orgId: string, over: Partial<JobInsert> & { credentials?: string[] } = {}): Promise<Job> {
  const { credentials = ['LCSW'], ...fields } = over;
  const [org] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId));
  if (!org) throw new Error(`makeJob: no organization ${orgId}`);
  const id = crypto.randomUUID();
  const title = fields.title ?? 'Primary Therapist – Adult PHP';
  const role = fields.role ?? 'therapist';
  const city = fields.city ?? 'Pittsburgh';
  const state = fields.state ?? 'PA';
  const values = {
    id,
    orgId,
    slug: `${jobSlugBase(title, city, state) || 'job'}-${id.slice(0, 8)}`,
    title,
    role,
    programType: 'PHP',
    setting: 'onsite',
    schedule: 'days',
    track: 'day',
    employmentType: 'full_time',
    payMin: 60000,
    payMax: 75000,
    payPeriod: 'year',
    city,
    state,
    zip: '15213',
    lat: 40.4443,
    lng: -79.9554,
    descriptionMd: 'Lead group and individual therapy in our adult partial hospitalization program.',
    populations: ['adults'],
    supervisionOffered: false,
    status: 'published',
    postedAt: new Date(Date.now() - DAY),
    validThrough: new Date(Date.now() + 30 * DAY),
    ...fields,
    searchExtra: computeSearchExtra(credentials, org.name, role),
  } satisfies JobInsert;
  await db.transaction(async (tx) => {
    await tx.insert(jobs).values(values);
    if (credentials.length) await tx.insert(jobCredentials).values(credentials.map((c) => ({ jobId: id, credentialCode: c })));
    await enqueueSearchSync(tx, [id]);
  });
  return { ...values, credentials };
}

/**
 * An application row of `candidateId` to `jobId` in any stage (as if the candidate applied and the team
 * moved it; Interview unless `stage` says otherwise, a rejection with the reason "Other").
 */
export async function makeApplication(
  db: Db,
  jobId: string,
  candidateId: string,
  stage: ApplicationStage = 'interview',
): Promise<{ id: string; version: number }> {
  const [a] = await db
    .insert(applications)
    .values({ jobId, candidateId, stage, rejectionReason: stage === 'rejected' ? 'Other' : null })
    .returning({ id: applications.id, version: applications.version });
  return a!;
}

export type QuestionSpec = {
  kind: 'yes_no' | 'single_choice' | 'short_text';
  prompt: string;
  options?: string[];
  required?: boolean;
  knockoutAnswer?: string | null;
};

/** Screening questions on a posting, in order (required unless said otherwise). */
export async function makeQuestions(db: Db, jobId: string, qs: QuestionSpec[]) {
  return db
    .insert(screeningQuestions)
    .values(
      qs.map((q, position) => ({
        jobId,
        position,
        kind: q.kind,
        prompt: q.prompt,
        options: q.options ?? [],
        required: q.required ?? true,
        knockoutAnswer: q.knockoutAnswer ?? null,
      })),
    )
    .returning();
}

// Candidates' licenses and resumes ----------------------------------------------

/** A license held by `userId` (expiring in 2030 unless said otherwise; `expiresOn: null` never expires). */
export async function makeLicense(
  db: Db,
  userId: string,
  l: { credentialCode: string; state: string | null; expiresOn?: string | null; compact?: boolean; number?: string },
) {
  const [row] = await db
    .insert(licenses)
    .values({
      userId,
      credentialCode: l.credentialCode,
      state: l.state,
      expiresOn: l.expiresOn === undefined ? '2030-01-01' : l.expiresOn,
      compact: l.compact ?? false,
      number: l.number ?? `N${tag(3)}`,
    })
    .returning();
  return row!;
}

/** A resume store in a throw-away directory; `cleanup()` it in afterAll. */
export function tempStore(): ResumeStore & { cleanup(): void; files(): string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resumes-test-'));
  return {
    dir,
    files: () => (fs.existsSync(dir) ? fs.readdirSync(dir) : []),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A one-page PDF resume with `lines` of text, uploaded through the resume service. */
export async function makeResume(db: Db, store: ResumeStore, userId: string, lines: string[] = ['Curriculum vitae']) {
  return (await saveResume(db, store, userId, { name: 'cv.pdf', bytes: makePdf(lines) })).resume;
}
