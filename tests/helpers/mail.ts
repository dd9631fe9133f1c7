import { asc } from 'drizzle-orm';
import type { Db } from '#db/client';
import { mailOutbox } from '#db/schema';
import type { MailMessage } from '#lib/mail';
import type { MailDeps } from '#lib/mail-queue';

/** The messages queued in mail_outbox (oldest first), as services wrote them. */
export async function queuedMail(db: Db, to?: string): Promise<MailMessage[]> {
  const rows = await db.select().from(mailOutbox).orderBy(asc(mailOutbox.id));
  return rows
    .filter((r) => !to || r.toAddress === to)
    .map((r) => ({
      to: r.toAddress,
      subject: r.subject,
      text: r.textBody,
      html: r.htmlBody ?? undefined,
      headers: r.headers,
      attachments: r.attachments,
    }));
}

/**
 * MailDeps for calling services directly: mail lands in the database's mail_outbox (read it
 * with last/all); `wakes` counts the after-commit nudges to the worker.
 */
export function fakeMail(db?: Db): MailDeps & {
  wakes: number;
  all(to?: string): Promise<MailMessage[]>;
  last(to?: string): Promise<MailMessage | undefined>;
  linkIn(msg: MailMessage | undefined): string;
} {
  const need = () => {
    if (!db) throw new Error('fakeMail(db) reads the outbox: pass the database');
    return db;
  };
  const deps = {
    wakes: 0,
    siteUrl: 'http://jobs.test',
    wake: () => void deps.wakes++,
    all: (to?: string) => queuedMail(need(), to),
    last: async (to?: string) => (await queuedMail(need(), to)).at(-1),
    linkIn: (msg: MailMessage | undefined) => {
      const m = msg?.text.match(/https?:\/\/\S+/);
      if (!m) throw new Error('no link in the message');
      return m[0];
    },
  };
  return deps;
}
