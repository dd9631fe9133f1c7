import { and, asc, desc, eq, notInArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '#db/client';
import { applications, jobCredentials, jobs, organizations, screeningQuestions } from '#db/schema';
import { JOB_EDITORS } from '#lib/domain/roles';
import { randomToken } from '#lib/shared/tokens';
import type { MemberRole } from '#lib/domain/taxonomy';
import { conflict, forbidden, invalid, notFound, ServiceError } from '#lib/shared/errors';
import { audit } from '#lib/audit/log';
import { lockOrgRow } from '#lib/shared/org-rows';
import { enqueueSearchSync } from '#lib/search/outbox';
import { zipToCoords } from '#lib/search/zips';
import { renderMarkdownOrText } from '#lib/markdown';
import { computeSearchExtra, jobSlugBase } from './search-text';
import { dateToValidThrough, jobInputSchema, validThroughToDate, type JobInput, type JobValues } from './schema';
import type { ClockOpts } from '#lib/shared/clock';

/**
 * The one way a posting changes: create, update, publish, close, renew and
 * duplicate. Each validates with the posting schema the form uses, writes the
 * job, its credentials and questions, its search text, an outbox row for the
 * search index and an audit row — all in one transaction, whose commit wakes the
 * search worker (the outbox row's NOTIFY).
 */
export interface JobActor {
  userId: string;
  orgId: string;
  role: MemberRole;
  /** Publishing needs a confirmed email address (a spam brake: throwaway accounts cannot post). */
  emailVerified: boolean;
}

export type JobRow = typeof jobs.$inferSelect;

const DAY_MS = 86_400_000;
/** How far ahead a posting may be open. */
export const MAX_VALID_DAYS = 365;
/** The default valid-through for new postings and renewals. */
export const DEFAULT_VALID_DAYS = 30;
/** The dashboard warns when a posting closes within this many days. */
export const EXPIRING_SOON_DAYS = 7;

export function defaultValidThrough(now = new Date(), days = DEFAULT_VALID_DAYS): string {
  return dateToValidThrough(new Date(now.getTime() + days * DAY_MS));
}

/** The audit row every change to a posting writes, in the change's transaction. */
function jobAudit(tx: Tx, actor: JobActor, jobId: string, action: string, at: Date, data?: Record<string, unknown>) {
  return audit(tx, actor, {
    entity: 'job',
    entityId: jobId,
    action,
    at,
    ...(data ? { data } : {}),
  });
}

function requireEditor(actor: JobActor) {
  if (!JOB_EDITORS.includes(actor.role)) throw forbidden('Only admins and hiring managers can change postings.');
}

function parseInput(raw: JobInput): JobValues {
  const r = jobInputSchema.safeParse(raw);
  if (!r.success) {
    const fields: Record<string, string[]> = {};
    for (const i of r.error.issues) (fields[i.path.map(String).join('.') || 'form'] ??= []).push(i.message);
    throw invalid(r.error.issues[0]?.message ?? 'Check the form.', fields);
  }
  return r.data;
}

function checkValidThrough(day: string, now: Date): Date {
  const at = validThroughToDate(day);
  if (at.getTime() <= now.getTime()) {
    throw invalid('The last day must be today or later.', { validThrough: ['The last day must be today or later.'] });
  }
  if (at.getTime() > now.getTime() + MAX_VALID_DAYS * DAY_MS + DAY_MS) {
    throw invalid(`A posting can stay open at most ${MAX_VALID_DAYS} days; pick an earlier last day.`, {
      validThrough: ['Too far ahead.'],
    });
  }
  return at;
}

function requireVerified(actor: JobActor) {
  if (!actor.emailVerified) {
    throw new ServiceError('forbidden', 'Confirm your email address before publishing: use the link we emailed you, or send a new one from your account page.');
  }
}

async function coordsFor(zip: string): Promise<{ lat: number; lng: number }> {
  const c = await zipToCoords(zip);
  if (!c) throw invalid(`We don't know the ZIP code ${zip}. Check it.`, { zip: [`We don't know the ZIP code ${zip}.`] });
  return c;
}

async function orgName(tx: Pick<Db, 'select'>, orgId: string): Promise<string> {
  const [o] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId));
  if (!o) throw notFound();
  return o.name;
}

