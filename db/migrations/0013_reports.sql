CREATE TABLE "application_stage_stays" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"applied_at" timestamp with time zone NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_daily_stats" (
	"job_id" uuid NOT NULL,
	"day" date NOT NULL,
	"views" integer DEFAULT 0 NOT NULL,
	"apply_starts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "job_daily_stats_job_id_day_pk" PRIMARY KEY("job_id","day")
);
--> statement-breakpoint
CREATE TABLE "visitor_marks" (
	"hash" text PRIMARY KEY NOT NULL,
	"day" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visitor_salts" (
	"day" date PRIMARY KEY NOT NULL,
	"salt" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "source" text DEFAULT 'direct' NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "furthest_stage" text DEFAULT 'applied' NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "stage_entered_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "first_reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "hired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "eeo_responses" ADD COLUMN "application_key" text;--> statement-breakpoint
ALTER TABLE "eeo_responses" ADD COLUMN "furthest_stage" text;--> statement-breakpoint
ALTER TABLE "eeo_responses" ADD COLUMN "knocked_out_by" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "eeo_responses" ADD COLUMN "knockout_asked" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "application_stage_stays" ADD CONSTRAINT "application_stage_stays_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_stage_stays" ADD CONSTRAINT "application_stage_stays_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_daily_stats" ADD CONSTRAINT "job_daily_stats_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_stage_stays_job_applied_idx" ON "application_stage_stays" USING btree ("job_id","applied_at");--> statement-breakpoint
CREATE INDEX "application_stage_stays_app_idx" ON "application_stage_stays" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "job_daily_stats_day_idx" ON "job_daily_stats" USING btree ("day");--> statement-breakpoint
CREATE INDEX "visitor_marks_day_idx" ON "visitor_marks" USING btree ("day");--> statement-breakpoint
CREATE INDEX "applications_job_created_idx" ON "applications" USING btree ("job_id","created_at");--> statement-breakpoint
CREATE INDEX "applications_stage_entered_idx" ON "applications" USING btree ("stage","stage_entered_at");--> statement-breakpoint
CREATE INDEX "eeo_responses_org_idx" ON "eeo_responses" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "eeo_responses_application_key_uq" ON "eeo_responses" USING btree ("application_key");--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_source" CHECK (source in ('search', 'alert', 'rss', 'feed', 'organization', 'direct', 'other'));--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_furthest_stage" CHECK (furthest_stage in ('applied', 'screening', 'interview', 'offer', 'hired'));