import { sql } from 'drizzle-orm';
import { rows, type Db } from '#db/client';
import { queueMail } from '#lib/mail-queue';
import { interviewContext } from './context';
import { everyone, reminderEmail } from './emails';

/**
 * The 24-hour reminder, run by the in-app sweep of every process (like the alert digests). Each
 * due interview is claimed by an UPDATE that sets reminder_sent_at only where it is still null,
 * with SKIP LOCKED, in the transaction that queues the emails: two processes running at the same
 * moment never both claim one interview, and a rollback leaves it due. Exactly once per scheduled
 * time (a reschedule clears the marker).
 */
const DAY_MS = 24 * 3600_000;

export async function sendDueReminders(db: Db, opts: { now?: Date; limit?: number } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const horizon = new Date(now.getTime() + DAY_MS);
  return db.transaction(async (tx) => {
    const due = await rows<{ id: string }>(
      tx,
      sql`update interviews set reminder_sent_at = ${now.toISOString()}::timestamptz
          where id in (
            select id from interviews
            where status = 'scheduled' and reminder_sent_at is null
              and starts_at > ${now.toISOString()}::timestamptz and starts_at <= ${horizon.toISOString()}::timestamptz
            order by starts_at limit ${opts.limit ?? 100} for update skip locked)
          and reminder_sent_at is null
          returning id`,
    );
    for (const { id } of due) {
      const c = await interviewContext(tx, id);
      if (!c) continue;
      for (const p of everyone(c)) await queueMail(tx, reminderEmail(c, p));
    }
    return due.length;
  });
}
