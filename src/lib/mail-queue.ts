import type { Db, DbHandle, Tx } from '#db/client';
import { inArray } from 'drizzle-orm';
import { applicationEmails, mailOutbox, type MailAttachment, type MailRecipientRole } from '#db/schema';
import type { MailMessage, MailTransport } from '#lib/mail';
import { backOff, claimDue, complete, notifyQueue } from '#lib/queue/table';
import { QueueWorker, type QueueWorkerOptions } from '#lib/queue/worker';

/**
 * The mail outbox. A service that decides to email someone enqueues the message with
 * queueMail(tx, …) inside the transaction that makes the change, so the change and its
 * email commit or roll back together; the mail worker (deliverMail) is the only code that
 * talks to SMTP, and the commit itself wakes it.
 */

/** The NOTIFY channel of mail_outbox. */
const CHANNEL = 'mail_outbox';

/** What a service needs to write mail: the public site's origin for links. */
export interface MailDeps {
  /** PUBLIC_SITE_URL */
  siteUrl: string;
}

/**
 * Queues a message inside the caller's transaction, and wakes the mail worker when it commits.
 * The type asks for a transaction (`rollback` exists only there), so mail cannot be queued on
 * the root connection by accident.
 */
export async function queueMail(tx: Pick<Tx, 'insert' | 'execute' | 'rollback'>, msg: MailMessage, about?: MailAbout): Promise<void> {
  const [row] = await tx
    .insert(mailOutbox)
    .values({
      toAddress: msg.to,
      subject: msg.subject,
      textBody: msg.text,
      htmlBody: msg.html ?? null,
      headers: msg.headers ?? {},
      attachments: msg.attachments ?? [],
    })
    .returning({ id: mailOutbox.id });
  // Mail about an application goes into its email history (shown on the application page).
  if (about && row) {
    await tx.insert(applicationEmails).values({ applicationId: about.applicationId, outboxId: row.id, recipientRole: about.recipient, subject: msg.subject });
  }
  await notifyQueue(tx, CHANNEL);
}

/** Which application an email is about and who it goes to: every caller that mails about an application passes it. */
export interface MailAbout {
  applicationId: string;
  recipient: MailRecipientRole;
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
  const claimed = await claimDue<{
    id: number | string;
    to_address: string;
    subject: string;
    text_body: string;
    html_body: string | null;
    headers: Record<string, string> | string;
    attachments: MailAttachment[] | string | null;
    attempts: number;
  }>(db, mailOutbox, { limit: opts.batch ?? 20, leaseSeconds: (opts.leaseMs ?? MAIL_LEASE_MS) / 1000 });
  return claimed.map((m) => ({
    id: Number(m.id),
    attempts: Number(m.attempts),
    msg: {
      to: m.to_address,
      subject: m.subject,
      text: m.text_body,
      html: m.html_body ?? undefined,
      headers: typeof m.headers === 'string' ? (JSON.parse(m.headers) as Record<string, string>) : m.headers,
      attachments: typeof m.attachments === 'string' ? (JSON.parse(m.attachments) as MailAttachment[]) : (m.attachments ?? []),
    },
  }));
}

/**
 * Sends due messages: claims them, sends each, deletes each as soon as the server took it,
 * backs off on failure. A worker that dies mid-batch leaves its unsent messages leased; after
 * the lease another pass sends them. Delivery is at-least-once: only a crash between the
 * server accepting a message and its delete can repeat it, never lose it.
 */
export async function deliverMail(
  db: Db,
  transport: MailTransport,
  opts: { batch?: number; leaseMs?: number } = {},
): Promise<{ sent: number; failed: number }> {
  const claimed = await claimMail(db, opts);
  let sent = 0;
  let failed = 0;
  for (const m of claimed) {
    try {
      await transport.send(m.msg);
    } catch (err) {
      failed++;
      await backOff(db, mailOutbox, [m.id], m.attempts, String(err instanceof Error ? err.message : err));
      continue;
    }
    // The outbox row goes; the application's email history keeps that it was delivered.
    await db
      .update(applicationEmails)
      .set({ sentAt: new Date() })
      .where(inArray(applicationEmails.outboxId, [m.id]));
    await complete(db, mailOutbox, [m.id]);
    sent++;
  }
  return { sent, failed };
}

/** The mail outbox on the queue worker: woken by the commit of every queueMail, it delivers until nothing is due. */
export function createMailWorker(handle: Pick<DbHandle, 'db' | 'listen'>, transport: MailTransport, opts: QueueWorkerOptions = {}): QueueWorker {
  return new QueueWorker(
    handle,
    {
      table: mailOutbox,
      channel: CHANNEL,
      runBatch: async () => {
        const r = await deliverMail(handle.db, transport);
        return { claimed: r.sent + r.failed, failed: r.failed };
      },
    },
    opts,
  );
}
