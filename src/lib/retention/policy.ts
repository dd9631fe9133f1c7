import { eq, sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { rows } from '#db/client';
import { organizations } from '#db/schema';
import { auditOrg } from '#lib/audit/log';
import { ORG_ADMINS } from '#lib/domain/roles';
import type { MemberRole } from '#lib/domain/taxonomy';
import { parseOrThrow } from '#lib/shared/forms';
import { forbidden, notFound } from '#lib/shared/errors';
import { anonymizeApplications } from './anonymize';
import { retentionSchema } from './schema';

/**
 * Retention: each organization chooses how long applications that ended (rejected,
 * withdrawn) keep the candidate's data — 24 months unless it says otherwise. A daily job
 * anonymizes older ones exactly as an account deletion does (anonymize.ts) and writes one
 * audit row per organization saying how many.
 *
 * "Daily, once, however many instances run it": each organization is claimed in its own
 * transaction with `FOR UPDATE SKIP LOCKED` and only while its `retention_run_at` is before
 * today (UTC); the claim, the anonymization, the audit row and the new `retention_run_at`
 * commit together. A second process skips the locked row, and once committed the row no
 * longer matches, so an organization is handled once a day; a crash rolls back and the next
 * run (hourly) picks it up again.
 */
/** When an application ended: its last move into the stage it is in, else its last update. */
const endedAt = sql`coalesce((select max(e.created_at) from application_events e where e.application_id = a.id and e.to_stage = a.stage), a.updated_at)`;

export interface RetentionRun {
  orgId: string;
  anonymized: number;
}

const dayStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

/** Runs the retention job for every organization not yet handled today; returns what it did. */
export async function runRetention(db: Db, now = new Date()): Promise<RetentionRun[]> {
  const done: RetentionRun[] = [];
  const today = dayStart(now).toISOString();
  for (;;) {
    const run = await db.transaction(async (tx) => {
      const [org] = await rows<{ id: string; months: number }>(
        tx as unknown as Db,
        sql`select id, retention_months as months from ${organizations}
            where retention_run_at is null or retention_run_at < ${today}::timestamptz
            order by id limit 1 for update skip locked`,
      );
      if (!org) return null;
      const months = Number(org.months);
      const due = await rows<{ id: string }>(
        tx as unknown as Db,
        sql`select a.id from applications a join jobs j on j.id = a.job_id
            where j.org_id = ${org.id}::uuid and a.anonymized_at is null and a.stage in ('rejected', 'withdrawn')
              and ${endedAt} < ${now.toISOString()}::timestamptz - make_interval(months => ${months}::int)`,
      );
      const n = await anonymizeApplications(
        tx,
        due.map((d) => d.id),
        now,
      );
      if (n) {
        await auditOrg(
          tx,
          { orgId: org.id, userId: null },
          { action: 'applications.anonymized', data: { applications: n, reason: `ended more than ${months} months ago (retention policy)` }, at: now },
        );
      }
      await tx.update(organizations).set({ retentionRunAt: now }).where(eq(organizations.id, org.id));
      return { orgId: org.id, anonymized: n };
    });
    if (!run) return done;
    done.push(run);
  }
}

/** An admin sets the organization's retention period (settings page). */
export async function setRetention(
  db: Db,
  actor: { userId: string; orgId: string; role: MemberRole },
  raw: { months: number | string },
): Promise<{ months: number; changed: boolean }> {
  if (!ORG_ADMINS.includes(actor.role)) throw forbidden();
  const v = parseOrThrow(retentionSchema, raw);
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ months: organizations.retentionMonths }).from(organizations).where(eq(organizations.id, actor.orgId)).for('update');
    if (!before) throw notFound();
    if (before.months === v.months) return { months: v.months, changed: false };
    await tx.update(organizations).set({ retentionMonths: v.months }).where(eq(organizations.id, actor.orgId));
    await auditOrg(tx, actor, { action: 'organization.retention_changed', data: { from: before.months, to: v.months } });
    return { months: v.months, changed: true };
  });
}

/** What the apply form tells candidates. */
export function retentionNotice(orgName: string, months: number): string {
  const period = months % 12 === 0 ? `${months / 12} year${months === 12 ? '' : 's'}` : `${months} month${months === 1 ? '' : 's'}`;
  return `${orgName} keeps an application that ends (not selected, or withdrawn) for ${period}; after that your name, contact details, resume and written answers are removed from it. You can download or delete your data at any time from your account.`;
}
