/**
 * Seeding: the credential taxonomy, a demo data set (organizations and
 * demo-only users), and any number of generated job postings.
 *
 *   seedTaxonomy(db)                      upsert every credential from the taxonomy
 *   seedDemo(db, { seed })                demo orgs + demo users (skipped if they exist)
 *   seedJobs(db, { count, seed, ... })    generated jobs across the demo orgs, in batches
 *   isEmpty(db)                           true when there are no jobs
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../client';
import { rows } from '../client';
import { candidateProfiles, credentials, jobCredentials, jobs, licenses, members, organizations, screeningQuestions, users } from '../schema';
import { hashPassword } from '#lib/auth/password';
import { CREDENTIALS, type MemberRole } from '#lib/domain/taxonomy';
import { enqueueSearchSync } from '#lib/search/outbox';
import { CITIES, type City } from './cities';
import { generateJobs, type JobOrg } from './jobs';
import { createRng } from './random';

/**
 * The `set` of an upsert that refreshes these columns from the row the insert proposed
 * (`excluded.<column>`), so seeding again updates what the seed owns and keeps the rest.
 */
function upsertSet<T extends PgTable, K extends keyof T['$inferInsert'] & string>(table: T, keys: readonly K[]): Record<K, SQL> {
  const columns = getTableColumns(table) as Record<string, { name: string } | undefined>;
  const set = {} as Record<K, SQL>;
  for (const key of keys) {
    const column = columns[key];
    if (!column) throw new Error(`${key} is not a column of this table`);
    set[key] = sql`excluded.${sql.identifier(column.name)}`;
  }
  return set;
}

// ---------------------------------------------------------------- taxonomy

export async function seedTaxonomy(db: Db): Promise<void> {
  await db
    .insert(credentials)
    .values(CREDENTIALS.map(({ aliases: _aliases, ...c }) => c))
    .onConflictDoUpdate({ target: credentials.code, set: upsertSet(credentials, ['slug', 'name', 'kind', 'class', 'tier', 'compact', 'scope']) });
}

// ---------------------------------------------------------------- demo organizations

interface DemoOrg {
  slug: string;
  name: string;
  description: string;
  /** States where it runs programs; null: everywhere (virtual-first). */
  states: readonly string[] | null;
  telehealthShare?: number;
}

/** Fictional organizations. Websites use example.org (reserved for documentation). */
export const DEMO_ORGS: readonly DemoOrg[] = [
  {
    slug: 'riverbend-behavioral-health',
    name: 'Riverbend Behavioral Health',
    description:
      'Nonprofit provider of adult and adolescent partial hospitalization and intensive outpatient programs across the Delaware Valley and greater New York, with day and evening tracks at every site.',
    states: ['PA', 'NJ', 'DE', 'NY'],
  },
  {
    slug: 'cedar-ridge-treatment-centers',
    name: 'Cedar Ridge Treatment Centers',
    description: 'Cedar Ridge runs PHP and IOP programs for adults and teens in the Southeast, including dual-diagnosis and eating disorder tracks.',
    states: ['GA', 'FL', 'SC', 'NC', 'TN', 'AL'],
  },
  {
    slug: 'harborlight-recovery-and-wellness',
    name: 'Harborlight Recovery & Wellness',
    description: 'Community-based partial hospitalization and intensive outpatient care in New England, with a focus on co-occurring disorders and recovery.',
    states: ['MA', 'RI', 'CT', 'NH', 'ME', 'VT'],
  },
  {
    slug: 'summit-pointe-health',
    name: 'Summit Pointe Health',
    description: 'Summit Pointe brings PHP and IOP care to cities and rural communities across the Mountain West, in person and by telehealth.',
    states: ['CO', 'UT', 'ID', 'MT', 'WY', 'NM', 'AZ', 'NV'],
  },
  {
    slug: 'pacific-crest-behavioral-health',
    name: 'Pacific Crest Behavioral Health',
    description: 'West Coast network of adult, adolescent, perinatal, and early psychosis day programs.',
    states: ['CA', 'OR', 'WA', 'HI', 'AK'],
  },
  {
    slug: 'bluebonnet-behavioral-health',
    name: 'Bluebonnet Behavioral Health',
    description: 'Bluebonnet operates hospital-affiliated partial hospitalization and intensive outpatient programs in Texas and neighboring states.',
    states: ['TX', 'OK', 'LA', 'AR'],
  },
  {
    slug: 'lakeshore-behavioral-health',
    name: 'Lakeshore Behavioral Health',
    description: 'Great Lakes provider of PHP and IOP services for adults, older adults, and adolescents, with evening IOP at most locations.',
    states: ['MI', 'OH', 'IN', 'IL', 'WI'],
  },
  {
    slug: 'prairie-light-health',
    name: 'Prairie Light Health',
    description: 'Prairie Light serves the Upper Midwest and Plains with day programs for mental health and substance use, including a veterans track.',
    states: ['MN', 'IA', 'MO', 'KS', 'NE', 'ND', 'SD'],
  },
  {
    slug: 'tidewater-counseling-and-recovery',
    name: 'Tidewater Counseling & Recovery',
    description:
      'Mid-Atlantic outpatient organization offering PHP, IOP, and aftercare for adults and adolescents, with a strong military and veteran population.',
    states: ['VA', 'MD', 'DC', 'WV', 'DE', 'NC'],
  },
  {
    slug: 'magnolia-pathways',
    name: 'Magnolia Pathways',
    description: 'Magnolia Pathways runs intensive outpatient and partial hospitalization programs across the Gulf South and mid-South.',
    states: ['MS', 'AL', 'LA', 'TN', 'KY'],
  },
  {
    slug: 'brightwater-virtual-iop',
    name: 'Brightwater Virtual IOP',
    description:
      'Virtual-first intensive outpatient and partial hospitalization programs delivered by secure video nationwide, with in-person hubs in major metros.',
    states: null,
    telehealthShare: 0.8,
  },
  {
    slug: 'empire-hope-behavioral-health',
    name: 'Empire Hope Behavioral Health',
    description:
      'Empire Hope provides partial hospitalization and intensive outpatient programs for adults and adolescents in New York, New Jersey, and Connecticut.',
    states: ['NY', 'NJ', 'CT'],
  },
];

