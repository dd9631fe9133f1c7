import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex, uuid, primaryKey } from 'drizzle-orm/pg-core';
import { id, ownedBy, owner, singleUseToken, stamp, tstz } from './columns';
import { oneOf } from './checks';
import { bytea } from './types';

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    emailVerifiedAt: tstz('email_verified_at'),
    createdAt: stamp('created_at'),
  },
  (t) => [
    // Emails are compared case-insensitively; one account per address.
    uniqueIndex('users_email_lower_uq').on(sql`lower(${t.email})`),
    check('users_email_shape', sql`position('@' in ${t.email}) > 1`),
  ],
);

/** Columns of a row that belongs to one user: its own id, and the user's (deleting the account deletes it). */
export const userOwned = ownedBy('userId', 'user_id', () => users.id);

/** Lucia-style sessions: the id is public, only SHA-256 of the secret is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    secretHash: bytea('secret_hash').notNull(),
    userId: owner('user_id', () => users.id),
    activeOrgId: uuid('active_org_id'),
    createdAt: stamp('created_at'),
    lastVerifiedAt: stamp('last_verified_at'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Single-use emailed tokens (verify email, reset password); only the hash is stored. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    ...userOwned,
    purpose: text('purpose').notNull(),
    ...singleUseToken,
    createdAt: stamp('created_at'),
  },
  (t) => [
    uniqueIndex('email_tokens_hash_uq').on(t.tokenHash),
    index('email_tokens_user_idx').on(t.userId),
    oneOf('email_tokens_purpose', t.purpose, ['verify_email', 'reset_password']),
  ],
);

/** Fixed-window counters kept in the database so limits hold across restarts and processes. */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').notNull(),
    windowStart: tstz('window_start').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index('rate_limits_window_idx').on(t.windowStart)],
);

/**
 * Growing-delay counters (src/lib/ratelimit.ts, `backoff`): attempts counted as
 * failures per key (an account × client pair, or a client) and when the last one
 * started. A success clears or refunds; a key idle past its policy's memory starts over.
 */
export const backoffCounters = pgTable(
  'backoff_counters',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    lastAttemptAt: tstz('last_attempt_at').notNull(),
  },
  (t) => [index('backoff_counters_last_idx').on(t.lastAttemptAt)],
);

/**
 * What the account holder did with their own data (exports so far), shown to them on the
 * account page. Goes with the account when it is deleted.
 */
export const accountEvents = pgTable(
  'account_events',
  {
    ...userOwned,
    kind: text('kind', { enum: ['data_exported'] }).notNull(),
    createdAt: stamp('created_at'),
  },
  (t) => [index('account_events_user_idx').on(t.userId, t.createdAt), oneOf('account_events_kind', t.kind, ['data_exported'])],
);
