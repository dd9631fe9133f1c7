-- Nobody interviews twice at once: while an interview is scheduled its interviewers' rows carry
-- busy_from/busy_until, and two such rows for the same person may not overlap. Half-open
-- ranges, so back-to-back interviews (10:00-11:00, 11:00-12:00) are allowed. drizzle-kit cannot
-- express an exclusion constraint, hence this hand-written migration; PGlite loads btree_gist
-- as an extension (db/client.ts) so the same constraint holds on the embedded database.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "interview_interviewers" ADD CONSTRAINT "interview_interviewers_no_overlap"
  EXCLUDE USING gist ("user_id" WITH =, tstzrange("busy_from", "busy_until", '[)') WITH &&)
  WHERE ("busy_from" IS NOT NULL);
