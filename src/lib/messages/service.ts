import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '#db/client';
import { applicationEmails, applicationEvents, applicationMessages, applications, jobs, mailOutbox, users } from '#db/schema';
import { withOptionalCandidate } from '#lib/application-context';
import type { TeamActor } from '#lib/applications/access';
import { EVENT_KINDS } from '#lib/applications/stages';
import { queueMail, type MailDeps } from '#lib/mail-queue';
import { absolute, paths } from '#lib/paths';
import { enforce, keys, POLICIES } from '#lib/ratelimit';
import { conflict, notFound } from '#lib/shared/errors';
import { parseOrThrow } from '#lib/shared/forms';
import { text } from '#lib/shared/text';
import { notifyCandidateMessage } from '#lib/team-notify/emails';
import type { ClockOpts } from '#lib/shared/clock';

/**
 * The thread between an application's hiring team and its candidate. Plain text,
 * bounded, rate-limited per author and per thread. Each message is emailed to the
 * other side in the transaction that stores it; the candidate answers in their
 * account (no inbound mail). Team members see only their organization's threads,
 * candidates only their own.
 */
export const MESSAGE_MAX = 4000;

export const messageSchema = z.object({
  applicationId: z.uuid({ error: 'Unknown application.' }),
  body: text({ error: 'Write the message.' })
    .trim()
    .min(1, 'Write the message.')
    .max(MESSAGE_MAX, `Keep messages under ${MESSAGE_MAX.toLocaleString('en-US')} characters.`),
});
export type MessageInput = z.input<typeof messageSchema>;

async function limit(db: Db, authorId: string, applicationId: string, now: Date) {
  await enforce(
    db,
    [
      { key: keys.id('messageAuthor', authorId), policy: POLICIES.messageAuthor },
      { key: keys.id('messageThread', applicationId), policy: POLICIES.messageThread },
    ],
    now,
  );
}

function thread(db: Pick<Db, 'select'>, where: ReturnType<typeof and>) {
  // Left join: the team still reads an anonymized application's thread (there is just nobody to write to).
  return withOptionalCandidate(db, {}).where(where).limit(1);
}

type Thread = Awaited<ReturnType<typeof thread>>[number];

/** The application's thread for a member of its organization; another organization's id is the same 404 as a missing one. */
async function teamThread(db: Db, actor: TeamActor, applicationId: string): Promise<Thread> {
  const [t] = await thread(db, and(eq(applications.id, applicationId), eq(jobs.orgId, actor.orgId)));
  if (!t) throw notFound();
  return t;
}

interface Side<T extends Thread> {
  sender: 'team' | 'candidate';
  authorId: string;
  /** The thread the author may write in (or the error saying why not), before anything is counted or written. */
  find: (applicationId: string) => Promise<T>;
  /** Emails the other side, inside the transaction that stores the message. */
  tell: (tx: Tx, t: T, body: string) => Promise<unknown>;
}

/**
 * Either side's message: the input checked, the author's and the thread's rate limits, then one transaction
 * with the message, its event and the email to the other side (never a message without its email).
 */
async function send<T extends Thread>(db: Db, raw: MessageInput, opts: ClockOpts, side: Side<T>): Promise<{ messageId: string }> {
  const v = parseOrThrow(messageSchema, raw);
  const now = opts.now ?? new Date();
  const t = await side.find(v.applicationId);
  await limit(db, side.authorId, t.applicationId, now);
  return db.transaction(async (tx) => {
    const [m] = await tx
      .insert(applicationMessages)
      .values({ applicationId: t.applicationId, authorId: side.authorId, sender: side.sender, body: v.body, createdAt: now })
      .returning({ id: applicationMessages.id });
    await tx
      .insert(applicationEvents)
      .values({ applicationId: t.applicationId, actorId: side.authorId, kind: EVENT_KINDS.messageSent, data: { sender: side.sender }, createdAt: now });
    await side.tell(tx, t, v.body);
    return { messageId: m!.id };
  });
}

