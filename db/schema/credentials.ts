import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, uniqueIndex, boolean } from 'drizzle-orm/pg-core';
import { COMPACTS, CREDENTIAL_CLASSES, TIERS } from '../../src/lib/domain/taxonomy';
import { optionalRef, ownedBy, owner, stamp } from './columns';
import { oneOf, sqlList } from './checks';
import { organizations } from './organizations';
import { users, userOwned } from './users';

/** The credential taxonomy (seeded from src/lib/domain/taxonomy.ts). */
export const credentials = pgTable(
  'credentials',
  {
    code: text('code').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['license', 'certification'] }).notNull(),
    class: text('class', { enum: CREDENTIAL_CLASSES }).notNull(),
    tier: text('tier', { enum: TIERS }).notNull(),
    compact: text('compact', { enum: COMPACTS }),
    scope: text('scope', { enum: ['state', 'national'] }).notNull(),
  },
  (t) => [
    uniqueIndex('credentials_slug_uq').on(t.slug),
    oneOf('credentials_kind', t.kind, ['license', 'certification']),
    oneOf('credentials_class', 'class', CREDENTIAL_CLASSES),
    oneOf('credentials_tier', 'tier', TIERS),
    check('credentials_compact', sql.raw(`compact is null or compact in (${sqlList(COMPACTS)})`)),
    oneOf('credentials_scope', t.scope, ['state', 'national']),
  ],
);

/** A credential a user holds, in a state (null for national certifications). */
export const licenses = pgTable(
  'licenses',
  {
    ...userOwned,
    credentialCode: text('credential_code')
      .notNull()
      .references(() => credentials.code),
    state: text('state'),
    number: text('number').notNull(),
    expiresOn: date('expires_on'),
    /** Multistate (compact) license or privilege, where the credential allows it. */
    compact: boolean('compact').notNull().default(false),
    createdAt: stamp('created_at'),
  },
  (t) => [
    index('licenses_user_idx').on(t.userId),
    index('licenses_cred_state_idx').on(t.credentialCode, t.state),
    index('licenses_expires_idx').on(t.expiresOn),
    uniqueIndex('licenses_user_cred_state_uq').on(t.userId, t.credentialCode, t.state),
    check('licenses_state_shape', sql`${t.state} is null or ${t.state} ~ '^[A-Z]{2}$'`),
  ],
);

/** A license checked against the state board by one organization; visible to that organization only. */
export const licenseVerifications = pgTable(
  'license_verifications',
  {
    ...ownedBy('licenseId', 'license_id', () => licenses.id),
    orgId: owner('org_id', () => organizations.id),
    verifiedBy: optionalRef('verified_by', () => users.id),
    verifiedAt: stamp('verified_at'),
    lookupUrl: text('lookup_url').notNull(),
  },
  (t) => [uniqueIndex('license_verifications_uq').on(t.licenseId, t.orgId), index('license_verifications_org_idx').on(t.orgId)],
);
