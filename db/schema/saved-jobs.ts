import { index, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import { owner, stamp } from './columns';
import { jobs } from './jobs';
import { users } from './users';

/** A job a candidate kept for later (the heart on cards and job pages); one row per user and job. */
export const savedJobs = pgTable(
  'saved_jobs',
  {
    userId: owner('user_id', () => users.id),
    jobId: owner('job_id', () => jobs.id),
    createdAt: stamp('created_at'),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.jobId] }),
    index('saved_jobs_user_created_idx').on(t.userId, t.createdAt),
    index('saved_jobs_job_idx').on(t.jobId),
  ],
);
