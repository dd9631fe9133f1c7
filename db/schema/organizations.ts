import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { MEMBER_ROLES } from '../../src/lib/domain/taxonomy';
import { id, optionalRef, ownedBy, owner, stamp, tstz } from './columns';
import { oneOf } from './checks';
import { users } from './users';

export const organizations = pgTable(
  'organizations',
  {
    id: id(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    website: text('website'),
    description: text('description'),
    /** Where the organization runs programs: [{ city, state }]. */
    locations: jsonb('locations').$type<{ city: string; state: string }[]>().notNull().default([]),
    logoPath: text('logo_path'),
    /** How long applications that ended (rejected, withdrawn) keep the candidate's data before they are anonymized. */
    retentionMonths: smallint('retention_months').notNull().default(24),
    /** When the daily retention job last handled this organization (claimed per day, so it runs once with N instances). */
    retentionRunAt: tstz('retention_run_at'),
    /** Offers wait for an admin's approval before they are sent. */
    offerApprovalRequired: boolean('offer_approval_required').notNull().default(false),
    createdAt: stamp('created_at'),
  },
  (t) => [uniqueIndex('organizations_slug_uq').on(t.slug), check('organizations_retention_months', sql`${t.retentionMonths} between 1 and 120`)],
);

/** Columns of a row an organization owns: its own id, and the organization every query scopes it by (deleting the organization deletes it). */
export const orgOwned = ownedBy('orgId', 'org_id', () => organizations.id);

export const members = pgTable(
  'members',
  {
    orgId: owner('org_id', () => organizations.id),
    userId: owner('user_id', () => users.id),
    role: text('role', { enum: MEMBER_ROLES }).notNull(),
    createdAt: stamp('created_at'),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index('members_user_idx').on(t.userId), oneOf('members_role', 'role', MEMBER_ROLES)],
);

export const invitations = pgTable(
  'invitations',
  {
    ...orgOwned,
    email: text('email').notNull(),
    role: text('role', { enum: MEMBER_ROLES }).notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: optionalRef('invited_by', () => users.id),
    expiresAt: tstz('expires_at').notNull(),
    acceptedAt: tstz('accepted_at'),
    revokedAt: tstz('revoked_at'),
    createdAt: stamp('created_at'),
  },
  (t) => [uniqueIndex('invitations_token_uq').on(t.tokenHash), index('invitations_org_idx').on(t.orgId), oneOf('invitations_role', 'role', MEMBER_ROLES)],
);

/** Who did what to an organization's objects (jobs, members, settings). */
export const auditLog = pgTable(
  'audit_log',
  {
    ...orgOwned,
    actorId: optionalRef('actor_id', () => users.id),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: stamp('created_at'),
  },
  (t) => [index('audit_log_org_idx').on(t.orgId, t.createdAt), index('audit_log_entity_idx').on(t.entity, t.entityId)],
);

/** Per-organization wording of the emails candidates get when their stage changes. */
export const emailTemplates = pgTable(
  'email_templates',
  {
    orgId: owner('org_id', () => organizations.id),
    stage: text('stage').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    updatedAt: stamp('updated_at'),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.stage] })],
);

/** Why an organization rejects candidates: its own list, which reports group by. Archived reasons stay for old rows. */
export const rejectionReasons = pgTable(
  'rejection_reasons',
  {
    ...orgOwned,
    label: text('label').notNull(),
    position: integer('position').notNull().default(0),
    archivedAt: tstz('archived_at'),
    createdAt: stamp('created_at'),
  },
  (t) => [uniqueIndex('rejection_reasons_org_label_uq').on(t.orgId, sql`lower(${t.label})`)],
);
