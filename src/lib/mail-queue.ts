import { eq, sql } from 'drizzle-orm';
import { rows, type Db } from '#db/client';
import { mailOutbox } from '#db/schema';
import type { MailMessage, MailTransport } from '#lib/mail';
import { backoffMs } from '#lib/search/outbox';

/**
 * The mail outbox. A service that decides to email someone enqueues the message with
 * queueMail(tx, …) inside the transaction that makes the change, so the change and its
 * email commit or roll back together; the mail worker (deliverMail) is the only code that
 * talks to SMTP.
 */

/** A transaction handle (what db.transaction passes its callback). */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * What a service needs to send mail: the public site's origin for links, and a nudge that
 * wakes the mail worker once the transaction committed (the worker also polls, so a lost
 * nudge only delays).
 */
export interface MailDeps {
  /** PUBLIC_SITE_URL */
  siteUrl: string;
  wake(): void;
}

/**
 * Queues a message inside the caller's transaction. The type asks for a transaction
 * (`rollback` exists only there), so mail cannot be queued on the root connection by accident.
 */
export async function queueMail(tx: Pick<Tx, 'insert' | 'rollback'>, msg: MailMessage): Promise<void> {
  await tx.insert(mailOutbox).values({ toAddress: msg.to, subject: msg.subject, textBody: msg.text, htmlBody: msg.html ?? null, headers: msg.headers ?? {} });
}

/** How long a claimed message is left alone before another worker may take it (a worker that died mid-send). */
export const MAIL_LEASE_MS = 5 * 60_000;

export interface ClaimedMail {
  id: number;
  attempts: number;
  msg: MailMessage;
}

/** Claims due messages with a lease (SKIP LOCKED, safe across processes): they are not due again until the lease ends. */
export async function claimMail(db: Db, opts: { batch?: number; leaseMs?: number } = {}): Promise<ClaimedMail[]> {
  const leaseSecs = (opts.leaseMs ?? MAIL_LEASE_MS) / 1000;
  const claimed = await rows<{ id: number | string; to_address: string; subject: string; text_body: string; html_body: string | null; headers: Record<string, string> | string; attempts: number }>(
    db,
    sql`update mail_outbox set available_at = now() + make_interval(secs => ${leaseSecs}), attempts = attempts + 1
        where id in (select id from mail_outbox where available_at <= now() order by id limit ${opts.batch ?? 20} for update skip locked)
        returning id, to_address, subject, text_body, html_body, headers, attempts`,
  );
  return claimed
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((m) => ({
      id: Number(m.id),
      attempts: Number(m.attempts),
      msg: {
        to: m.to_address,
        subject: m.subject,
        text: m.text_body,
        html: m.html_body ?? undefined,
        headers: typeof m.headers === 'string' ? (JSON.parse(m.headers) as Record<string, string>) : m.headers,
      },
    }));
}

/**
 * Sends due messages: claims them, sends each, deletes each as soon as the server took it,
 * backs off on failure. A worker that dies mid-batch leaves its unsent messages leased; after
 * the lease another pass sends them. Delivery is at-least-once: only a crash between the
 * server accepting a message and its delete can repeat it, never lose it.
 */
export async function deliverMail(db: Db, transport: MailTransport, opts: { batch?: number; leaseMs?: number } = {}): Promise<{ sent: number; failed: number }> {
  const claimed = await claimMail(db, opts);
  let sent = 0;
  let failed = 0;
  for (const m of claimed) {
    try {
      await transport.send(m.msg);
    } catch (err) {
      failed++;
      await db
        .update(mailOutbox)
        .set({ availableAt: sql`now() + make_interval(secs => ${backoffMs(m.attempts) / 1000})`, lastError: String(err instanceof Error ? err.message : err).slice(0, 500) })
        .where(eq(mailOutbox.id, m.id));
      continue;
    }
    await db.delete(mailOutbox).where(eq(mailOutbox.id, m.id));
    sent++;
  }
  return { sent, failed };
}
