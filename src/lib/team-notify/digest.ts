import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import { rows, type Db } from '#db/client';
import { applications, jobFollows, jobs, members, users } from '#db/schema';
import { queueMail } from '#lib/mail-queue';
import { absolute, paths } from '#lib/paths';
import { DAY_MS } from './follows';

const MAX_LISTED = 50;

/**
 * Sends every due daily digest of new applications, one follow (member × job) per
 * transaction: the follow row is locked with SKIP LOCKED, so two processes running
 * this at once never take the same one; the applications since the last digest are
 * listed, the email queued, and the window moved on — all or nothing. After the
 * commit the row is not due for another day, so each digest goes out exactly once.
 */
export async function runJobDigests(db: Db, opts: { siteUrl: string; now?: Date; limit?: number }): Promise<{ follows: number; emails: number }> {
  const now = opts.now ?? new Date();
  let follows = 0;
  let emails = 0;
  for (let i = 0; i < (opts.limit ?? 500); i++) {
    const handled = await db.transaction(async (tx) => {
      const [due] = await rows<{ job_id: string; user_id: string; digest_since: Date | string }>(
        tx,
        sql`select job_id, user_id, digest_since from job_follows
            where mode = 'daily' and next_digest_at <= ${now.toISOString()}::timestamptz
            order by next_digest_at limit 1 for update skip locked`,
      );
      if (!due) return null;
      const since = new Date(due.digest_since);
      // Only a current member of the job's organization gets it (a member who left keeps no window).
      const [who] = await tx
        .select({ email: users.email, name: users.name, jobTitle: jobs.title })
        .from(jobs)
        .innerJoin(members, and(eq(members.orgId, jobs.orgId), eq(members.userId, due.user_id)))
        .innerJoin(users, eq(users.id, members.userId))
        .where(eq(jobs.id, due.job_id));
      let sent = false;
      if (who) {
        const fresh = await tx
          .select({ id: applications.id, name: users.name, at: applications.createdAt })
          .from(applications)
          .innerJoin(users, eq(users.id, applications.candidateId))
          .where(and(eq(applications.jobId, due.job_id), gt(applications.createdAt, since), lte(applications.createdAt, now)))
          .orderBy(asc(applications.createdAt))
          .limit(MAX_LISTED + 1);
        if (fresh.length) {
          const listed = fresh.slice(0, MAX_LISTED).map((a) => `• ${a.name}: ${absolute(opts.siteUrl, paths.application(a.id))}`);
          const more = fresh.length > MAX_LISTED ? [`…and more on the pipeline page.`] : [];
          const n = fresh.length > MAX_LISTED ? `${MAX_LISTED}+` : String(fresh.length);
          await queueMail(tx, {
            to: who.email,
            subject: `${n} new application${fresh.length === 1 ? '' : 's'} for ${who.jobTitle}`,
            text: [
              `Hi ${who.name},`,
              '',
              `New applications for ${who.jobTitle} since your last digest:`,
              '',
              ...listed,
              ...more,
              '',
              `The pipeline: ${absolute(opts.siteUrl, paths.pipeline(due.job_id))}`,
              'You get this daily digest because you follow this job; change it on the pipeline page.',
            ].join('\n'),
          });
          sent = true;
        }
      }
      await tx
        .update(jobFollows)
        .set({ digestSince: now, nextDigestAt: new Date(now.getTime() + DAY_MS) })
        .where(and(eq(jobFollows.jobId, due.job_id), eq(jobFollows.userId, due.user_id)));
      return sent;
    });
    if (handled === null) break;
    follows++;
    if (handled) emails++;
  }
  return { follows, emails };
}
