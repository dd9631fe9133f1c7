import { sql } from 'drizzle-orm';
import { bigint, boolean, check, doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { EMPLOYMENT_TYPES, JOB_STATUSES, PAY_PERIODS, PROGRAM_TYPES, ROLE_SLUGS, SCHEDULES, SETTINGS, TRACKS } from '../../src/lib/domain/taxonomy';
import { optionalRef, ownedBy, owner, retryState, serialId, stamp, textList, timestamps, tstz, version } from './columns';
import { oneOf } from './checks';
import { credentials } from './credentials';
import { orgOwned } from './organizations';
import { tsvector } from './types';
import { users } from './users';

export const jobs = pgTable(
  'jobs',
  {
    ...orgOwned,
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    role: text('role', { enum: ROLE_SLUGS }).notNull(),
    programType: text('program_type', { enum: PROGRAM_TYPES }).notNull(),
    setting: text('setting', { enum: SETTINGS }).notNull(),
    schedule: text('schedule', { enum: SCHEDULES }).notNull(),
    track: text('track', { enum: TRACKS }).notNull(),
    employmentType: text('employment_type', { enum: EMPLOYMENT_TYPES }).notNull(),
    payMin: integer('pay_min').notNull(),
    payMax: integer('pay_max').notNull(),
    payPeriod: text('pay_period', { enum: PAY_PERIODS }).notNull(),
    /** Annualized minimum (hourly × 2080) so "pay at least" compares like with like. */
    payMinAnnual: integer('pay_min_annual').generatedAlwaysAs(sql`case when pay_period = 'hour' then pay_min * 2080 else pay_min end`),
    payMaxAnnual: integer('pay_max_annual').generatedAlwaysAs(sql`case when pay_period = 'hour' then pay_max * 2080 else pay_max end`),
    city: text('city').notNull(),
    state: text('state').notNull(),
    zip: text('zip').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    descriptionMd: text('description_md').notNull(),
    /** description_md as sanitized HTML, rendered once when the posting is saved (the job page shows it as is); null on rows saved before it existed. */
    descriptionHtml: text('description_html'),
    populations: textList('populations'),
    supervisionOffered: boolean('supervision_offered').notNull().default(false),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('draft'),
    validThrough: tstz('valid_through').notNull(),
    /** First publication; the "posted" date candidates see. */
    postedAt: tstz('posted_at'),
    closedAt: tstz('closed_at'),
    /** Set by the expiry sweep when valid_through passed, with the outbox row that removes it from search. */
    expiredAt: tstz('expired_at'),
    /** Words that live outside this row (credential names, organization) for the full-text fallback; written by the job service. */
    searchExtra: text('search_extra').notNull().default(''),
    /**
     * The full-text fallback's words. Of the description it takes the opening 500 characters, about
     * the words the search engine's excerpt (`search_excerpt`) holds, so a search finds the same
     * postings whichever answers it; stemming whole descriptions was most of what inserting a job
     * cost PostgreSQL (measured: 0.3 ms of 0.33 ms a row when seeding).
     */
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(search_extra, '')), 'B') || setweight(to_tsvector('english', coalesce(city, '') || ' ' || coalesce(state, '')), 'C') || setweight(to_tsvector('english', left(coalesce(description_md, ''), 500)), 'D')`,
    ),
    /**
     * The description as the search engine indexes it: plain words from the opening 1,000 characters,
     * at most 500 of them (`job_search_excerpt`, migration 0016). Kept by PostgreSQL on every write
     * so the reindex reads a short column from the row itself: making it while reading was most of
     * the reindex's own CPU, in this process and in PostgreSQL, which had to fetch each whole
     * description from TOAST storage (measured at 100k: 5.6 CPU-seconds a rebuild, about 3 with this column).
     */
    searchExcerpt: text('search_excerpt').generatedAlwaysAs(sql`job_search_excerpt(description_md)`),
    viewCount: integer('view_count').notNull().default(0),
    /** How many people the posting hires; when hires fill them the team is asked whether to close it. */
    openings: integer('openings').notNull().default(1),
    /** Optimistic concurrency: an edit names the version it started from; every edit and status change adds one. */
    version: version(),
    createdBy: optionalRef('created_by', () => users.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('jobs_slug_uq').on(t.slug),
    index('jobs_org_status_idx').on(t.orgId, t.status),
    index('jobs_open_posted_idx').on(t.status, t.postedAt),
    index('jobs_role_idx').on(t.role),
    index('jobs_program_idx').on(t.programType),
    index('jobs_state_idx').on(t.state),
    index('jobs_setting_idx').on(t.setting),
    index('jobs_schedule_idx').on(t.schedule),
    index('jobs_employment_idx').on(t.employmentType),
    index('jobs_pay_idx').on(t.payMinAnnual),
    index('jobs_valid_through_idx').on(t.validThrough),
    index('jobs_populations_idx').using('gin', t.populations),
    index('jobs_search_idx').using('gin', t.searchVector),
    oneOf('jobs_role', 'role', ROLE_SLUGS),
    oneOf('jobs_program', 'program_type', PROGRAM_TYPES),
    oneOf('jobs_setting', 'setting', SETTINGS),
    oneOf('jobs_schedule', 'schedule', SCHEDULES),
    oneOf('jobs_track', 'track', TRACKS),
    oneOf('jobs_employment', 'employment_type', EMPLOYMENT_TYPES),
    oneOf('jobs_pay_period', 'pay_period', PAY_PERIODS),
    oneOf('jobs_status', 'status', JOB_STATUSES),
    check('jobs_openings', sql`${t.openings} between 1 and 500`),
    check('jobs_pay_range', sql`${t.payMin} > 0 and ${t.payMax} >= ${t.payMin}`),
    check('jobs_state_shape', sql`${t.state} ~ '^[A-Z]{2}$'`),
    check('jobs_zip_shape', sql`${t.zip} ~ '^[0-9]{5}$'`),
    check('jobs_coords', sql`${t.lat} between -90 and 90 and ${t.lng} between -180 and 180`),
    check('jobs_published_has_posted_at', sql`${t.status} = 'draft' or ${t.postedAt} is not null`),
  ],
);

export const jobCredentials = pgTable(
  'job_credentials',
  {
    jobId: owner('job_id', () => jobs.id),
    credentialCode: text('credential_code')
      .notNull()
      .references(() => credentials.code),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.credentialCode] }), index('job_credentials_code_idx').on(t.credentialCode, t.jobId)],
);

export const SCREENING_KINDS = ['yes_no', 'single_choice', 'short_text'] as const;

export const screeningQuestions = pgTable(
  'screening_questions',
  {
    ...ownedBy('jobId', 'job_id', () => jobs.id),
    position: integer('position').notNull(),
    kind: text('kind', { enum: SCREENING_KINDS }).notNull(),
    prompt: text('prompt').notNull(),
    options: textList('options'),
    required: boolean('required').notNull().default(true),
    /** The answer that disqualifies (knockout); null when the question is informational. */
    knockoutAnswer: text('knockout_answer'),
  },
  (t) => [uniqueIndex('screening_questions_position_uq').on(t.jobId, t.position), oneOf('screening_questions_kind', 'kind', SCREENING_KINDS)],
);

/**
 * Transactional outbox for the search index: every change to a job that search
 * must see writes a row here in the same transaction as the change. The worker
 * deletes rows once Meilisearch has applied them.
 */
export const FRESH_STATES = ['taken', 'live', 'skipped'] as const;

export const searchOutbox = pgTable(
  'search_outbox',
  {
    id: serialId(),
    jobId: uuid('job_id').notNull(),
    op: text('op', { enum: ['upsert', 'delete'] }).notNull(),
    ...retryState,
    /**
     * Why the last attempt failed, which decides when it is tried again: 'engine' (Meilisearch down or
     * failing; retried as soon as it answers again) or 'document' (Meilisearch refused what was sent;
     * keeps its backoff). Null while leased or never failed.
     */
    errorKind: text('error_kind', { enum: ['engine', 'document'] }),
    /**
     * The fresh index's part in this row (src/lib/search/fresh.ts): null not yet looked at, 'taken' being
     * written there, 'live' searchable through the fresh index (the main index follows after a hold),
     * 'skipped' left to the main index alone (the fresh index was full, failed, or the row was old).
     */
    freshState: text('fresh_state', { enum: FRESH_STATES }),
    createdAt: stamp('created_at'),
  },
  (t) => [
    index('search_outbox_available_idx').on(t.availableAt, t.id),
    index('search_outbox_fresh_idx').on(t.id).where(sql`fresh_state is null`),
    oneOf('search_outbox_op', t.op, ['upsert', 'delete']),
    oneOf('search_outbox_error_kind', t.errorKind, ['engine', 'document']),
    oneOf('search_outbox_fresh_state', t.freshState, FRESH_STATES),
  ],
);

/**
 * Jobs whose newest state search shows from the small fresh index (or, for a tombstone, not at all)
 * until the main index has it: every search excludes these ids from the main index and reads the
 * live ones from the fresh index, so totals and facets stay exact. `rev` is the search_outbox id the
 * state came from; a main-index write that covers it removes the row.
 */
export const searchFresh = pgTable('search_fresh', {
  jobId: uuid('job_id').primaryKey(),
  rev: bigint('rev', { mode: 'number' }).notNull(),
  /** The job left search (closed, expired, drafted, deleted): hidden from the main index, absent from the fresh one. */
  tombstone: boolean('tombstone').notNull(),
  createdAt: stamp('created_at'),
});
