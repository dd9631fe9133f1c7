import { bigint, boolean, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * The eligibility rule (src/lib/licensure/eligibility.ts), tabulated for SQL:
 * one row per "a license of this kind counts for a job that accepts this
 * credential in this state". Every row comes from qualifyClauses() applied to
 * each kind of license a person can hold (credential × issuing state or none ×
 * multistate flag), flattened per accepted credential and job state
 * ('*' = any state, for national certifications). A license kind is also
 * numbered (`kind`: an exact arithmetic encoding of the three, computed the
 * same way in TypeScript and SQL, see src/lib/screening/qualify-table.ts) so
 * recruiter screening's "eligible in the job's state" is integer matching over
 * 100k applications instead of rule evaluation per row. Keyed by a hash of the
 * rule's output (rule_version) and rebuilt when it changes. Expiry is not in
 * here: queries apply it with the rule's own comparison (a license expired
 * before today never counts).
 */
export const licenseQualifications = pgTable(
  'license_qualifications',
  {
    ruleVersion: text('rule_version').notNull(),
    /** The job side: an accepted credential, the job's state ('*': any), telehealth jobs only. */
    acceptedCode: text('accepted_code').notNull(),
    jobState: text('job_state').notNull(),
    telehealthOnly: boolean('telehealth_only').notNull(),
    /** The license side, numbered: credential, issuing state ('' for none), multistate flag. */
    kind: bigint('kind', { mode: 'number' }).notNull(),
    credentialCode: text('credential_code').notNull(),
    state: text('state').notNull(),
    multistate: boolean('multistate').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'license_qualifications_pk',
      columns: [t.ruleVersion, t.acceptedCode, t.jobState, t.kind, t.telehealthOnly],
    }),
  ],
);
