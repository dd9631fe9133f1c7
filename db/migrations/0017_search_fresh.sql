CREATE TABLE "search_fresh" (
	"job_id" uuid PRIMARY KEY NOT NULL,
	"rev" bigint NOT NULL,
	"tombstone" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "search_outbox" ADD COLUMN "fresh_state" text;--> statement-breakpoint
CREATE INDEX "search_outbox_fresh_idx" ON "search_outbox" USING btree ("id") WHERE fresh_state is null;--> statement-breakpoint
ALTER TABLE "search_outbox" ADD CONSTRAINT "search_outbox_fresh_state" CHECK ("search_outbox"."fresh_state" in ('taken', 'live', 'skipped'));