/** The job, locked for the transaction, if it belongs to the actor's organization; otherwise the same not-found as a missing id. */
function lockJob(tx: Tx, actor: JobActor, jobId: string): Promise<JobRow> {
  return lockOrgRow(tx, jobs, actor.orgId, jobId);
}

/** Replaces credentials; questions are matched by id so answers already given to kept questions survive an edit. */
async function writeChildren(tx: Tx, jobId: string, v: JobValues): Promise<void> {
  await tx.delete(jobCredentials).where(eq(jobCredentials.jobId, jobId));
  if (v.credentials.length) await tx.insert(jobCredentials).values(v.credentials.map((c) => ({ jobId, credentialCode: c })));

  const existing = await tx.select({ id: screeningQuestions.id }).from(screeningQuestions).where(eq(screeningQuestions.jobId, jobId));
  const existingIds = new Set(existing.map((q) => q.id));
  const keep = v.questions.map((q) => q.id).filter((id): id is string => Boolean(id && existingIds.has(id)));
  await tx
    .delete(screeningQuestions)
    .where(keep.length ? and(eq(screeningQuestions.jobId, jobId), notInArray(screeningQuestions.id, keep)) : eq(screeningQuestions.jobId, jobId));
  // Move kept questions out of the way of the unique (job, position) index before renumbering.
  if (keep.length) {
    await tx
      .update(screeningQuestions)
      .set({ position: sql`-1 - ${screeningQuestions.position}` })
      .where(eq(screeningQuestions.jobId, jobId));
  }
  for (const [position, q] of v.questions.entries()) {
    const values = {
      position,
      kind: q.kind,
      prompt: q.prompt,
      options: q.options,
      required: q.required,
      knockoutAnswer: q.knockoutAnswer,
    };
    if (q.id && existingIds.has(q.id)) {
      await tx
        .update(screeningQuestions)
        .set(values)
        .where(and(eq(screeningQuestions.id, q.id), eq(screeningQuestions.jobId, jobId)));
    } else {
      await tx.insert(screeningQuestions).values({ jobId, ...values });
    }
  }
}

function rowValues(v: JobValues, coords: { lat: number; lng: number }, org: string) {
  return {
    title: v.title,
    role: v.role,
    programType: v.programType,
    setting: v.setting,
    schedule: v.schedule,
    track: v.track,
    employmentType: v.employmentType,
    payMin: v.payMin,
    payMax: v.payMax,
    payPeriod: v.payPeriod,
    city: v.city,
    state: v.state,
    zip: v.zip,
    lat: coords.lat,
    lng: coords.lng,
    descriptionMd: v.descriptionMd,
    // Rendered here, once per save, so the job page never runs Markdown (the schema already checked it renders).
    descriptionHtml: renderMarkdownOrText(v.descriptionMd),
    populations: v.populations,
    supervisionOffered: v.supervisionOffered,
    openings: v.openings,
    validThrough: validThroughToDate(v.validThrough),
    searchExtra: computeSearchExtra(v.credentials, org, v.role),
  };
}

async function insertWithUniqueSlug(tx: Tx, values: typeof jobs.$inferInsert, base: string): Promise<JobRow> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = `${base || 'job'}-${randomToken(5).slice(0, 6)}`;
    const [row] = await tx
      .insert(jobs)
      .values({ ...values, slug })
      .onConflictDoNothing({ target: jobs.slug })
      .returning();
    if (row) return row;
  }
  throw new Error('Could not allocate a unique job slug');
}

export interface JobChange {
  id: string;
  slug: string;
  status: JobRow['status'];
  version: number;
}
const change = (j: JobRow): JobChange => ({ id: j.id, slug: j.slug, status: j.status, version: j.version });

/** A new posting: a draft, or published at once with `publish`. */
export async function createJob(db: Db, actor: JobActor, raw: JobInput, opts: { publish?: boolean; now?: Date } = {}): Promise<JobChange> {
  requireEditor(actor);
  const now = opts.now ?? new Date();
  const v = parseInput(raw);
  if (opts.publish) {
    requireVerified(actor);
    checkValidThrough(v.validThrough, now);
  }
  const coords = await coordsFor(v.zip);
  return db.transaction(async (tx) => {
    const org = await orgName(tx, actor.orgId);
    const job = await insertWithUniqueSlug(
      tx,
      {
        ...rowValues(v, coords, org),
        slug: '',
        orgId: actor.orgId,
        status: opts.publish ? 'published' : 'draft',
        postedAt: opts.publish ? now : null,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      },
      jobSlugBase(v.title, v.city, v.state),
    );
    await writeChildren(tx, job.id, v);
    await enqueueSearchSync(tx, [job.id]);
    await jobAudit(tx, actor, job.id, opts.publish ? 'job.created_published' : 'job.created', now, { title: v.title });
    return change(job);
  });
}

