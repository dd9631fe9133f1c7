import { and, eq } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '#db/client';
import { notFound } from './errors';

/** A table whose rows belong to one organization: an `id` and an `org_id`. */
type OrgOwned = PgTable & { id: AnyPgColumn; orgId: AnyPgColumn };

/**
 * The organization's row by id, locked for the rest of the transaction (a change reads, checks and writes it
 * without another change in between); another organization's id is the same not-found as a missing one.
 */
export async function lockOrgRow<T extends OrgOwned>(tx: Pick<Db, 'select'>, table: T, orgId: string, id: string): Promise<T['$inferSelect']> {
  const [row] = await tx
    .select()
    .from(table as PgTable)
    .where(and(eq(table.id, id), eq(table.orgId, orgId)))
    .for('update');
  if (!row) throw notFound();
  return row as T['$inferSelect'];
}