/** A team member writes to the candidate; the candidate is emailed in the same transaction. */
export async function sendTeamMessage(db: Db, deps: MailDeps, actor: TeamActor, raw: MessageInput, opts: ClockOpts = {}): Promise<{ messageId: string }> {
  return send(db, raw, opts, {
    sender: 'team',
    authorId: actor.userId,
    find: async (applicationId) => {
      const t = await teamThread(db, actor, applicationId);
      const to = t.candidateEmail;
      if (!to) throw conflict('This application was anonymized: there is no one to write to.');
      return { ...t, to };
    },
    tell: async (tx, t, body) => {
      const [author] = await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.userId));
      const url = absolute(deps.siteUrl, `${paths.myApplication(t.applicationId)}#messages`);
      await queueMail(
        tx,
        {
          to: t.to,
          subject: `Message from ${t.orgName} about ${t.jobTitle}`,
          text: `Hi ${t.candidateName},\n\n${author?.name ?? 'The hiring team'} at ${t.orgName} wrote:\n\n${body}\n\nReply in your account (replies to this email are not read): ${url}\n`,
        },
        { applicationId: t.applicationId, recipient: 'candidate' },
      );
    },
  });
}

/** The candidate answers on their own application; the team is emailed in the same transaction. */
export async function sendCandidateMessage(db: Db, deps: MailDeps, userId: string, raw: MessageInput, opts: ClockOpts = {}): Promise<{ messageId: string }> {
  return send(db, raw, opts, {
    sender: 'candidate',
    authorId: userId,
    find: async (applicationId) => {
      const [t] = await thread(db, and(eq(applications.id, applicationId), eq(applications.candidateId, userId)));
      if (!t) throw notFound();
      return t;
    },
    tell: (tx, t, body) =>
      notifyCandidateMessage(tx, deps.siteUrl, {
        applicationId: t.applicationId,
        jobId: t.jobId,
        jobTitle: t.jobTitle,
        candidate: t.candidateName ?? 'The candidate',
        body,
      }),
  });
}

export interface MessageView {
  id: string;
  sender: 'team' | 'candidate';
  author: string | null;
  body: string;
  createdAt: Date;
}

async function messagesOf(db: Pick<Db, 'select'>, applicationId: string): Promise<MessageView[]> {
  return db
    .select({
      id: applicationMessages.id,
      sender: applicationMessages.sender,
      author: users.name,
      body: applicationMessages.body,
      createdAt: applicationMessages.createdAt,
    })
    .from(applicationMessages)
    .leftJoin(users, eq(users.id, applicationMessages.authorId))
    .where(eq(applicationMessages.applicationId, applicationId))
    .orderBy(asc(applicationMessages.createdAt), asc(applicationMessages.id));
}

/** The thread for the application's organization (not found for anyone else). */
export async function threadForTeam(db: Db, actor: TeamActor, applicationId: string): Promise<MessageView[]> {
  await teamThread(db, actor, applicationId);
  return messagesOf(db, applicationId);
}

/** The thread for the application's candidate (empty for anyone else). */
export async function threadForCandidate(db: Db, userId: string, applicationId: string): Promise<MessageView[]> {
  const [t] = await thread(db, and(eq(applications.id, applicationId), eq(applications.candidateId, userId)));
  return t ? messagesOf(db, applicationId) : [];
}

export type DeliveryStatus = 'sent' | 'queued' | 'retrying';

export interface EmailHistoryRow {
  id: number;
  subject: string;
  recipientRole: 'candidate' | 'team';
  createdAt: Date;
  sentAt: Date | null;
  status: DeliveryStatus;
  lastError: string | null;
}

/** Every email queued about the application, newest first, with its delivery status (the organization's members only). */
export async function emailHistory(db: Db, actor: TeamActor, applicationId: string): Promise<EmailHistoryRow[]> {
  await teamThread(db, actor, applicationId);
  const rows = await db
    .select({ e: applicationEmails, attempts: mailOutbox.attempts, lastError: mailOutbox.lastError, pending: mailOutbox.id })
    .from(applicationEmails)
    .leftJoin(mailOutbox, eq(mailOutbox.id, applicationEmails.outboxId))
    .where(eq(applicationEmails.applicationId, applicationId))
    .orderBy(desc(applicationEmails.id));
  return rows.map(({ e, lastError, pending }) => ({
    id: e.id,
    subject: e.subject,
    recipientRole: e.recipientRole,
    createdAt: e.createdAt,
    sentAt: e.sentAt,
    // Delivered rows leave the outbox; one still there is waiting, or failed and will be retried.
    status: e.sentAt || pending === null ? 'sent' : lastError ? 'retrying' : 'queued',
    lastError: e.sentAt ? null : lastError,
  }));
}