export const EDIT_CONFLICT_MESSAGE =
  'Someone else changed this posting since you opened it. Your changes are below; review the current version and save again.';

/**
 * Edits a posting in any status. The slug — the public URL — never changes.
 * `version` is the posting's version the editor started from (the form carries
 * it): if anyone changed the posting since (an edit, publish, close, renew),
 * nothing is written and the edit is a conflict, so two editors cannot silently
 * overwrite each other. Only internal callers that mean to overwrite omit it.
 */
export async function updateJob(db: Db, actor: JobActor, jobId: string, raw: JobInput, opts: { version?: number; now?: Date } = {}): Promise<JobChange> {
  requireEditor(actor);
  const now = opts.now ?? new Date();
  const v = parseInput(raw);
  const coords = await coordsFor(v.zip);
  return db.transaction(async (tx) => {
    const before = await lockJob(tx, actor, jobId);
    const version = opts.version ?? before.version;
    if (before.version !== version) throw conflict(EDIT_CONFLICT_MESSAGE);
    if (before.status === 'published' && !before.expiredAt) checkValidThrough(v.validThrough, now);
    const org = await orgName(tx, actor.orgId);
    const next = rowValues(v, coords, org);
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
      (k) => k !== 'searchExtra' && k !== 'descriptionHtml' && k !== 'lat' && k !== 'lng' && JSON.stringify(before[k]) !== JSON.stringify(next[k]),
    );
    // The compare-and-set (the row is locked, so this is belt and braces): zero rows means it changed under us.
    const [job] = await tx
      .update(jobs)
      .set({ ...next, version: sql`${jobs.version} + 1`, updatedAt: now })
      .where(and(eq(jobs.id, jobId), eq(jobs.version, version)))
      .returning();
    if (!job) throw conflict(EDIT_CONFLICT_MESSAGE);
    await writeChildren(tx, jobId, v);
    await enqueueSearchSync(tx, [jobId]);
    await jobAudit(tx, actor, jobId, 'job.updated', now, { fields: changed });
    return change(job);
  });
}

/** draft → published; the first publication sets posted_at. */
export async function publishJob(db: Db, actor: JobActor, jobId: string, opts: ClockOpts = {}): Promise<JobChange> {
  requireEditor(actor);
  requireVerified(actor);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const before = await lockJob(tx, actor, jobId);
    if (before.status !== 'draft')
      throw new ServiceError('conflict', before.status === 'published' ? 'This posting is already published.' : 'A closed posting is reopened with Renew.');
    checkValidThrough(dateToValidThrough(before.validThrough), now);
    const [job] = await tx
      .update(jobs)
      .set({ status: 'published', postedAt: before.postedAt ?? now, version: sql`${jobs.version} + 1`, updatedAt: now })
      .where(eq(jobs.id, jobId))
      .returning();
    await enqueueSearchSync(tx, [jobId]);
    await jobAudit(tx, actor, jobId, 'job.published', now);
    return change(job!);
  });
}

/** published → closed: off search at once, the page says it no longer takes applications. */
export async function closeJob(db: Db, actor: JobActor, jobId: string, opts: ClockOpts = {}): Promise<JobChange> {
  requireEditor(actor);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const before = await lockJob(tx, actor, jobId);
    if (before.status !== 'published') {
      throw new ServiceError(
        'conflict',
        before.status === 'closed' ? 'This posting is already closed.' : 'A draft is not published, so there is nothing to close.',
      );
    }
    const [job] = await tx
      .update(jobs)
      .set({ status: 'closed', closedAt: now, version: sql`${jobs.version} + 1`, updatedAt: now })
      .where(eq(jobs.id, jobId))
      .returning();
    await enqueueSearchSync(tx, [jobId], 'delete');
    await jobAudit(tx, actor, jobId, 'job.closed', now);
    return change(job!);
  });
}

/**
 * Reopens a closed or expired posting (or extends an open one) until a new
 * valid-through, by default DEFAULT_VALID_DAYS from now. posted_at stays the
 * first publication date: renewing does not pretend a posting is new.
 */
