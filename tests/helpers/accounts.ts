import crypto from 'node:crypto';
import type { Db } from '../../db/client';
import { asc } from 'drizzle-orm';
import { mailOutbox, members, users } from '../../db/schema';
import type { MailDeps } from '../../src/lib/mail-queue';
import { hashPassword } from '../../src/lib/auth/password';
import type { SessionUser } from '../../src/lib/auth/types';
import type { MemberRole } from '../../src/lib/domain/taxonomy';
import type { JobInput } from '../../src/lib/jobs/schema';
import type { JobActor } from '../../src/lib/jobs/service';
import type { MailMessage } from '../../src/lib/mail';
import { createOrganization } from '../../src/lib/orgs/service';

/** Accounts, organizations and postings for the auth/orgs/jobs tests. */

export const TEST_PASSWORD = 'correct horse battery';
let hashed: Promise<string> | undefined;
/** One argon2 hash of TEST_PASSWORD, reused (hashing is deliberately slow). */
export const testPasswordHash = () => (hashed ??= hashPassword(TEST_PASSWORD));

/** The messages queued in mail_outbox (oldest first), as services wrote them. */
export async function queuedMail(db: Db, to?: string): Promise<MailMessage[]> {
  const rows = await db.select().from(mailOutbox).orderBy(asc(mailOutbox.id));
  return rows
    .filter((r) => !to || r.toAddress === to)
    .map((r) => ({ to: r.toAddress, subject: r.subject, text: r.textBody, html: r.htmlBody ?? undefined, headers: r.headers }));
}

/**
 * MailDeps for calling services directly: mail lands in the database's mail_outbox (read it
 * with last/all).
 */
export function fakeMail(db?: Db): MailDeps & { all(to?: string): Promise<MailMessage[]>; last(to?: string): Promise<MailMessage | undefined>; linkIn(msg: MailMessage | undefined): string } {
  const need = () => {
    if (!db) throw new Error('fakeMail(db) reads the outbox: pass the database');
    return db;
  };
  const deps = {
    siteUrl: 'http://jobs.test',
    all: (to?: string) => queuedMail(need(), to),
    last: async (to?: string) => (await queuedMail(need(), to)).at(-1),
    linkIn: (msg: MailMessage | undefined) => {
      const m = msg?.text.match(/https?:\/\/\S+/);
      if (!m) throw new Error('no link in the message');
      return m[0];
    },
  };
  return deps;
}

export const uniqueEmail = (tag = 'user') => `${tag}-${crypto.randomBytes(4).toString('hex')}@example.com`;

export async function makeUser(db: Db, opts: { email?: string; name?: string; verified?: boolean } = {}): Promise<SessionUser> {
  const email = (opts.email ?? uniqueEmail()).toLowerCase();
  const [u] = await db
    .insert(users)
    .values({ email, name: opts.name ?? 'Test Person', passwordHash: await testPasswordHash(), emailVerifiedAt: opts.verified === false ? null : new Date() })
    .returning();
  return { id: u!.id, email: u!.email, name: u!.name, emailVerified: u!.emailVerifiedAt !== null };
}

export async function addMember(db: Db, orgId: string, userId: string, role: MemberRole): Promise<void> {
  await db.insert(members).values({ orgId, userId, role });
}

/** An organization with an admin (and optionally a hiring manager and a recruiter). */
export async function makeOrg(db: Db, name = `Org ${crypto.randomBytes(3).toString('hex')}`) {
  const admin = await makeUser(db, { name: `${name} Admin` });
  const org = await createOrganization(db, admin.id, { name, website: 'example.org', locations: 'Pittsburgh, PA', description: 'Adult and adolescent programs.' });
  const hiringManager = await makeUser(db, { name: `${name} Manager` });
  const recruiter = await makeUser(db, { name: `${name} Recruiter` });
  await addMember(db, org.id, hiringManager.id, 'hiring_manager');
  await addMember(db, org.id, recruiter.id, 'recruiter');
  const actor = (u: SessionUser, role: MemberRole): JobActor & { name: string } => ({ userId: u.id, orgId: org.id, role, emailVerified: u.emailVerified, name: u.name });
  return {
    org,
    admin,
    hiringManager,
    recruiter,
    actors: { admin: actor(admin, 'admin'), hiring_manager: actor(hiringManager, 'hiring_manager'), recruiter: actor(recruiter, 'recruiter') },
  };
}

const DAY = 86_400_000;
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

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
      { kind: 'yes_no', prompt: 'Do you hold an active license in Pennsylvania?', required: true, knockoutAnswer: 'no' },
      { kind: 'single_choice', prompt: 'Which shift can you work?', options: ['Evenings', 'Weekends'], required: true, knockoutAnswer: null },
    ],
    ...over,
  };
}
