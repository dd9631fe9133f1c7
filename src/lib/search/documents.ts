import { and, count, eq, gt, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
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

/**
 * The index holds an excerpt of each description, not the whole posting: every distinct word costs
 * indexing time on each publish (measured: 300-character excerpts halve single-job indexing at 87k
 * jobs), and the words that decide a search (title, role, credentials, populations, place) are
 * fields of their own. The excerpt is made from the description's opening EXCERPT_SOURCE_CHARS
 * only, read so from PostgreSQL too: turning whole descriptions into plain text was most of the
 * reindex's own CPU (measured at 100k: 7 of 21 s, and much of its garbage).
 */
export const EXCERPT_CHARS = 500;
const EXCERPT_SOURCE_CHARS = 2 * EXCERPT_CHARS;

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
    description: plainText(row.descriptionMd.slice(0, EXCERPT_SOURCE_CHARS), EXCERPT_CHARS),
    populationNames: row.populations.map((x) => POPULATION_LABELS[x as Population] ?? x),
    _geo: { lat: row.lat, lng: row.lng },
  };
}

/** A job belongs in the index only while it is published and not past valid-through. */
export function isSearchable(job: { status: string; validThrough: Date; expiredAt?: Date | null }, now = new Date()): boolean {
  return job.status === 'published' && job.validThrough.getTime() > now.getTime() && !job.expiredAt;
}

/**
 * A job's credential codes, in the same query as the job: one round trip per page instead of a
 * second query with every id of the page as a parameter.
 */
const credentialCodes = sql<string[]>`coalesce((select array_agg(jc.credential_code) from ${jobCredentials} jc where jc.job_id = ${jobs.id}), '{}')`;

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
  // Only what the excerpt is made from (see EXCERPT_CHARS) crosses the wire.
  descriptionMd: sql<string>`left(${jobs.descriptionMd}, ${sql.raw(String(EXCERPT_SOURCE_CHARS))})`,
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
  credentials: credentialCodes,
};

/**
 * Current state of the given jobs, split into documents to upsert and ids to delete.
 * The outbox only says "look at this job again"; what goes to the index is always
 * what PostgreSQL says now, which makes draining idempotent.
 */
export async function loadIndexState(db: Db, ids: string[], now = new Date()): Promise<{ upserts: JobDocument[]; deletes: string[] }> {
  if (ids.length === 0) return { upserts: [], deletes: [] };
  const found = await db.select(jobColumns).from(jobs).innerJoin(organizations, eq(organizations.id, jobs.orgId)).where(inArray(jobs.id, ids));
  const upserts = found.filter((row) => isSearchable(row, now)).map(toJobDocument);
  const upserted = new Set(upserts.map((u) => u.id));
  const deletes = ids.filter((id) => !upserted.has(id));
  return { upserts, deletes };
}

/**
 * Splits the (random, uniformly spread) UUID space into `parts` half-open ranges [lo, hi).
 * `parts` is a power of two up to 2^16, so each bound is a whole number of leading hex digits.
 */
export function uuidRanges(parts: number): { lo: string; hi: string | null }[] {
  const bound = (i: number) => `${(i * (0x10000 / parts)).toString(16).padStart(4, '0')}0000-0000-0000-0000-000000000000`;
  return Array.from({ length: parts }, (_, i) => ({ lo: bound(i), hi: i + 1 < parts ? bound(i + 1) : null }));
}

/**
 * Every searchable job, a page at a time, for reindexing. Pages are ranges of the id space, not
 * keyset pages (`id > last order by id limit n`): on a table with many closed jobs the planner
 * answers each keyset page with a scan of all open jobs and a sort (measured: 18 pages of 5,000
 * at 87k open jobs read the table 18 times), where an id range reads its own rows once. The next
 * range is already being read while the caller sends this one.
 */
/** Ranges read ahead while the current one is sent (each holds one pool connection). */
const READ_AHEAD = 3;

export async function* searchableDocuments(db: Db, pageSize = 5000, now = new Date()): AsyncGenerator<JobDocument[]> {
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(jobs).where(eq(jobs.status, 'published'));
  const parts = Math.min(0x10000, 2 ** Math.ceil(Math.log2(Math.max(1, n / pageSize))));
  const read = ({ lo, hi }: { lo: string; hi: string | null }) =>
    db
      .select(jobColumns)
      .from(jobs)
      .innerJoin(organizations, eq(organizations.id, jobs.orgId))
      .where(and(gte(jobs.id, lo), hi ? lt(jobs.id, hi) : undefined, eq(jobs.status, 'published'), gt(jobs.validThrough, now), isNull(jobs.expiredAt)))
      // execute() starts the query now; a query builder left un-awaited would not run until awaited.
      .execute();
  const ranges = uuidRanges(parts);
  // Up to READ_AHEAD ranges are read at once: PostgreSQL works on the next ones while this process
  // turns the current one into documents and the engine receives them.
  const pending = ranges.slice(0, READ_AHEAD).map(read);
  let next = READ_AHEAD;
  try {
    while (pending.length) {
      const page = await pending.shift()!;
      if (next < ranges.length) pending.push(read(ranges[next++]!));
      if (page.length) yield page.map(toJobDocument);
    }
  } finally {
    // A caller that stops early leaves the prefetched reads behind: their failures are nobody's to report.
    for (const p of pending) p.catch(() => {});
  }
}
