import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '#db/client';
import { applications, auditLog, backoffCounters, invitations, jobs, mailOutbox, members, organizations, rateLimits, resumes, users } from '#db/schema';
import { audit, auditOrg } from '#lib/audit/log';
import { verifyPassword } from '#lib/auth/password';
import { WITHDRAWABLE } from '#lib/applications/stages';
import { endAsWithdrawn } from '#lib/applications/candidate';
import { log } from '#lib/log';
import { enforce, keys, POLICIES, refund } from '#lib/ratelimit';
import { deleteResumeFile, type ResumeStore } from '#lib/resumes/storage';
import { conflict, invalid, ServiceError } from '#lib/shared/errors';
import { anonymizeApplications } from '#lib/retention/anonymize';
import type { ClockOpts } from '#lib/shared/clock';

/**
 * Deleting an account (`/account/delete`). After the password is entered again, in ONE
 * transaction: the person's applications are anonymized (live ones first marked withdrawn —
 * the candidate left), the rows that name them without a foreign key are cleaned (the list
 * below), and the users row is deleted, which cascades to profile, licenses (and
 * organizations' verifications of them), resume rows, saved searches and alerts,
 * sessions, email tokens, memberships and account events. Resume files are removed after
 * the commit; a crash in between leaves files no row names, which the hourly sweep
 * (sweepOrphanResumeFiles) removes.
 */
export interface DeletedAccount {
  userId: string;
  applications: number;
  resumeFiles: number;
}

export interface Person {
  id: string;
  email: string;
  name: string;
}

/**
 * Rows that can hold the person's email or name without a foreign key to them: one entry each,
 * run inside the deletion's transaction before the users row goes.
 */
export const ACCOUNT_TRACES: { table: string; remove: (tx: Tx, p: Person) => Promise<unknown> }[] = [
  // Mail not yet delivered to the person goes with them: nothing is sent to an account that no longer exists.
  { table: 'mail_outbox', remove: (tx, p) => tx.delete(mailOutbox).where(sql`lower(${mailOutbox.toAddress}) = lower(${p.email})`) },
  // Invitations addressed to them (organizations keep the audit row that one was sent, without the address).
  { table: 'invitations', remove: (tx, p) => tx.delete(invitations).where(sql`lower(${invitations.email}) = lower(${p.email})`) },
  // Rate-limit counters keyed by their address or id (sign-in pairs are hashed already).
  {
    table: 'rate_limits',
    remove: (tx, p) =>
      tx.delete(rateLimits).where(sql`position(lower(${p.email}) in lower(${rateLimits.key})) > 0 or position(${p.id} in ${rateLimits.key}) > 0`),
  },
  { table: 'backoff_counters', remove: (tx, p) => tx.delete(backoffCounters).where(sql`position(lower(${p.email}) in lower(${backoffCounters.key})) > 0`) },
  // Organizations' audit rows keep what happened, with the address and name taken out of their details.
  { table: 'audit_log', remove: (tx, p) => scrubAuditData(tx, p) },
];

const REMOVED = '[deleted account]';

