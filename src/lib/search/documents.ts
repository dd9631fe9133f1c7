import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobCredentials, jobs, organizations } from '#db/schema';
import { credentialByCode, POPULATION_LABELS, roleBySlug, US_STATES, type Population, type ProgramType } from '#lib/domain/taxonomy';

/** The shape of a job in the search index. Flat, denormalized, numbers for ranges and dates. */
export interface JobDocument {
  id: string;
  slug: string;
  title: string;
  organization: string;
  orgId: string;
  orgSlug: string;
  orgLogo: string | null;
  role: string;
  roleName: string;
  program: ProgramType;
  /** PHP_IOP jobs match a PHP filter and an IOP filter. */
  programs: string[];
  credentials: string[];
  credentialNames: string[];
  credentialClasses: string[];
  city: string;
  state: string;
  stateName: string;
  zip: string;
  setting: string;
  schedule: string;
  track: string;
  employmentType: string;
  payMin: number;
  payMax: number;
  payPeriod: string;
  payMinAnnual: number;
  payMaxAnnual: number;
  populations: string[];
  populationNames: string[];
  supervisionOffered: boolean;
  /** Unix seconds, for range filters and sorting. */
  postedAt: number;
  validThrough: number;
  description: string;
  _geo: { lat: number; lng: number };
}

/** A job row as the indexer reads it: the posting's own columns plus its organization and credential codes. */
export type JobRowForIndex = Pick<
  typeof jobs.$inferSelect,
  | 'id'
  | 'slug'
  | 'title'
  | 'role'
  | 'programType'
  | 'setting'
  | 'schedule'
  | 'track'
  | 'employmentType'
  | 'payMin'
  | 'payMax'
  | 'payPeriod'
  | 'city'
  | 'state'
  | 'zip'
  | 'lat'
  | 'lng'
  | 'descriptionMd'
  | 'populations'
  | 'supervisionOffered'
  | 'postedAt'
  | 'validThrough'
  | 'orgId'
> & { orgName: string; orgSlug: string; orgLogo?: string | null; credentials: string[] };

