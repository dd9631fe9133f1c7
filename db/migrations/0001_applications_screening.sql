CREATE TABLE "license_qualify_clauses" (
	"rule_version" text NOT NULL,
	"credential_code" text NOT NULL,
	"state" text NOT NULL,
	"multistate" boolean NOT NULL,
	"ord" smallint NOT NULL,
	"credentials" text[] NOT NULL,
	"states" text[],
	"telehealth_only" boolean NOT NULL,
	CONSTRAINT "license_qualify_clauses_rule_version_credential_code_state_multistate_ord_pk" PRIMARY KEY("rule_version","credential_code","state","multistate","ord")
);
--> statement-breakpoint
ALTER TABLE "candidate_profiles" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "candidate_profiles" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', coalesce(search_text, ''))) STORED;--> statement-breakpoint
ALTER TABLE "resumes" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "resumes" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', coalesce(text_content, ''))) STORED;--> statement-breakpoint
CREATE INDEX "candidate_profiles_search_idx" ON "candidate_profiles" USING gin ("search_vector");--> statement-breakpoint
CREATE UNIQUE INDEX "resumes_user_hash_uq" ON "resumes" USING btree ("user_id","content_hash");--> statement-breakpoint
CREATE INDEX "resumes_search_idx" ON "resumes" USING gin ("search_vector");