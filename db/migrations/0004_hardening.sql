CREATE TABLE "backoff_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"last_attempt_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "search_outbox" ADD COLUMN "error_kind" text;--> statement-breakpoint
ALTER TABLE "resumes" ADD COLUMN "text_status" text DEFAULT 'ok' NOT NULL;--> statement-breakpoint
ALTER TABLE "resumes" ADD COLUMN "text_failure" text;--> statement-breakpoint
CREATE INDEX "backoff_counters_last_idx" ON "backoff_counters" USING btree ("last_attempt_at");--> statement-breakpoint
ALTER TABLE "search_outbox" ADD CONSTRAINT "search_outbox_error_kind" CHECK ("search_outbox"."error_kind" in ('engine', 'document'));--> statement-breakpoint
ALTER TABLE "resumes" ADD CONSTRAINT "resumes_text_status" CHECK (text_status in ('ok', 'failed'));--> statement-breakpoint
ALTER TABLE "resumes" ADD CONSTRAINT "resumes_text_failure" CHECK ((text_status = 'failed') = (text_failure is not null) and (text_failure is null or text_failure in ('unreadable', 'timeout', 'too_large', 'busy')));