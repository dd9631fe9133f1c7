DROP INDEX "applications_job_candidate_uq";--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "description_html" text;--> statement-breakpoint
CREATE UNIQUE INDEX "applications_job_candidate_uq" ON "applications" USING btree ("job_id","candidate_id") WHERE stage <> 'withdrawn';