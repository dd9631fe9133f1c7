CREATE TABLE "license_qualifications" (
	"rule_version" text NOT NULL,
	"accepted_code" text NOT NULL,
	"job_state" text NOT NULL,
	"telehealth_only" boolean NOT NULL,
	"kind" bigint NOT NULL,
	"credential_code" text NOT NULL,
	"state" text NOT NULL,
	"multistate" boolean NOT NULL,
	CONSTRAINT "license_qualifications_pk" PRIMARY KEY("rule_version","accepted_code","job_state","kind","telehealth_only")
);
--> statement-breakpoint
DROP TABLE "license_qualify_clauses" CASCADE;