import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { PAY_PERIODS } from '../../src/lib/domain/taxonomy';
import { optionalRef, ownedBy, owner, serialId, stamp, tstz } from './columns';
import { oneOf } from './checks';
import { applications } from './applications';
import { jobs } from './jobs';
import { users } from './users';

/**
 * The hiring loop's closing rows: offers, the organization's rejection reasons,
 * the message thread with the candidate, the email history of an application and
 * the members who follow a job's new applications.
 */

export const OFFER_STATUSES = ['awaiting_approval', 'sent', 'accepted', 'declined', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const offers = pgTable(
  'offers',
  {
    ...ownedBy('applicationId', 'application_id', () => applications.id),
    /** Whole cents, so an hourly offer of $38.50 is exact. */
    payCents: integer('pay_cents').notNull(),
    payPeriod: text('pay_period', { enum: PAY_PERIODS }).notNull(),
    /** Set when the offer was made: the pay was outside the job's posted range (compared per the same period). */
    outsideRange: boolean('outside_range').notNull().default(false),
    startDate: date('start_date').notNull(),
    schedule: text('schedule').notNull(),
    note: text('note'),
    status: text('status', { enum: OFFER_STATUSES }).notNull(),
    createdBy: optionalRef('created_by', () => users.id),
    approvedBy: optionalRef('approved_by', () => users.id),
    approvedAt: tstz('approved_at'),
    sentAt: tstz('sent_at'),
    respondedAt: tstz('responded_at'),
    /** How the candidate answered: in their account or through the emailed link. */
    respondedVia: text('responded_via', { enum: ['account', 'link'] }),
    /** The emailed link stops working at this time (the account still shows the offer). */
    linkExpiresAt: tstz('link_expires_at'),
    createdAt: stamp('created_at'),
  },
  (t) => [
    index('offers_application_idx').on(t.applicationId, t.createdAt),
    // One open offer per application at a time: a new one replaces (withdraws) the old first.
    uniqueIndex('offers_one_open_uq').on(t.applicationId).where(sql`status in ('awaiting_approval', 'sent')`),
    oneOf('offers_status', 'status', OFFER_STATUSES),
    oneOf('offers_pay_period', 'pay_period', PAY_PERIODS),
    check('offers_pay_positive', sql`${t.payCents} > 0`),
  ],
);

export const MESSAGE_SENDERS = ['team', 'candidate'] as const;

/** The thread between the hiring team and the candidate, per application. Plain text. */
export const applicationMessages = pgTable(
  'application_messages',
  {
    ...ownedBy('applicationId', 'application_id', () => applications.id),
    authorId: optionalRef('author_id', () => users.id),
    sender: text('sender', { enum: MESSAGE_SENDERS }).notNull(),
    body: text('body').notNull(),
    createdAt: stamp('created_at'),
  },
  (t) => [index('application_messages_app_idx').on(t.applicationId, t.createdAt), oneOf('application_messages_sender', t.sender, ['team', 'candidate'])],
);

export const MAIL_RECIPIENT_ROLES = ['candidate', 'team'] as const;
export type MailRecipientRole = (typeof MAIL_RECIPIENT_ROLES)[number];

/**
 * Every email queued about an application (the email history). The outbox row is
 * deleted once delivered, so delivery is recorded here (sent_at) by the mail worker.
 */
export const applicationEmails = pgTable(
  'application_emails',
  {
    id: serialId(),
    applicationId: owner('application_id', () => applications.id),
    outboxId: bigint('outbox_id', { mode: 'number' }).notNull(),
    recipientRole: text('recipient_role', { enum: MAIL_RECIPIENT_ROLES }).notNull(),
    subject: text('subject').notNull(),
    createdAt: stamp('created_at'),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    index('application_emails_app_idx').on(t.applicationId, t.id),
    uniqueIndex('application_emails_outbox_uq').on(t.outboxId),
    oneOf('application_emails_role', t.recipientRole, ['candidate', 'team']),
  ],
);

export const FOLLOW_MODES = ['instant', 'daily'] as const;
export type FollowMode = (typeof FOLLOW_MODES)[number];

/** A member following a job's new applications: an email each (instant) or one a day (daily digest). */
export const jobFollows = pgTable(
  'job_follows',
  {
    jobId: owner('job_id', () => jobs.id),
    userId: owner('user_id', () => users.id),
    mode: text('mode', { enum: FOLLOW_MODES }).notNull(),
    /** Daily digests: the applications after this time are in the next one. */
    digestSince: stamp('digest_since'),
    nextDigestAt: tstz('next_digest_at').notNull(),
    createdAt: stamp('created_at'),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.userId] }),
    index('job_follows_due_idx').on(t.nextDigestAt).where(sql`mode = 'daily'`),
    oneOf('job_follows_mode', t.mode, ['instant', 'daily']),
  ],
);
