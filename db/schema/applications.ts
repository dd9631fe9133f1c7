import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { APPLICATION_STAGES } from '../../src/lib/domain/taxonomy';
import { TEXT_FAILURES, TEXT_STATUSES } from '../../src/lib/resumes/text-status';
import { APPLICATION_SOURCES, PIPELINE_STAGES } from '../../src/lib/domain/sources';
import { optionalRef, ownedBy, owner, serialId, stamp, textList, timestamps, tstz, version } from './columns';
import { oneOf, sqlList } from './checks';
import { jobs, screeningQuestions } from './jobs';
import { rejectionReasons, orgOwned } from './organizations';
import { tsvector } from './types';
import { users, userOwned } from './users';

export const candidateProfiles = pgTable(
  'candidate_profiles',
  {
    userId: owner('user_id', () => users.id).primaryKey(),
    phone: text('phone'),
    city: text('city'),
    state: text('state'),
    zip: text('zip'),
    headline: text('headline'),
    yearsExperience: smallint('years_experience'),
    modalities: textList('modalities'),
    populations: textList('populations'),
    desiredRoles: textList('desired_roles'),
    desiredSettings: textList('desired_settings'),
    desiredSchedules: textList('desired_schedules'),
    /**
     * Words recruiters search a profile by (name, headline, place, modalities,
     * populations, desired roles, credentials): written by the profile service
     * (src/lib/profile/search-text.ts) whenever the profile, the name or a license changes.
     */
    searchText: text('search_text').notNull().default(''),
    searchVector: tsvector('search_vector').generatedAlwaysAs(sql`to_tsvector('english', coalesce(search_text, ''))`),
    updatedAt: stamp('updated_at'),
  },
  (t) => [index('candidate_profiles_search_idx').using('gin', t.searchVector)],
);

export const resumes = pgTable(
  'resumes',
  {
    ...userOwned,
    /** Random file name inside the storage directory; never derived from user input. */
    storageKey: text('storage_key').notNull(),
    originalName: text('original_name').notNull(),
    mime: text('mime').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    /** Extracted text for recruiters' full-text search. */
    textContent: text('text_content').notNull().default(''),
    /** Whether the text could be read; when not, why (src/lib/resumes/text-status.ts). The file is kept either way. */
    textStatus: text('text_status', { enum: TEXT_STATUSES }).notNull().default('ok'),
    textFailure: text('text_failure', { enum: TEXT_FAILURES }),
    /** SHA-256 of the bytes: the same file uploaded twice (double submit, two tabs) is stored once per user. */
    contentHash: text('content_hash'),
    searchVector: tsvector('search_vector').generatedAlwaysAs(sql`to_tsvector('english', coalesce(text_content, ''))`),
    createdAt: stamp('created_at'),
  },
  (t) => [
    uniqueIndex('resumes_storage_key_uq').on(t.storageKey),
    index('resumes_user_idx').on(t.userId),
    uniqueIndex('resumes_user_hash_uq').on(t.userId, t.contentHash),
    index('resumes_search_idx').using('gin', t.searchVector),
    oneOf('resumes_text_status', 'text_status', TEXT_STATUSES),
    check(
      'resumes_text_failure',
      sql.raw(`(text_status = 'failed') = (text_failure is not null) and (text_failure is null or text_failure in (${sqlList(TEXT_FAILURES)}))`),
    ),
  ],
);

export const applications = pgTable(
  'applications',
  {
    ...ownedBy('jobId', 'job_id', () => jobs.id),
    /**
     * The candidate; null once the application is anonymized (account deleted, or the
     * organization's retention period passed): the row stays so the organization's counts
     * and reports stay true, with nothing left that points at a person (src/lib/retention/anonymize.ts).
     * `set null`, not cascade: deleting a user never deletes the organization's records.
     */
    candidateId: optionalRef('candidate_id', () => users.id),
    stage: text('stage', { enum: APPLICATION_STAGES }).notNull().default('applied'),
    /** Free text kept for every rejection: the reason's label (and any detail) at the time; rows from before reasons were structured have only this. */
    rejectionReason: text('rejection_reason'),
    /** The organization's structured reason (reports group by it); null for older rejections. */
    rejectionReasonId: optionalRef('rejection_reason_id', () => rejectionReasons.id),
    resumeId: optionalRef('resume_id', () => resumes.id),
    coverNote: text('cover_note'),
    knockoutFailed: boolean('knockout_failed').notNull().default(false),
    /** Where the candidate came from (src/lib/domain/sources.ts), recorded at apply time. */
    source: text('source', { enum: APPLICATION_SOURCES }).notNull().default('direct'),
    /** The furthest pipeline stage ever reached (a rejection keeps it): the funnel counts from this, not from the event log. */
    furthestStage: text('furthest_stage', { enum: PIPELINE_STAGES }).notNull().default('applied'),
    /** When the application entered its current stage: time-in-stage and the longest-waiting lists. */
    stageEnteredAt: stamp('stage_entered_at'),
    /** When the team first moved it out of Applied, and when it was hired: the speed report's rollups. */
    firstReviewedAt: tstz('first_reviewed_at'),
    hiredAt: tstz('hired_at'),
    /** Optimistic concurrency: every stage change must name the version it saw. */
    version: version(),
    /** When the application was anonymized (see candidateId); null while it belongs to a person. */
    anonymizedAt: tstz('anonymized_at'),
    ...timestamps,
  },
  (t) => [
    // One live application per (job, candidate); a withdrawn one stays in the history and the candidate may apply again.
    uniqueIndex('applications_job_candidate_uq').on(t.jobId, t.candidateId).where(sql`stage <> 'withdrawn'`),
    index('applications_candidate_idx').on(t.candidateId),
    index('applications_job_stage_idx').on(t.jobId, t.stage),
    index('applications_rejection_reason_idx').on(t.rejectionReasonId),
    // Reports: an organization's applications by job and date, and the oldest in each stage.
    index('applications_job_created_idx').on(t.jobId, t.createdAt),
    index('applications_stage_entered_idx').on(t.stage, t.stageEnteredAt),
    oneOf('applications_source', 'source', APPLICATION_SOURCES),
    oneOf('applications_furthest_stage', 'furthest_stage', PIPELINE_STAGES),
    oneOf('applications_stage', 'stage', APPLICATION_STAGES),
    check('applications_rejection_reason', sql`${t.stage} <> 'rejected' or ${t.rejectionReason} is not null`),
    // An application belongs to a person until it is anonymized, and never both.
    check('applications_candidate_or_anonymized', sql`(${t.candidateId} is null) = (${t.anonymizedAt} is not null)`),
  ],
);

