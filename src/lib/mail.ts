import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailAttachment } from '#db/schema';

/**
 * The SMTP side of outgoing email. With SMTP_URL it goes to that server; without, each
 * message is written as an .eml file under DATA_DIR/mail so a developer can open it.
 *
 * Only the mail worker (deliverMail in mail-queue.ts) holds a transport. Services never
 * send: they enqueue with queueMail(tx, msg) inside the transaction that decides to send,
 * so a message exists exactly when the change that caused it committed.
 */
export interface MailTransport {
  send(msg: MailMessage): Promise<void>;
  /** Where .eml files go when there is no SMTP server (undefined with SMTP). */
  outbox?: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  /** Small text attachments, e.g. a calendar invitation (`text/calendar; method=REQUEST`). */
  attachments?: MailAttachment[];
}

/** Text into an HTML email body or attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function createMailTransport(opts: { smtpUrl?: string; dataDir: string; from: string }): MailTransport {
  if (opts.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(opts.smtpUrl);
    return {
      send: async (msg) => {
        await transport.sendMail({ from: opts.from, ...msg });
      },
    };
  }
  const dir = path.join(opts.dataDir, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    outbox: dir,
    send: async (msg) => {
      const info = await transport.sendMail({ from: opts.from, ...msg });
      fs.mkdirSync(dir, { recursive: true });
      const safeTo = msg.to.replace(/[^a-zA-Z0-9@._-]/g, '_');
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${safeTo}-${crypto.randomBytes(4).toString('hex')}.eml`;
      fs.writeFileSync(path.join(dir, name), info.message as Buffer);
    },
  };
}