export async function renewJob(db: Db, actor: JobActor, jobId: string, opts: { validThrough?: string; now?: Date } = {}): Promise<JobChange> {
  requireEditor(actor);
  requireVerified(actor);
  const now = opts.now ?? new Date();
  const day = opts.validThrough ?? defaultValidThrough(now);
  const validThrough = checkValidThrough(day, now);
  return db.transaction(async (tx) => {
    const before = await lockJob(tx, actor, jobId);
    if (before.status === 'draft') throw new ServiceError('conflict', 'A draft is published, not renewed.');
    const [job] = await tx
      .update(jobs)
      .set({
        status: 'published',
        validThrough,
        expiredAt: null,
        closedAt: null,
        postedAt: before.postedAt ?? now,
        version: sql`${jobs.version} + 1`,
        updatedAt: now,
      })
      .where(eq(jobs.id, jobId))
      .returning();
    await enqueueSearchSync(tx, [jobId]);
    await jobAudit(tx, actor, jobId, 'job.renewed', now, {
      from: before.status === 'published' && before.expiredAt ? 'expired' : before.status,
      validThrough: day,
    });
    return change(job!);
  });
}

/** A draft copy (credentials and questions included) under a new slug. */
export async function duplicateJob(db: Db, actor: JobActor, jobId: string, opts: ClockOpts = {}): Promise<JobChange> {
  requireEditor(actor);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const [src] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, jobId), eq(jobs.orgId, actor.orgId)));
    if (!src) throw notFound();
    const [creds, questions] = await Promise.all([
      tx.select().from(jobCredentials).where(eq(jobCredentials.jobId, jobId)),
      tx.select().from(screeningQuestions).where(eq(screeningQuestions.jobId, jobId)).orderBy(asc(screeningQuestions.position)),
    ]);
    const minValid = now.getTime() + DEFAULT_VALID_DAYS * DAY_MS;
    const {
      id: _id,
      slug: _slug,
      status: _s,
      postedAt: _p,
      closedAt: _c,
      expiredAt: _e,
      viewCount: _v,
      createdAt: _ca,
      updatedAt: _ua,
      payMinAnnual: _pa,
      payMaxAnnual: _pb,
      searchVector: _sv,
      searchExcerpt: _se,
      createdBy: _cb,
      version: _ver,
      validThrough,
      ...rest
    } = src;
    const copy = await insertWithUniqueSlug(
      tx,
      {
        ...rest,
        // A row saved before description_html existed gets it now.
        descriptionHtml: src.descriptionHtml ?? renderMarkdownOrText(src.descriptionMd),
        slug: '',
        status: 'draft',
        validThrough: validThrough.getTime() > minValid ? validThrough : validThroughToDate(defaultValidThrough(now)),
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      },
      jobSlugBase(src.title, src.city, src.state),
    );
    if (creds.length) await tx.insert(jobCredentials).values(creds.map((c) => ({ jobId: copy.id, credentialCode: c.credentialCode })));
    // Each question as it is, under the copy (with a new id: answers stay with the original's questions).
    if (questions.length) await tx.insert(screeningQuestions).values(questions.map(({ id: _questionId, jobId: _jobId, ...q }) => ({ ...q, jobId: copy.id })));
    await enqueueSearchSync(tx, [copy.id]);
    await jobAudit(tx, actor, copy.id, 'job.duplicated', now, { from: jobId });
    return change(copy);
  });
}

// ---------------------------------------------------------------- reads inside the organization

export type DisplayStatus = 'draft' | 'published' | 'expired' | 'closed';

export function displayStatus(j: Pick<JobRow, 'status' | 'validThrough' | 'expiredAt'>, now = new Date()): DisplayStatus {
  if (j.status === 'published' && (j.expiredAt || j.validThrough.getTime() <= now.getTime())) return 'expired';
  return j.status;
}

export interface OrgJobSummary {
  id: string;
  slug: string;
  title: string;
  city: string;
  state: string;
  status: DisplayStatus;
  postedAt: Date | null;
  validThrough: Date;
  updatedAt: Date;
  viewCount: number;
  applicants: number;
  newApplicants: number;
  /** Open, and closes within EXPIRING_SOON_DAYS. */
  expiringSoon: boolean;
  daysLeft: number | null;
}

