import { and, eq, getTableName, gt, inArray, isNull, sql } from 'drizzle-orm';
import { type Db, rows, type Tx } from '#db/client';
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
  let text = md;
  // The rarer constructs are looked for only when their marks are there (this runs once a job per reindex).
  if (text.includes('```')) text = text.replace(/```[\s\S]*?```/g, ' ');
  if (text.includes('](')) text = text.replace(/!\[[^\]]*\]\([^)]*\)/g, ' ').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
  // Markup characters and whitespace, in runs, become one space.
  text = text.replace(/[#>*_`~|\s-]+/g, ' ').trim();
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
 * Splits a table of `blocks` heap blocks into ranges of `perRange` blocks, as TID bounds: the last
 * range has no upper bound, so rows in blocks added after the count are read too.
 */
export function blockRanges(blocks: number, perRange: number): { lo: string; hi: string | null }[] {
  const parts = Math.max(1, Math.ceil(blocks / perRange));
  return Array.from({ length: parts }, (_, i) => ({ lo: `(${i * perRange},0)`, hi: i + 1 < parts ? `(${(i + 1) * perRange},0)` : null }));
}

/** 4 MiB of heap a page: about 5,000 jobs. */
const BLOCKS_PER_PAGE = 512;
/** Pages asked for ahead of the one being sent; they queue on the one connection. */
const READ_AHEAD = 2;

/**
 * Every searchable job, a page at a time, for reindexing. Pages are ranges of the table's heap
 * blocks, read in physical order, so each block is read once. (Ranges of the random ids put the
 * rows of one page in a third of all blocks: measured at 100k jobs, 32 id ranges read the heap 9
 * times over.) All pages are read in one repeatable-read transaction: one snapshot, so a row that an
 * update moves to another block during the read is seen exactly once. The next pages are already
 * asked for while the caller sends this one; PostgreSQL answers them in turn on the transaction's
 * connection while this process turns the current one into documents.
 */
export async function* searchableDocuments(
  db: Db,
  { now = new Date(), blocksPerPage = BLOCKS_PER_PAGE }: { now?: Date; blocksPerPage?: number } = {},
): AsyncGenerator<JobDocument[]> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started!: (tx: Tx) => void;
  const ready = new Promise<Tx>((resolve) => {
    started = resolve;
  });
  const transaction = db.transaction(
    async (tx) => {
      started(tx);
      await released;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  // A transaction that fails to open would leave `ready` pending: race it with the failure.
  const tx = await Promise.race([ready, transaction.then(() => Promise.reject(new Error('The reindex transaction ended before reading.')))]);
  const pending: Promise<JobRowForIndex[]>[] = [];
  try {
    const [{ blocks } = { blocks: 0 }] = await rows<{ blocks: number }>(
      tx,
      sql`select (pg_relation_size(${getTableName(jobs)}::regclass) / current_setting('block_size')::int)::int as blocks`,
    );
    const read = ({ lo, hi }: { lo: string; hi: string | null }) =>
      tx
        .select(jobColumns)
        .from(jobs)
        .innerJoin(organizations, eq(organizations.id, jobs.orgId))
        .where(
          and(
            sql`${jobs}.ctid >= ${lo}::tid`,
            hi ? sql`${jobs}.ctid < ${hi}::tid` : undefined,
            eq(jobs.status, 'published'),
            gt(jobs.validThrough, now),
            isNull(jobs.expiredAt),
          ),
        )
        // execute() starts the query now; a query builder left un-awaited would not run until awaited.
        .execute();
    const ranges = blockRanges(Number(blocks), blocksPerPage);
    let next = 0;
    while (next < ranges.length && pending.length <= READ_AHEAD) pending.push(read(ranges[next++]!));
    while (pending.length) {
      const page = await pending.shift()!;
      if (next < ranges.length) pending.push(read(ranges[next++]!));
      if (page.length) yield page.map(toJobDocument);
    }
  } finally {
    // A caller that stops early leaves the asked-for pages behind: their failures are nobody's to report.
    for (const p of pending) p.catch(() => {});
    release();
    await transaction.catch(() => {});
  }
}