/** Markdown to a plain excerpt: the index needs words, not markup, and not the whole page. */
export function plainText(md: string, max = 1500): string {
  const text = md
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`~|-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function annualize(amount: number, period: string): number {
  return period === 'hour' ? amount * 2080 : amount;
}

export function toJobDocument(row: JobRowForIndex): JobDocument {
  const creds = [...row.credentials].sort();
  const defs = creds.map((c) => credentialByCode(c)).filter((d) => d !== undefined);
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    organization: row.orgName,
    orgId: row.orgId,
    orgSlug: row.orgSlug,
    orgLogo: row.orgLogo ?? null,
    role: row.role,
    roleName: roleBySlug(row.role)?.name ?? row.role,
    program: row.programType,
    programs: row.programType === 'PHP_IOP' ? ['PHP', 'IOP', 'PHP_IOP'] : [row.programType],
    credentials: creds,
    credentialNames: defs.flatMap((d) => [d.name, ...d.aliases]),
    credentialClasses: [...new Set(defs.map((d) => d.class))],
    city: row.city,
    state: row.state,
    stateName: US_STATES[row.state] ?? row.state,
    zip: row.zip,
    setting: row.setting,
    schedule: row.schedule,
    track: row.track,
    employmentType: row.employmentType,
    payMin: row.payMin,
    payMax: row.payMax,
    payPeriod: row.payPeriod,
    payMinAnnual: annualize(row.payMin, row.payPeriod),
    payMaxAnnual: annualize(row.payMax, row.payPeriod),
    populations: row.populations,
    supervisionOffered: row.supervisionOffered,
    postedAt: Math.floor((row.postedAt ?? new Date(0)).getTime() / 1000),
    validThrough: Math.floor(row.validThrough.getTime() / 1000),
    // An excerpt, not the whole posting: every distinct word costs indexing time on each
    // publish (measured: 300-character excerpts halve single-job indexing at 87k jobs), and the
    // words that decide a search (title, role, credentials, populations, place) are fields of their own.
    description: plainText(row.descriptionMd, 500),
    populationNames: row.populations.map((x) => POPULATION_LABELS[x as Population] ?? x),
    _geo: { lat: row.lat, lng: row.lng },
  };
}

/** A job belongs in the index only while it is published and not past valid-through. */
export function isSearchable(job: { status: string; validThrough: Date; expiredAt?: Date | null }, now = new Date()): boolean {
  return job.status === 'published' && job.validThrough.getTime() > now.getTime() && !job.expiredAt;
}

const jobColumns = {
  id: jobs.id,
  slug: jobs.slug,
  title: jobs.title,
  role: jobs.role,
  programType: jobs.programType,
  setting: jobs.setting,
  schedule: jobs.schedule,
  track: jobs.track,
  employmentType: jobs.employmentType,
  payMin: jobs.payMin,
  payMax: jobs.payMax,
  payPeriod: jobs.payPeriod,
  city: jobs.city,
  state: jobs.state,
  zip: jobs.zip,
  lat: jobs.lat,
  lng: jobs.lng,
  descriptionMd: jobs.descriptionMd,
  populations: jobs.populations,
  supervisionOffered: jobs.supervisionOffered,
  postedAt: jobs.postedAt,
  validThrough: jobs.validThrough,
  status: jobs.status,
  expiredAt: jobs.expiredAt,
  orgId: jobs.orgId,
  orgName: organizations.name,
  orgSlug: organizations.slug,
  orgLogo: organizations.logoPath,
};

async function credentialsByJob(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const creds = await db
    .select({ jobId: jobCredentials.jobId, code: jobCredentials.credentialCode })
    .from(jobCredentials)
    .where(inArray(jobCredentials.jobId, ids));
  const byJob = new Map<string, string[]>();
  for (const c of creds) byJob.set(c.jobId, [...(byJob.get(c.jobId) ?? []), c.code]);
  return byJob;
}

/**
 * Current state of the given jobs, split into documents to upsert and ids to delete.
 * The outbox only says "look at this job again"; what goes to the index is always
 * what PostgreSQL says now, which makes draining idempotent.
 */
export async function loadIndexState(db: Db, ids: string[], now = new Date()): Promise<{ upserts: JobDocument[]; deletes: string[] }> {
  if (ids.length === 0) return { upserts: [], deletes: [] };
  const found = await db.select(jobColumns).from(jobs).innerJoin(organizations, eq(organizations.id, jobs.orgId)).where(inArray(jobs.id, ids));
  const credsByJob = await credentialsByJob(db, ids);
  const upserts: JobDocument[] = [];
  for (const row of found) {
    if (isSearchable(row, now)) upserts.push(toJobDocument({ ...row, credentials: credsByJob.get(row.id) ?? [] }));
  }
  const upserted = new Set(upserts.map((u) => u.id));
  const deletes = ids.filter((id) => !upserted.has(id));
  return { upserts, deletes };
}

/** Pages through every searchable job in id order (keyset), for reindexing. */
export async function* searchableDocuments(db: Db, pageSize = 5000, now = new Date()): AsyncGenerator<JobDocument[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await db
      .select(jobColumns)
      .from(jobs)
      .innerJoin(organizations, eq(organizations.id, jobs.orgId))
      .where(and(gt(jobs.id, after), eq(jobs.status, 'published'), gt(jobs.validThrough, now), isNull(jobs.expiredAt)))
      .orderBy(asc(jobs.id))
      .limit(pageSize);
    if (page.length === 0) return;
    const ids = page.map((p) => p.id);
    const credsByJob = await credentialsByJob(db, ids);
    yield page.map((row) => toJobDocument({ ...row, credentials: credsByJob.get(row.id) ?? [] }));
    after = page[page.length - 1]!.id;
    if (page.length < pageSize) return;
  }
}
