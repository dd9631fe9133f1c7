import { getTableName, inArray, type SQL, sql } from 'drizzle-orm';
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
  | 'populations'
  | 'supervisionOffered'
  | 'orgId'
> & {
  /** `jobs.search_excerpt`: the description's plain-text excerpt, made by PostgreSQL when the job was written. */
  excerpt: string;
  /** Unix seconds (null: never published), as the index stores them. */
  postedAt: number | null;
  validThrough: number;
  payMinAnnual: number;
  payMaxAnnual: number;
  orgName: string;
  orgSlug: string;
  orgLogo: string | null;
  credentials: string[];
};

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
    orgLogo: row.orgLogo,
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
    payMinAnnual: row.payMinAnnual,
    payMaxAnnual: row.payMaxAnnual,
    populations: row.populations,
    supervisionOffered: row.supervisionOffered,
    postedAt: Math.floor(row.postedAt ?? 0),
    validThrough: Math.floor(row.validThrough),
    description: row.excerpt,
    populationNames: row.populations.map((x) => POPULATION_LABELS[x as Population] ?? x),
    _geo: { lat: row.lat, lng: row.lng },
  };
}

/**
 * A job belongs in the index only while it is open: the rule of `openJobsWhere` (jobs/queries), which
 * this folder cannot import (jobs depends on search, for the outbox).
 */
const searchable = (now: Date) => sql`${jobs.status} = 'published' and ${jobs.validThrough} > ${now.toISOString()} and ${jobs.expiredAt} is null`;

/** Each JobRowForIndex field and the expression that reads it. */
const indexColumns: Record<keyof JobRowForIndex, SQL> = {
  id: sql`${jobs.id}`,
  slug: sql`${jobs.slug}`,
  title: sql`${jobs.title}`,
  role: sql`${jobs.role}`,
  programType: sql`${jobs.programType}`,
  setting: sql`${jobs.setting}`,
  schedule: sql`${jobs.schedule}`,
  track: sql`${jobs.track}`,
  employmentType: sql`${jobs.employmentType}`,
  payMin: sql`${jobs.payMin}`,
  payMax: sql`${jobs.payMax}`,
  payPeriod: sql`${jobs.payPeriod}`,
  payMinAnnual: sql`${jobs.payMinAnnual}`,
  payMaxAnnual: sql`${jobs.payMaxAnnual}`,
  city: sql`${jobs.city}`,
  state: sql`${jobs.state}`,
  zip: sql`${jobs.zip}`,
  lat: sql`${jobs.lat}`,
  lng: sql`${jobs.lng}`,
  excerpt: sql`${jobs.searchExcerpt}`,
  populations: sql`${jobs.populations}`,
  supervisionOffered: sql`${jobs.supervisionOffered}`,
  postedAt: sql`extract(epoch from ${jobs.postedAt})::float8`,
  validThrough: sql`extract(epoch from ${jobs.validThrough})::float8`,
  orgId: sql`${jobs.orgId}`,
  orgName: sql`${organizations.name}`,
  orgSlug: sql`${organizations.slug}`,
  orgLogo: sql`${organizations.logoPath}`,
  // In the same query as the job: one round trip per page, not a second query with every id of the page.
  credentials: sql`coalesce((select array_agg(jc.credential_code) from ${jobCredentials} jc where jc.job_id = ${jobs.id}), '{}')`,
};

/**
 * The indexer's rows, as plain driver rows: the query builder's per-column mapping and Date
 * parsing were a fifth of what reading a page cost this process (measured at 100k).
 */
const indexSelectList = sql.join(
  Object.entries(indexColumns).map(([name, expr]) => sql`${expr} as ${sql.identifier(name)}`),
  sql`, `,
);

function readIndexRows(db: Pick<Db | Tx, 'execute'>, where: SQL): Promise<JobRowForIndex[]> {
  return rows<JobRowForIndex>(db, sql`select ${indexSelectList} from ${jobs} join ${organizations} on ${organizations.id} = ${jobs.orgId} where ${where}`);
}

/**
 * Current state of the given jobs, split into documents to upsert and ids to delete.
 * The outbox only says "look at this job again"; what goes to the index is always
 * what PostgreSQL says now, which makes draining idempotent.
 */
export async function loadIndexState(db: Pick<Db | Tx, 'execute'>, ids: string[], now = new Date()): Promise<{ upserts: JobDocument[]; deletes: string[] }> {
  if (ids.length === 0) return { upserts: [], deletes: [] };
  const found = await readIndexRows(db, sql`${inArray(jobs.id, ids)} and ${searchable(now)}`);
  const upserts = found.map(toJobDocument);
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

/** A page of the reindex's read: its documents, and the share of the table read so far (0 to 1). */
export interface DocumentPage {
  docs: JobDocument[];
  read: number;
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
): AsyncGenerator<DocumentPage> {
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
      readIndexRows(tx, sql`${jobs}.ctid >= ${lo}::tid ${hi ? sql`and ${jobs}.ctid < ${hi}::tid` : sql``} and ${searchable(now)}`);
    const ranges = blockRanges(Number(blocks), blocksPerPage);
    let next = 0;
    while (next < ranges.length && pending.length <= READ_AHEAD) pending.push(read(ranges[next++]!));
    let done = 0;
    while (pending.length) {
      const page = await pending.shift()!;
      if (next < ranges.length) pending.push(read(ranges[next++]!));
      done += 1;
      yield { docs: page.map(toJobDocument), read: done / ranges.length };
    }
  } finally {
    // A caller that stops early leaves the asked-for pages behind: their failures are nobody's to report.
    for (const p of pending) p.catch(() => {});
    release();
    await transaction.catch(() => {});
  }
}
