import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { applications } from './applications';
import { interviews } from './interviews';
import { jobs } from './jobs';
import { organizations } from './organizations';
import { sqlList } from './types';
import { users } from './users';

/** The scorecard scale, for each competency and for the overall recommendation. */
export const SCORECARD_RATINGS = ['strong_no', 'no', 'yes', 'strong_yes'] as const;
export type ScorecardRating = (typeof SCORECARD_RATINGS)[number];

/**
 * A job's interview kit: made from the site's interview-prep guide for the job's role the
 * first time anyone needs it (guide_slug says which), then edited per job. The competencies
 * are rows of their own so a rating keeps pointing at its competency through a rename.
 */
export const interviewKits = pgTable('interview_kits', {
  jobId: uuid('job_id')
    .primaryKey()
    .references(() => jobs.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  /** The guide the kit was generated from (null when the role had none). */
  guideSlug: text('guide_slug'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const kitCompetencies = pgTable(
  'kit_competencies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => interviewKits.jobId, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    name: text('name').notNull(),
    /** What interviewers look for (the guide's summary, as candidates read it). */
    description: text('description').notNull().default(''),
    /** Suggested questions, in order. */
    questions: text('questions').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kit_competencies_job_idx').on(t.jobId, t.position), uniqueIndex('kit_competencies_job_name_uq').on(t.jobId, sql`lower(${t.name})`)],
);

/**
 * One interviewer's feedback on one interview, final once submitted (a scorecard written
 * after reading the others' would not be independent). org_id and application_id are
 * copied from the interview so every read is scoped without a join.
 */
export const scorecards = pgTable(
  'scorecards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    interviewId: uuid('interview_id')
      .notNull()
      .references(() => interviews.id, { onDelete: 'cascade' }),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    overall: text('overall', { enum: SCORECARD_RATINGS }).notNull(),
    notes: text('notes').notNull().default(''),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('scorecards_interview_author_uq').on(t.interviewId, t.authorId),
    index('scorecards_application_idx').on(t.applicationId),
    check('scorecards_overall', sql.raw(`overall in (${sqlList(SCORECARD_RATINGS)})`)),
  ],
);

/**
 * A scorecard's rating of one competency. The name is kept as it was when rated, so a
 * competency later removed from the kit still reads in the summary (competency_id is then null).
 */
export const scorecardRatings = pgTable(
  'scorecard_ratings',
  {
    scorecardId: uuid('scorecard_id')
      .notNull()
      .references(() => scorecards.id, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    competencyId: uuid('competency_id').references(() => kitCompetencies.id, { onDelete: 'set null' }),
    competencyName: text('competency_name').notNull(),
    rating: text('rating', { enum: SCORECARD_RATINGS }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scorecardId, t.position] }),
    index('scorecard_ratings_competency_idx').on(t.competencyId),
    check('scorecard_ratings_rating', sql.raw(`rating in (${sqlList(SCORECARD_RATINGS)})`)),
  ],
);

/** "Your scorecard is due" sent to this interviewer for this interview: the primary key makes a second one impossible. */
export const scorecardReminders = pgTable(
  'scorecard_reminders',
  {
    interviewId: uuid('interview_id')
      .notNull()
      .references(() => interviews.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.interviewId, t.userId] })],
);