function orgCities(org: DemoOrg): City[] {
  return org.states === null ? [...CITIES] : CITIES.filter((c) => (org.states as readonly string[]).includes(c.state));
}

// ---------------------------------------------------------------- demo users

/**
 * DEMO-ONLY credentials. These accounts exist so people can log in to a local
 * or preview deployment; the password is public. Never seed them into production.
 */
export const DEMO_PASSWORD = 'demo-password-1';

export interface DemoLogin {
  email: string;
  password: string;
  name: string;
  role: 'candidate' | MemberRole;
  /** The organization the user belongs to (employers only). */
  organization: string | null;
}

/** DEMO-ONLY logins, for printing after a seed. */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  {
    email: 'candidate@demo.test',
    password: DEMO_PASSWORD,
    name: 'Alicia Moreno',
    role: 'candidate',
    organization: null,
  },
  {
    email: 'manager@demo.test',
    password: DEMO_PASSWORD,
    name: 'Daniel Okafor',
    role: 'hiring_manager',
    organization: 'riverbend-behavioral-health',
  },
  {
    email: 'recruiter@demo.test',
    password: DEMO_PASSWORD,
    name: 'Priya Raman',
    role: 'recruiter',
    organization: 'riverbend-behavioral-health',
  },
  {
    email: 'admin@demo.test',
    password: DEMO_PASSWORD,
    name: 'Margaret Chen',
    role: 'admin',
    organization: 'riverbend-behavioral-health',
  },
  {
    email: 'other-admin@demo.test',
    password: DEMO_PASSWORD,
    name: 'Thomas Whitfield',
    role: 'admin',
    organization: 'cedar-ridge-treatment-centers',
  },
];

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export interface SeedDemoResult {
  skipped: boolean;
  organizations: number;
  users: number;
}

/**
 * Taxonomy, the demo organizations and the demo users. Idempotent: when any
 * demo user already exists it only refreshes the taxonomy and returns skipped.
 */
