/**
 * Column builders and column groups every table shares, so a table definition says what is particular to it.
 * A group is spread into a table's columns (`...timestamps`); drizzle builds each table's own columns from it.
 * Relative imports only: drizzle-kit loads the schema without the package's import map.
 */
import { sql } from 'drizzle-orm';
import { bigserial, integer, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

// ---------------------------------------------------------------- columns

/** A random UUID primary key. */
export const id = () => uuid('id').primaryKey().defaultRandom();

/** A bigint key in insertion order, for logs and queues read oldest first. */
export const serialId = () => bigserial('id', { mode: 'number' }).primaryKey();

/** A point in time, always with its zone (timestamptz). */
export const tstz = (name: string) => timestamp(name, { withTimezone: true });

/** When something happened, set by the database unless given. */
export const stamp = (name: string) => tstz(name).notNull().defaultNow();

/** A required reference to the row that owns this one: deleting the owner deletes it. */
export const owner = (name: string, target: () => AnyPgColumn) => uuid(name).notNull().references(target, { onDelete: 'cascade' });

/** An optional reference to a row that may go first (who did it, which reason): deleting that row keeps this one and sets the reference to null. */
export const optionalRef = (name: string, target: () => AnyPgColumn) => uuid(name).references(target, { onDelete: 'set null' });

/** Optimistic concurrency: a write names the version it saw, and every change adds one. */
export const version = () => integer('version').notNull().default(1);

/** A list of words (populations, options, questions), never null: empty unless given. */
export const textList = (name: string) => text(name).array().notNull().default(sql`'{}'::text[]`);

// ---------------------------------------------------------------- groups

/**
 * The first columns of a row that belongs to another: its own id, and the owner's under `key`
 * (deleting the owner deletes the row). `...ownedBy('applicationId', 'application_id', () => applications.id)`
 */
export function ownedBy<K extends string>(key: K, column: string, target: () => AnyPgColumn) {
  const ownerColumn = { [key]: owner(column, target) } as Record<K, ReturnType<typeof owner>>;
  return { id: id(), ...ownerColumn };
}

/** When the row was created and when it last changed. */
export const timestamps = {
  createdAt: stamp('created_at'),
  updatedAt: stamp('updated_at'),
};

/** Where a queued row stands (an outbox a worker delivers with retries): how often it was tried, when it may be tried next, why the last try failed. */
export const retryState = {
  attempts: integer('attempts').notNull().default(0),
  availableAt: stamp('available_at'),
  lastError: text('last_error'),
};

/** A single-use secret link: only the SHA-256 of its random token is stored, and it works until it expires or is used. */
export const singleUseToken = {
  tokenHash: text('token_hash').notNull(),
  expiresAt: tstz('expires_at').notNull(),
  usedAt: tstz('used_at'),
};
