import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { retryState, serialId, stamp } from './columns';

/** An attachment as the outbox keeps it (text content, e.g. an .ics file). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/**
 * Outgoing mail, queued in the transaction that decided to send it and delivered
 * by a worker with retries: a message survives a mail-server outage and a restart.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: serialId(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    /** Small text attachments (calendar invitations): filename, content type, content. */
    attachments: jsonb('attachments').$type<MailAttachment[]>().notNull().default([]),
    ...retryState,
    createdAt: stamp('created_at'),
  },
  (t) => [index('mail_outbox_available_idx').on(t.availableAt, t.id)],
);

/**
 * Server-side secrets generated on first use and shared by every process through
 * the database (e.g. the key that signs unsubscribe links), so a deployment needs
 * no extra configuration and every replica agrees.
 */
export const appSecrets = pgTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: stamp('created_at'),
});
