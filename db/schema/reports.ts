import { date, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { owner } from './columns';
import { jobs } from './jobs';

/**
 * Job-page views and apply starts per job per day: the funnel's first two steps. Written in
 * batches by the view counter (src/lib/jobs/views.ts), one count per visitor per day, bots left out.
 * Who viewed is never stored (see visitor_marks).
 */
export const jobDailyStats = pgTable(
  'job_daily_stats',
  {
    jobId: owner('job_id', () => jobs.id),
    day: date('day').notNull(),
    views: integer('views').notNull().default(0),
    applyStarts: integer('apply_starts').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.day] }), index('job_daily_stats_day_idx').on(t.day)],
);

/**
 * Today's random salt for visitor hashes, shared by every web process through the database. Deleted
 * once its day is over: without it yesterday's hashes cannot be recomputed from an address.
 */
export const visitorSalts = pgTable('visitor_salts', {
  day: date('day').primaryKey(),
  salt: text('salt').notNull(),
});

/**
 * "This visitor was already counted today for this job and kind": SHA-256 of (today's salt, client
 * address, user agent, job, kind), nothing else. Only the current day's marks are kept (older ones are
 * deleted with their salt), so they serve only to count a visitor once a day.
 */
export const visitorMarks = pgTable(
  'visitor_marks',
  {
    hash: text('hash').primaryKey(),
    day: date('day').notNull(),
  },
  (t) => [index('visitor_marks_day_idx').on(t.day)],
);