export async function seedDemo(db: Db, opts: { seed?: number | string; now?: Date } = {}): Promise<SeedDemoResult> {
  await seedTaxonomy(db);
  const emails = DEMO_LOGINS.map((l) => l.email);
  const existing = await db
    .select({ id: users.id })
    .from(users)
    .where(inArray(sql`lower(${users.email})`, emails))
    .limit(1);
  if (existing.length > 0) return { skipped: true, organizations: 0, users: 0 };

  const now = opts.now ?? new Date();
  const rng = createRng(`demo:${opts.seed ?? 1}`);
  // One argon2 hash per user (each with its own salt), computed before the transaction.
  const hashes = await Promise.all(DEMO_LOGINS.map((l) => hashPassword(l.password)));

  await db.transaction(async (tx) => {
    const orgRows = await tx
      .insert(organizations)
      .values(
        DEMO_ORGS.map((o) => ({
          slug: o.slug,
          name: o.name,
          website: `https://example.org/${o.slug}`,
          description: o.description,
          locations: orgCities(o).map((c) => ({ city: c.city, state: c.state })),
        })),
      )
      .onConflictDoUpdate({ target: organizations.slug, set: upsertSet(organizations, ['name', 'website', 'description', 'locations']) })
      .returning({ id: organizations.id, slug: organizations.slug });
    const orgId = new Map(orgRows.map((r) => [r.slug, r.id]));

    const userRows = await tx
      .insert(users)
      .values(
        DEMO_LOGINS.map((l, i) => ({
          email: l.email,
          name: l.name,
          passwordHash: hashes[i] as string,
          emailVerifiedAt: new Date(now.getTime() - rng.int(2, 30) * 86_400_000),
        })),
      )
      .returning({ id: users.id, email: users.email });
    const userId = new Map(userRows.map((r) => [r.email, r.id]));

    const memberships = DEMO_LOGINS.flatMap((l) => {
      if (l.role === 'candidate' || !l.organization) return [];
      const o = orgId.get(l.organization);
      const u = userId.get(l.email);
      return o && u ? [{ orgId: o, userId: u, role: l.role }] : [];
    });
    if (memberships.length > 0) await tx.insert(members).values(memberships);

    const candidateId = userId.get('candidate@demo.test');
    if (candidateId) {
      await tx.insert(candidateProfiles).values({
        userId: candidateId,
        phone: '215-555-0134',
        city: 'Philadelphia',
        state: 'PA',
        zip: '19103',
        headline: 'LCSW and psychiatric RN with six years in adult PHP and IOP',
        yearsExperience: 6,
        modalities: ['DBT', 'CBT', 'Motivational interviewing', 'Seeking Safety'],
        populations: ['adults', 'co-occurring'],
        desiredRoles: ['therapist', 'group-therapist'],
        desiredSettings: ['onsite', 'hybrid'],
        desiredSchedules: ['days', 'evenings'],
      });
      const days = (n: number) => isoDate(new Date(now.getTime() + n * 86_400_000));
      await tx.insert(licenses).values([
        // Demo license numbers are made up.
        {
          userId: candidateId,
          credentialCode: 'LCSW',
          state: 'PA',
          number: 'CW023817',
          expiresOn: days(420),
          compact: false,
        },
        // Multistate (NLC) RN license issued by New Jersey, expiring within 60 days to exercise renewal reminders.
        {
          userId: candidateId,
          credentialCode: 'RN',
          state: 'NJ',
          number: '26NR09876500',
          expiresOn: days(45),
          compact: true,
        },
        {
          userId: candidateId,
          credentialCode: 'CPRP',
          state: null,
          number: 'CPRP-104532',
          expiresOn: days(610),
          compact: false,
        },
      ]);
    }
  });
  return { skipped: false, organizations: DEMO_ORGS.length, users: DEMO_LOGINS.length };
}

// ---------------------------------------------------------------- jobs

export interface SeedJobsOptions {
  count: number;
  seed?: number | string;
  /** Called after each committed batch. */
  onProgress?: (done: number, total: number) => void;
  /** Jobs per transaction (default 2,000). */
  batchSize?: number;
  /**
   * Batches in flight at once. Default: one per CPU, between 2 and 4 (more only
   * adds lock and cache contention on a small machine; PGlite runs them one
   * after another anyway).
   */
  concurrency?: number;
  now?: Date;
}

/** Anything that can execute SQL: the db or a transaction. */
type Executor = Pick<Db, 'execute'>;

/**
 * One multi-row INSERT whose rows travel as a single JSON parameter and are
 * unpacked by json_to_recordset. Per-row bind parameters would cost far more
 * client CPU (and hit the 65,535-parameter limit); this stays one statement,
 * keeps the column list explicit, and leaves defaults and generated columns
 * (pay_*_annual, search_vector) to PostgreSQL. Rows are the table's
 * $inferInsert objects as they are (JSON.stringify is fastest on them
 * untouched); every row must have the same keys.
 */
async function insertJson<T extends PgTable>(db: Executor, table: T, rowsIn: readonly T['$inferInsert'][]): Promise<void> {
  const first = rowsIn[0];
  if (!first) return;
  const columns = getTableColumns(table) as Record<string, { name: string; getSQLType(): string } | undefined>;
  const keys = Object.keys(first);
  const target: SQL[] = [];
  const source: SQL[] = [];
  const shape: SQL[] = [];
  for (const key of keys) {
    const column = columns[key];
    if (!column) throw new Error(`${key} is not a column of this table`);
    target.push(sql`${sql.identifier(column.name)}`);
    source.push(sql`${sql.identifier(key)}`);
    shape.push(sql`${sql.identifier(key)} ${sql.raw(column.getSQLType())}`);
  }
  const payload = JSON.stringify(rowsIn);
  await db.execute(sql`insert into ${table} (${sql.join(target, sql`, `)})
    select ${sql.join(source, sql`, `)} from json_to_recordset(${payload}::json) as x(${sql.join(shape, sql`, `)})`);
}