/** The columns of an OrgJobSummary (the dashboard's list and its pages select these). */
export const orgJobColumns = {
  id: jobs.id,
  slug: jobs.slug,
  title: jobs.title,
  city: jobs.city,
  state: jobs.state,
  status: jobs.status,
  postedAt: jobs.postedAt,
  validThrough: jobs.validThrough,
  expiredAt: jobs.expiredAt,
  updatedAt: jobs.updatedAt,
  viewCount: jobs.viewCount,
  // Aliased and qualified by hand: drizzle leaves columns unqualified in single-table selects.
  applicants: sql<number>`(select count(*)::int from ${applications} a where a.job_id = ${jobs}.id and a.stage <> 'withdrawn')`,
  newApplicants: sql<number>`(select count(*)::int from ${applications} a where a.job_id = ${jobs}.id and a.stage = 'applied')`,
};

type OrgJobRow = Pick<
  OrgJobSummary,
  'id' | 'slug' | 'title' | 'city' | 'state' | 'postedAt' | 'validThrough' | 'updatedAt' | 'viewCount' | 'applicants' | 'newApplicants'
> &
  Pick<JobRow, 'status' | 'expiredAt'>;

export function toOrgJobSummary(j: OrgJobRow, now: Date): OrgJobSummary {
  const status = displayStatus(j, now);
  const msLeft = j.validThrough.getTime() - now.getTime();
  return {
    id: j.id,
    slug: j.slug,
    title: j.title,
    city: j.city,
    state: j.state,
    status,
    postedAt: j.postedAt,
    validThrough: j.validThrough,
    updatedAt: j.updatedAt,
    viewCount: j.viewCount,
    applicants: Number(j.applicants),
    newApplicants: Number(j.newApplicants),
    expiringSoon: status === 'published' && msLeft <= EXPIRING_SOON_DAYS * DAY_MS,
    daysLeft: status === 'published' ? Math.max(0, Math.ceil(msLeft / DAY_MS)) : null,
  };
}

/** The dashboard's list: every posting of the organization, drafts included, with applicant counts and views. */
export async function listOrgJobs(db: Db, orgId: string, now = new Date()): Promise<OrgJobSummary[]> {
  const list = await db
    .select(orgJobColumns)
    .from(jobs)
    .where(eq(jobs.orgId, orgId))
    .orderBy(sql`case ${jobs.status} when 'published' then 0 when 'draft' then 1 else 2 end`, desc(jobs.updatedAt));
  return list.map((j) => toOrgJobSummary(j, now));
}

export interface OrgJob {
  job: JobRow;
  credentials: string[];
  questions: (typeof screeningQuestions.$inferSelect)[];
  status: DisplayStatus;
}

/** One posting of the organization (drafts included); null for a missing id and for another organization's job alike. */
export async function getOrgJob(db: Db, orgId: string, jobId: string, now = new Date()): Promise<OrgJob | null> {
  if (!/^[0-9a-f-]{36}$/i.test(jobId)) return null;
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.orgId, orgId)));
  if (!job) return null;
  const [creds, questions] = await Promise.all([
    db.select({ code: jobCredentials.credentialCode }).from(jobCredentials).where(eq(jobCredentials.jobId, jobId)).orderBy(asc(jobCredentials.credentialCode)),
    db.select().from(screeningQuestions).where(eq(screeningQuestions.jobId, jobId)).orderBy(asc(screeningQuestions.position)),
  ]);
  return { job, credentials: creds.map((c) => c.code), questions, status: displayStatus(job, now) };
}

/** The form's values for an existing posting (edit page). */
export function jobToInput(j: OrgJob): JobInput {
  return {
    title: j.job.title,
    role: j.job.role,
    programType: j.job.programType,
    setting: j.job.setting,
    schedule: j.job.schedule,
    track: j.job.track,
    employmentType: j.job.employmentType,
    payPeriod: j.job.payPeriod,
    payMin: j.job.payMin,
    payMax: j.job.payMax,
    city: j.job.city,
    state: j.job.state,
    zip: j.job.zip,
    descriptionMd: j.job.descriptionMd,
    populations: j.job.populations as JobInput['populations'],
    supervisionOffered: j.job.supervisionOffered,
    openings: j.job.openings,
    credentials: j.credentials,
    validThrough: dateToValidThrough(j.job.validThrough),
    questions: j.questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      options: q.options,
      required: q.required,
      knockoutAnswer: q.knockoutAnswer,
    })),
  };
}