/** Replaces the person's email and name inside audit details (JSON walked in code, so escaping cannot break it). */
async function scrubAuditData(tx: Tx, p: Person): Promise<void> {
  const needles = [p.email, p.name].map((s) => s.trim()).filter((s) => s.length >= 3);
  if (!needles.length) return;
  const hits = await tx
    .select({ id: auditLog.id, data: auditLog.data })
    .from(auditLog)
    .where(
      sql`(${sql.join(
        needles.map((n) => sql`strpos(lower(${auditLog.data}::text), lower(${n})) > 0`),
        sql` or `,
      )})`,
    );
  const pattern = new RegExp(needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(pattern, REMOVED);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  for (const h of hits)
    await tx
      .update(auditLog)
      .set({ data: walk(h.data) as Record<string, unknown> })
      .where(eq(auditLog.id, h.id));
}

const WRONG_PASSWORD = 'That password is not correct. Your account was not deleted.';

export async function deleteAccount(db: Db, store: ResumeStore, userId: string, input: { password: string }, opts: ClockOpts = {}): Promise<DeletedAccount> {
  const now = opts.now ?? new Date();
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new ServiceError('unauthenticated', 'Sign in again.');
  // The same budget as checking a password anywhere else while signed in: a stolen session cannot guess it.
  const hits = await enforce(db, [{ key: keys.id('deleteAccount', user.id), policy: POLICIES.deleteAccount }], now);
  if (!(await verifyPassword(user.passwordHash, input.password))) throw invalid(WRONG_PASSWORD, { password: [WRONG_PASSWORD] });
  for (const h of hits) await refund(db, h);

  const result = await db.transaction(async (tx) => {
    // Locked and read again: the name and address scrubbed below are the ones the row has now.
    const [current] = await tx.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, userId)).for('update');
    if (!current) throw new ServiceError('unauthenticated', 'Sign in again.');
    // The organizations they administer, locked as membership changes lock them, so the
    // last-admin rule holds against a concurrent demotion.
    const adminOf = await tx
      .select({ orgId: members.orgId, name: organizations.name })
      .from(members)
      .innerJoin(organizations, eq(organizations.id, members.orgId))
      .where(and(eq(members.userId, userId), eq(members.role, 'admin')))
      .orderBy(organizations.id)
      .for('update', { of: organizations });
    const alone: string[] = [];
    for (const o of adminOf) {
      const [n] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(members)
        .where(and(eq(members.orgId, o.orgId), eq(members.role, 'admin'), ne(members.userId, userId)));
      if (!Number(n?.n)) alone.push(o.name);
    }
    if (alone.length) {
      throw conflict(
        `You are the only admin of ${alone.join(', ')}. Make another member an admin (or invite one) first, so the organization is not left without one. Your account was not deleted.`,
      );
    }
    const memberOf = await tx.select({ orgId: members.orgId, role: members.role }).from(members).where(eq(members.userId, userId));

    // Live applications end: the candidate has left. Then every application of theirs is anonymized.
    const live = await tx
      .select({ id: applications.id, stage: applications.stage })
      .from(applications)
      .where(and(eq(applications.candidateId, userId), inArray(applications.stage, [...WITHDRAWABLE])))
      .for('update');
    await endAsWithdrawn(tx, live, now, { actorId: null, data: { accountDeleted: true } });
    const mine = await tx
      .select({ id: applications.id, orgId: jobs.orgId })
      .from(applications)
      .innerJoin(jobs, eq(jobs.id, applications.jobId))
      .where(eq(applications.candidateId, userId));
    const anonymized = await anonymizeApplications(
      tx,
      mine.map((a) => a.id),
      now,
    );
    // Each organization's log says how many of its applications were anonymized and why (no ids: nothing to join back).
    const perOrg = new Map<string, number>();
    for (const a of mine) perOrg.set(a.orgId, (perOrg.get(a.orgId) ?? 0) + 1);
    for (const [orgId, n] of perOrg) {
      await auditOrg(
        tx,
        { orgId, userId: null },
        { action: 'applications.anonymized', data: { applications: n, reason: 'a candidate deleted their account' }, at: now },
      );
    }

    const files = await tx.select({ key: resumes.storageKey }).from(resumes).where(eq(resumes.userId, userId));
    const person: Person = current;
    for (const t of ACCOUNT_TRACES) await t.remove(tx, person);
    // Each organization they belonged to keeps a line saying a member's account was deleted.
    for (const m of memberOf) {
      await audit(
        tx,
        { orgId: m.orgId, userId: null },
        {
          entity: 'member',
          entityId: userId,
          action: 'member.account_deleted',
          data: { role: m.role },
          at: now,
        },
      );
    }
    await tx.delete(users).where(eq(users.id, userId));
    return { anonymized, keys: files.map((f) => f.key) };
  });

  // After the commit: a rollback must never have removed a file its row still names.
  for (const key of result.keys) await deleteResumeFile(store, key);
  log.info({ userId, applications: result.anonymized, resumeFiles: result.keys.length }, 'account deleted');
  return { userId, applications: result.anonymized, resumeFiles: result.keys.length };
}
