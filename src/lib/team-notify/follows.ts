import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobFollows, jobs, type FollowMode } from '#db/schema';
import { notFound } from '#lib/shared/errors';
import { parseOrThrow } from '#lib/shared/forms';
import { z } from 'zod';

/** Members following a job's new applications: instant emails or one daily digest, each member's own choice per job. */
export const DAY_MS = 24 * 60 * 60 * 1000;

export const followSchema = z.object({
  jobId: z.uuid({ error: 'Unknown job.' }),
  mode: z.enum(['instant', 'daily', 'off'], { error: 'Choose instant, daily digest or off.' }),
});
export type FollowInput = z.input<typeof followSchema>;

export interface Follower {
  userId: string;
  orgId: string;
}

/** Starts, changes or stops following a job of the member's organization (another organization's job is not found). */
export async function setFollow(db: Db, actor: Follower, raw: FollowInput, now = new Date()): Promise<{ mode: FollowMode | 'off' }> {
  const v = parseOrThrow(followSchema, raw);
  const [job] = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.id, v.jobId), eq(jobs.orgId, actor.orgId)));
  if (!job) throw notFound();
  if (v.mode === 'off') {
    await db.delete(jobFollows).where(and(eq(jobFollows.jobId, v.jobId), eq(jobFollows.userId, actor.userId)));
    return { mode: 'off' };
  }
  const next = new Date(now.getTime() + DAY_MS);
  await db
    .insert(jobFollows)
    .values({ jobId: v.jobId, userId: actor.userId, mode: v.mode, digestSince: now, nextDigestAt: next, createdAt: now })
    .onConflictDoUpdate({
      target: [jobFollows.jobId, jobFollows.userId],
      // Switching to the digest starts its window now; staying on it keeps the window.
      set: {
        mode: v.mode,
        digestSince: sql`case when ${jobFollows.mode} = 'daily' then ${jobFollows.digestSince} else ${now.toISOString()}::timestamptz end`,
        nextDigestAt: sql`case when ${jobFollows.mode} = 'daily' then ${jobFollows.nextDigestAt} else ${next.toISOString()}::timestamptz end`,
      },
    });
  return { mode: v.mode };
}

export async function followOf(db: Pick<Db, 'select'>, userId: string, jobId: string): Promise<FollowMode | 'off'> {
  const [r] = await db
    .select({ mode: jobFollows.mode })
    .from(jobFollows)
    .where(and(eq(jobFollows.jobId, jobId), eq(jobFollows.userId, userId)));
  return r?.mode ?? 'off';
}
