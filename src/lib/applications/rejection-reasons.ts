import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '#db/client';
import { applications, jobs, rejectionReasons } from '#db/schema';
import { auditOrg } from '#lib/audit/log';
import { conflict, forbidden, invalid, notFound } from '#lib/shared/errors';
import { parseOrThrow } from '#lib/shared/forms';
import { text } from '#lib/shared/text';
import type { TeamActor } from './access';

/**
 * The organization's rejection reasons: a short list the team picks from when
 * rejecting, which reports group by. Every organization starts with the defaults
 * below; admins add, rename and retire reasons. A retired reason keeps its rows
 * (and the rejections that used it), it is only no longer offered.
 */
export const DEFAULT_REJECTION_REASONS = [
  'Licensure not yet in this state',
  'Schedule does not fit',
  'Pay expectations',
  'Candidate withdrew interest',
  'Position filled',
  'Experience or qualifications',
] as const;

export interface ReasonRow {
  id: string;
  label: string;
  archived: boolean;
}

/** Writes the defaults the first time an organization's list is read (concurrent readers: the unique label index keeps one of each). */
async function ensureDefaults(db: Db, orgId: string): Promise<void> {
  const [any] = await db.select({ id: rejectionReasons.id }).from(rejectionReasons).where(eq(rejectionReasons.orgId, orgId)).limit(1);
  if (any) return;
  await db
    .insert(rejectionReasons)
    .values(DEFAULT_REJECTION_REASONS.map((label, i) => ({ orgId, label, position: i })))
    .onConflictDoNothing();
}

export async function listReasons(db: Db, orgId: string, opts: { includeArchived?: boolean } = {}): Promise<ReasonRow[]> {
  await ensureDefaults(db, orgId);
  const where = opts.includeArchived ? eq(rejectionReasons.orgId, orgId) : and(eq(rejectionReasons.orgId, orgId), isNull(rejectionReasons.archivedAt));
  const rows = await db.select().from(rejectionReasons).where(where).orderBy(asc(rejectionReasons.position), asc(rejectionReasons.createdAt));
  return rows.map((r) => ({ id: r.id, label: r.label, archived: r.archivedAt !== null }));
}

/** The reason a rejection names, when it is one of the organization's current reasons. */
export async function reasonForRejection(tx: Pick<Db, 'select'>, orgId: string, reasonId: string): Promise<{ id: string; label: string }> {
  const [r] = await tx
    .select({ id: rejectionReasons.id, label: rejectionReasons.label })
    .from(rejectionReasons)
    .where(and(eq(rejectionReasons.id, reasonId), eq(rejectionReasons.orgId, orgId), isNull(rejectionReasons.archivedAt)));
  if (!r) throw invalid('Choose one of the listed reasons.', { reasonId: ['Choose one of the listed reasons.'] });
  return r;
}

const labelSchema = text({ error: 'Write the reason.' }).trim().min(2, 'Write the reason.').max(80, 'Keep the reason under 80 characters.');
export const reasonAddSchema = z.object({ org: text().min(1).max(200), label: labelSchema });
export const reasonChangeSchema = z.object({
  org: text().min(1).max(200),
  reasonId: z.uuid({ error: 'Unknown reason.' }),
  op: z.enum(['archive', 'restore'], { error: 'Unknown change.' }),
});

function requireAdmin(actor: TeamActor) {
  if (actor.role !== 'admin') throw forbidden('Only admins can change the rejection reasons.');
}

export async function addReason(db: Db, actor: TeamActor, raw: { label: string }): Promise<{ id: string }> {
  requireAdmin(actor);
  const label = parseOrThrow(labelSchema, raw.label);
  await ensureDefaults(db, actor.orgId);
  return db.transaction(async (tx) => {
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`coalesce(max(${rejectionReasons.position}), 0) + 1` })
      .from(rejectionReasons)
      .where(eq(rejectionReasons.orgId, actor.orgId));
    const [row] = await tx
      .insert(rejectionReasons)
      .values({ orgId: actor.orgId, label, position: Number(n) })
      .onConflictDoNothing()
      .returning({ id: rejectionReasons.id });
    if (!row) throw conflict(`“${label}” is already on the list.`);
    await auditOrg(tx, actor, { action: 'rejection_reason.added', data: { label } });
    return row;
  });
}

export async function changeReason(db: Db, actor: TeamActor, reasonId: string, op: 'archive' | 'restore'): Promise<void> {
  requireAdmin(actor);
  await db.transaction(async (tx) => {
    const [r] = await tx
      .update(rejectionReasons)
      .set({ archivedAt: op === 'archive' ? new Date() : null })
      .where(and(eq(rejectionReasons.id, reasonId), eq(rejectionReasons.orgId, actor.orgId)))
      .returning({ label: rejectionReasons.label });
    if (!r) throw notFound();
    await auditOrg(tx, actor, { action: `rejection_reason.${op}d`, data: { label: r.label } });
  });
}

/**
 * Rejected applications per reason, for reports: grouped by the structured reason, with the
 * rejections from before reasons existed (free text only) counted as one “Other” row.
 */
export async function rejectionsByReason(db: Db, orgId: string): Promise<{ reasonId: string | null; label: string; count: number }[]> {
  const rows = await db
    .select({ reasonId: applications.rejectionReasonId, label: rejectionReasons.label, n: count() })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .leftJoin(rejectionReasons, eq(rejectionReasons.id, applications.rejectionReasonId))
    .where(and(eq(jobs.orgId, orgId), eq(applications.stage, 'rejected')))
    .groupBy(applications.rejectionReasonId, rejectionReasons.label)
    .orderBy(sql`count(*) desc`);
  return rows.map((r) => ({ reasonId: r.reasonId, label: r.label ?? 'Other (written reason)', count: Number(r.n) }));
}
