import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { auditLog, users } from '#db/schema';

/** Anything that can insert: the db or a transaction (audit rows go in the same transaction as the change). */
type Writer = Pick<Db, 'insert'>;

/** Who acted, for which organization: a member acting (`{ orgId, userId }` is what guards return) or the system (userId null). */
export interface AuditActor {
  orgId: string;
  userId: string | null;
}

export interface AuditEntry {
  entity: 'organization' | 'member' | 'invitation' | 'job';
  entityId: string;
  action: string;
  data?: Record<string, unknown>;
  at?: Date;
}

export async function audit(tx: Writer, actor: AuditActor, e: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    orgId: actor.orgId,
    actorId: actor.userId,
    entity: e.entity,
    entityId: e.entityId,
    action: e.action,
    data: e.data ?? {},
    ...(e.at ? { createdAt: e.at } : {}),
  });
}

/** An entry about the actor's organization itself (its profile, settings, lists, what was done to its applications). */
export function auditOrg(tx: Writer, actor: AuditActor, e: Omit<AuditEntry, 'entity' | 'entityId'>): Promise<void> {
  return audit(tx, actor, { entity: 'organization', entityId: actor.orgId, ...e });
}

export async function listAudit(db: Db, orgId: string, opts: { entity?: string; entityId?: string; limit?: number } = {}) {
  const conds = [eq(auditLog.orgId, orgId)];
  if (opts.entity) conds.push(eq(auditLog.entity, opts.entity));
  if (opts.entityId) conds.push(eq(auditLog.entityId, opts.entityId));
  return db
    .select({
      id: auditLog.id,
      entity: auditLog.entity,
      entityId: auditLog.entityId,
      action: auditLog.action,
      data: auditLog.data,
      createdAt: auditLog.createdAt,
      actorId: auditLog.actorId,
      actorName: users.name,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(...conds))
    .orderBy(desc(auditLog.createdAt))
    .limit(opts.limit ?? 100);
}
