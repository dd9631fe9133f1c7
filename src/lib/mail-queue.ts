import { inArray, sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/client';
import { mailOutbox } from '../../db/schema';
import type { Mailer, MailMessage } from './mail';
import { backoffMs } from './search/outbox';

type Writer = Pick<Db, 'insert'>;

/** Queue a message inside the caller's transaction; the mail worker delivers it after commit. */
export async function queueMail(tx: Writer, msg: MailMessage): Promise<void> {
  await tx.insert(mailOutbox).values({ toAddress: msg.to, subject: msg.subject, textBody: msg.text, htmlBody: msg.html ?? null, headers: msg.headers ?? {} });
}

/**
 * Sends due messages: claims them with a lease (SKIP LOCKED, safe across processes),
 * sends, deletes on success, backs off on failure. Delivery is at-least-once: a
 * crash between the server accepting a message and the delete can repeat it, never lose it.
 */
export async function deliverMail(db: Db, mailer: Mailer, batch = 20): Promise<{ sent: number; failed: number }> {
  const claimed = await rows<{ id: number | string; to_address: string; subject: string; text_body: string; html_body: string | null; headers: Record<string, string> | string; attempts: number }>(
    db,
    sql`update mail_outbox set available_at = now() + interval '5 minutes', attempts = attempts + 1
        where id in (select id from mail_outbox where available_at <= now() order by id limit ${batch} for update skip locked)
        returning id, to_address, subject, text_body, html_body, headers, attempts`,
  );
  let sent = 0;
  let failed = 0;
  const done: number[] = [];
  for (const m of claimed) {
    try {
      const headers = typeof m.headers === 'string' ? (JSON.parse(m.headers) as Record<string, string>) : m.headers;
      await mailer.send({ to: m.to_address, subject: m.subject, text: m.text_body, html: m.html_body ?? undefined, headers });
      done.push(Number(m.id));
      sent++;
    } catch (err) {
      failed++;
      await db
        .update(mailOutbox)
        .set({ availableAt: sql`now() + make_interval(secs => ${backoffMs(Number(m.attempts)) / 1000})`, lastError: String(err instanceof Error ? err.message : err).slice(0, 500) })
        .where(inArray(mailOutbox.id, [Number(m.id)]));
    }
  }
  if (done.length) await db.delete(mailOutbox).where(inArray(mailOutbox.id, done));
  return { sent, failed };
}
