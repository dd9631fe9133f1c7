import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { optionalRef, ownedBy, owner, stamp, textList, timestamps } from './columns';
import { oneOf } from './checks';
import { applications } from './applications';
import { interviews } from './interviews';
import { jobs } from './jobs';
import { organizations, orgOwned } from './organizations';
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
  jobId: owner('job_id', () => jobs.id).primaryKey(),
  orgId: owner('org_id', () => organizations.id),
  /** The guide the kit was generated from (null when the role had none). */
  guideSlug: text('guide_slug'),
  ...timestamps,
});

export const kitCompetencies = pgTable(
  'kit_competencies',
  {
    ...ownedBy('jobId', 'job_id', () => interviewKits.jobId),
    position: smallint('position').notNull(),
    name: text('name').notNull(),
    /** What interviewers look for (the guide's summary, as candidates read it). */
    description: text('description').notNull().default(''),
    /** Suggested questions, in order. */
    questions: textList('questions'),
    createdAt: stamp('created_at'),
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
    ...orgOwned,
    interviewId: owner('interview_id', () => interviews.id),
    applicationId: owner('application_id', () => applications.id),
    authorId: owner('author_id', () => users.id),
    overall: text('overall', { enum: SCORECARD_RATINGS }).notNull(),
    notes: text('notes').notNull().default(''),
    submittedAt: stamp('submitted_at'),
  },
  (t) => [
    uniqueIndex('scorecards_interview_author_uq').on(t.interviewId, t.authorId),
    index('scorecards_application_idx').on(t.applicationId),
    oneOf('scorecards_overall', 'overall', SCORECARD_RATINGS),
  ],
);

/**
 * A scorecard's rating of one competency. The name is kept as it was when rated, so a
 * competency later removed from the kit still reads in the summary (competency_id is then null).
 */
export const scorecardRatings = pgTable(
  'scorecard_ratings',
  {
    scorecardId: owner('scorecard_id', () => scorecards.id),
    position: smallint('position').notNull(),
    competencyId: optionalRef('competency_id', () => kitCompetencies.id),
    competencyName: text('competency_name').notNull(),
    rating: text('rating', { enum: SCORECARD_RATINGS }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scorecardId, t.position] }),
    index('scorecard_ratings_competency_idx').on(t.competencyId),
    oneOf('scorecard_ratings_rating', 'rating', SCORECARD_RATINGS),
  ],
);

/** "Your scorecard is due" sent to this interviewer for this interview: the primary key makes a second one impossible. */
export const scorecardReminders = pgTable(
  'scorecard_reminders',
  {
    interviewId: owner('interview_id', () => interviews.id),
    userId: owner('user_id', () => users.id),
    sentAt: stamp('sent_at'),
  },
  (t) => [primaryKey({ columns: [t.interviewId, t.userId] })],
);
