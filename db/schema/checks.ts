/**
 * CHECK constraints several tables share, so the database itself refuses what the types do.
 * Relative imports only: drizzle-kit loads the schema without the package's import map.
 */
import { sql } from 'drizzle-orm';
import { check, type PgColumn } from 'drizzle-orm/pg-core';

/** SQL list literal for CHECK constraints built from the taxonomy's tuples. */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
}

/**
 * CHECK (column in (values)). A column given by reference is written qualified (`"jobs"."status" in (…)`); one given
 * by its SQL name bare (`status in (…)`), as the constraints built from the taxonomy's tuples were first migrated.
 * Either way the text stays what the migrations created, so drizzle-kit sees no change.
 */
export function oneOf(name: string, column: PgColumn | string, values: readonly string[]) {
  const list = sqlList(values);
  return check(name, typeof column === 'string' ? sql.raw(`${column} in (${list})`) : sql`${column} in (${sql.raw(list)})`);
}

/** A time span that may be unset: both ends or neither, and the end after the start. */
export function optionalSpan(name: string, start: PgColumn, end: PgColumn) {
  return check(name, sql`(${start} is null) = (${end} is null) and (${end} is null or ${end} > ${start})`);
}
