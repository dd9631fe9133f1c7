/**
 * Column builders every table shares, so a table definition says what is particular to it.
 * Relative imports only: drizzle-kit loads the schema without the package's import map.
 */
import { timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** A random UUID primary key. */
export const id = () => uuid('id').primaryKey().defaultRandom();

/** A point in time, always with its zone (timestamptz). */
export const tstz = (name: string) => timestamp(name, { withTimezone: true });

/** When something happened, set by the database unless given. */
export const stamp = (name: string) => tstz(name).notNull().defaultNow();

/** A required reference to the row that owns this one: deleting the owner deletes it. */
export const owner = (name: string, target: () => AnyPgColumn) => uuid(name).notNull().references(target, { onDelete: 'cascade' });
