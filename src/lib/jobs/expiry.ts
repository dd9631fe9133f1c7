import { and, eq, isNull, lte } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobs } from '#db/schema';
import { enqueueSearchSync } from '#lib/search/outbox';

/**
 * Marks published jobs whose valid-through has passed as expired, and queues
 * their removal from search, in one transaction. Runs inside the app on an
 * interval (no cron to set up); safe to run from several processes at once
 * because the update only touches rows still unmarked.
 */
export async function expireDueJobs(db: Db, now = new Date()): Promise<string[]> {
  return db.transaction(async (tx) => {
    const expired = await tx
      .update(jobs)
      .set({ expiredAt: now, updatedAt: now })
      .where(and(eq(jobs.status, 'published'), lte(jobs.validThrough, now), isNull(jobs.expiredAt)))
      .returning({ id: jobs.id });
    const ids = expired.map((e) => e.id);
    await enqueueSearchSync(tx, ids, 'delete');
    return ids;
  });
}