async function loadJobOrgs(db: Db): Promise<JobOrg[]> {
  const slugs = DEMO_ORGS.map((o) => o.slug);
  const found = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(organizations)
    .where(inArray(organizations.slug, slugs));
  if (found.length === 0) throw new Error('No demo organizations found: run seedDemo first.');
  const memberRows = await db
    .select({ orgId: members.orgId, userId: members.userId, role: members.role })
    .from(members)
    .where(
      inArray(
        members.orgId,
        found.map((f) => f.id),
      ),
    );
  const creators = new Map<string, string[]>();
  for (const m of memberRows) {
    if (m.role === 'recruiter' || m.role === 'hiring_manager' || m.role === 'admin') {
      const list = creators.get(m.orgId) ?? [];
      list.push(m.userId);
      creators.set(m.orgId, list);
    }
  }
  const bySlug = new Map(found.map((f) => [f.slug, f]));
  const out: JobOrg[] = [];
  let regionalWeight = 0;
  for (const def of DEMO_ORGS) {
    const row = bySlug.get(def.slug);
    if (!row) continue;
    const cities = orgCities(def);
    // Regional orgs post in proportion to the size of their markets.
    const weight = def.states === null ? 0 : cities.reduce((sum, c) => sum + c.weight, 0);
    regionalWeight += weight;
    out.push({
      id: row.id,
      name: row.name,
      cities,
      creatorIds: (creators.get(row.id) ?? []).sort(),
      telehealthShare: def.telehealthShare,
      weight,
    });
  }
  // The national virtual organization gets about 12% of postings.
  for (const o of out) if (o.weight === 0) o.weight = Math.max(1, regionalWeight * 0.14);
  return out;
}

export function defaultConcurrency(): number {
  return Math.min(4, Math.max(2, availableParallelism()));
}

export interface SeedJobsResult {
  inserted: number;
  published: number;
}

/**
 * Inserts `count` generated jobs across the demo organizations: multi-row
 * INSERTs, one transaction per batch (jobs, their credentials and screening
 * questions, and a search outbox 'upsert' row per published job).
 */
export async function seedJobs(db: Db, opts: SeedJobsOptions): Promise<SeedJobsResult> {
  const total = opts.count;
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`count must be a non-negative integer (got ${total})`);
  if (total === 0) return { inserted: 0, published: 0 };
  const batchSize = Math.max(1, opts.batchSize ?? 2_000);
  const concurrency = Math.max(1, opts.concurrency ?? defaultConcurrency());
  const orgs = await loadJobOrgs(db);

  // Slugs must not collide with jobs already in the table (an earlier seed, real postings).
  const usedSlugs = new Set<string>();
  if (!(await isEmpty(db))) {
    const existing = await rows<{ slug: string }>(db, sql`select slug from jobs`);
    for (const r of existing) usedSlugs.add(r.slug);
  }

  const rng = createRng(`jobs:${opts.seed ?? 1}`);
  const now = opts.now ?? new Date();

  let done = 0;
  let published = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;

  for (let start = 0; start < total && failure === null; start += batchSize) {
    const n = Math.min(batchSize, total - start);
    // Generation is sequential, so the content depends only on the seed, not on commit order.
    const batch = generateJobs(rng, n, orgs, { now, usedSlugs, newId: randomUUID });
    const publishedIds = batch.jobs.filter((j) => j.status === 'published').map((j) => j.id);

    const task = db
      .transaction(async (tx) => {
        // Seed data: don't make each batch wait for its WAL flush (a crash loses at most the last batches).
        await tx.execute(sql`set local synchronous_commit = off`);
        await insertJson(tx, jobs, batch.jobs);
        await insertJson(tx, jobCredentials, batch.jobCredentials);
        await insertJson(tx, screeningQuestions, batch.screeningQuestions);
        // One 'upsert' outbox row per published job (≤ 2 parameters each, well under the limit per batch).
        for (let i = 0; i < publishedIds.length; i += 20_000) await enqueueSearchSync(tx, publishedIds.slice(i, i + 20_000), 'upsert');
      })
      .then(() => {
        done += n;
        published += publishedIds.length;
        opts.onProgress?.(done, total);
      })
      .catch((err: unknown) => {
        failure ??= err;
      });
    const tracked: Promise<void> = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== null) throw failure;
  // Fresh statistics for the planner, as PostgreSQL advises after a bulk load: until autovacuum gets to
  // them, a table it has never analyzed is planned with guesses (job_credentials: ~600 rows a job, not 2).
  await db.execute(sql`analyze jobs, job_credentials, screening_questions`);
  return { inserted: done, published };
}

export async function isEmpty(db: Db): Promise<boolean> {
  const r = await db.select({ id: jobs.id }).from(jobs).limit(1);
  return r.length === 0;
}
export { seedDemoPipeline, type SeedPipelineResult } from './pipeline';
