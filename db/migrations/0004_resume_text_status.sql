ALTER TABLE "resumes" ADD COLUMN "text_status" text DEFAULT 'ok' NOT NULL;--> statement-breakpoint
ALTER TABLE "resumes" ADD COLUMN "text_failure" text;--> statement-breakpoint
ALTER TABLE "resumes" ADD CONSTRAINT "resumes_text_status" CHECK (text_status in ('ok', 'failed'));--> statement-breakpoint
ALTER TABLE "resumes" ADD CONSTRAINT "resumes_text_failure" CHECK ((text_status = 'failed') = (text_failure is not null) and (text_failure is null or text_failure in ('unreadable', 'timeout', 'too_large', 'busy')));