export const applicationAnswers = pgTable(
  'application_answers',
  {
    applicationId: owner('application_id', () => applications.id),
    questionId: owner('question_id', () => screeningQuestions.id),
    answer: text('answer').notNull(),
    knockout: boolean('knockout').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.questionId] })],
);

/** The audit trail of an application: who did what, when. Append-only. */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: serialId(),
    applicationId: owner('application_id', () => applications.id),
    actorId: optionalRef('actor_id', () => users.id),
    kind: text('kind').notNull(),
    fromStage: text('from_stage'),
    toStage: text('to_stage'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: stamp('created_at'),
  },
  (t) => [index('application_events_app_idx').on(t.applicationId, t.id)],
);

export const applicationNotes = pgTable(
  'application_notes',
  {
    ...ownedBy('applicationId', 'application_id', () => applications.id),
    authorId: optionalRef('author_id', () => users.id),
    body: text('body').notNull(),
    createdAt: stamp('created_at'),
  },
  (t) => [index('application_notes_app_idx').on(t.applicationId)],
);

export const applicationRatings = pgTable(
  'application_ratings',
  {
    applicationId: owner('application_id', () => applications.id),
    authorId: owner('author_id', () => users.id),
    rating: smallint('rating').notNull(),
    updatedAt: stamp('updated_at'),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.authorId] }), check('application_ratings_range', sql`${t.rating} between 1 and 5`)],
);

/**
 * Voluntary EEO self-identification, stored apart from the application with no
 * candidate or application id so the hiring team can only ever see aggregates.
 */
export const eeoResponses = pgTable(
  'eeo_responses',
  {
    ...orgOwned,
    jobId: owner('job_id', () => jobs.id),
    answers: jsonb('answers').$type<Record<string, string>>().notNull(),
    /**
     * HMAC-SHA256 of the application id under a server secret (src/lib/applications/report-rollups.ts): lets the
     * server keep furthest_stage current when the application moves, while nothing the team can reach
     * turns it back into an application. Null on rows from before stage tracking.
     */
    applicationKey: text('application_key'),
    /** The furthest pipeline stage the application reached; null when unknown (rows from before stage tracking). */
    furthestStage: text('furthest_stage', { enum: PIPELINE_STAGES }),
    /** Knockout questions this application's answers tripped, and those it answered (the denominator). */
    knockedOutBy: uuid('knocked_out_by').array().notNull().default(sql`'{}'::uuid[]`),
    knockoutAsked: uuid('knockout_asked').array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: stamp('created_at'),
  },
  (t) => [
    index('eeo_responses_job_idx').on(t.jobId),
    index('eeo_responses_org_idx').on(t.orgId, t.createdAt),
    uniqueIndex('eeo_responses_application_key_uq').on(t.applicationKey),
  ],
);

export const savedSearches = pgTable(
  'saved_searches',
  {
    ...userOwned,
    name: text('name').notNull(),
    /** The /jobs query string, normalized. */
    query: text('query').notNull(),
    frequency: text('frequency', { enum: ['daily', 'weekly'] }).notNull(),
    lastSentAt: tstz('last_sent_at'),
    nextDueAt: stamp('next_due_at'),
    unsubscribedAt: tstz('unsubscribed_at'),
    createdAt: stamp('created_at'),
  },
  (t) => [
    index('saved_searches_user_idx').on(t.userId),
    index('saved_searches_due_idx').on(t.nextDueAt),
    oneOf('saved_searches_frequency', t.frequency, ['daily', 'weekly']),
  ],
);

/** Which jobs a saved search has already sent: a digest never repeats one. */
export const savedSearchDeliveries = pgTable(
  'saved_search_deliveries',
  {
    savedSearchId: owner('saved_search_id', () => savedSearches.id),
    jobId: owner('job_id', () => jobs.id),
    sentAt: stamp('sent_at'),
  },
  (t) => [primaryKey({ columns: [t.savedSearchId, t.jobId] })],
);

/**
 * Each finished stay of an application in a stage (entered → left), written by the move that ended it:
 * the speed report's median and 90th percentile read these rows instead of pairing events up with a
 * window over the whole event log. applied_at is the application's date, which the report's period filters on.
 */
export const applicationStageStays = pgTable(
  'application_stage_stays',
  {
    id: serialId(),
    applicationId: owner('application_id', () => applications.id),
    jobId: owner('job_id', () => jobs.id),
    stage: text('stage', { enum: APPLICATION_STAGES }).notNull(),
    appliedAt: tstz('applied_at').notNull(),
    enteredAt: tstz('entered_at').notNull(),
    leftAt: tstz('left_at').notNull(),
  },
  (t) => [index('application_stage_stays_job_applied_idx').on(t.jobId, t.appliedAt), index('application_stage_stays_app_idx').on(t.applicationId)],
);
