import { and, asc, eq, gt, inArray, lte, ne, notExists } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '#db/client';
import { applications, interviewInterviewers, interviews, members, scorecardReminders, scorecards, users } from '#db/schema';
import { withCandidate } from '#lib/application-context';
import { escapeHtml } from '#lib/mail';
import { queueMail } from '#lib/mail-queue';
import { absolute, paths } from '#lib/paths';
import { interviewName } from '#lib/interviews/labels';

/**
 * "Scorecard due": one email to each interviewer whose scorecard is not in SCORECARD_DUE_HOURS
 * after the interview ended. 24 hours because feedback is most accurate written the same day,
 * yet PHP/IOP clinicians run groups until late afternoon and write their notes at the end of
 * it: a reminder sooner would nag people about to write it that evening, while one the next
 * morning still catches the interview fresh. Interviews that ended more than
 * SCORECARD_REMINDER_WINDOW_DAYS ago get none (the first sweep after a deploy must not mail
 * about last year's interviews).
 *
 * Exactly once, with any number of server instances: the reminder row's primary key
 * (interview, interviewer) is inserted in the same transaction that queues the email; a second
 * sweep that found the same pair waits on that key and inserts nothing, so queues nothing.
 */
export const SCORECARD_DUE_HOURS = 24;
export const SCORECARD_REMINDER_WINDOW_DAYS = 14;

export async function sendScorecardReminders(db: Db, opts: { siteUrl: string; now?: Date; limit?: number }): Promise<{ sent: number }> {
  const now = opts.now ?? new Date();
  const dueBefore = new Date(now.getTime() - SCORECARD_DUE_HOURS * 3_600_000);
  const windowStart = new Date(now.getTime() - SCORECARD_REMINDER_WINDOW_DAYS * 86_400_000);
  const interviewer = alias(users, 'interviewer');
  // Inner join on the candidate (withCandidate): an anonymized application's interviews ask for no feedback.
  const due = await withCandidate(db, {
    interviewId: interviews.id,
    kind: interviews.kind,
    customKind: interviews.customKind,
    userId: interviewInterviewers.userId,
    email: interviewer.email,
    name: interviewer.name,
  })
    .innerJoin(interviews, eq(interviews.applicationId, applications.id))
    .innerJoin(interviewInterviewers, eq(interviewInterviewers.interviewId, interviews.id))
    .innerJoin(interviewer, eq(interviewer.id, interviewInterviewers.userId))
    // Still a member of the organization: someone who left is not asked for feedback.
    .innerJoin(members, and(eq(members.orgId, interviews.orgId), eq(members.userId, interviewInterviewers.userId)))
    .where(
      and(
        inArray(interviews.status, ['scheduled', 'completed']),
        lte(interviews.endsAt, dueBefore),
        gt(interviews.endsAt, windowStart),
        ne(applications.stage, 'withdrawn'),
        notExists(
          db
            .select({ id: scorecards.id })
            .from(scorecards)
            .where(and(eq(scorecards.interviewId, interviews.id), eq(scorecards.authorId, interviewInterviewers.userId))),
        ),
        notExists(
          db
            .select({ id: scorecardReminders.interviewId })
            .from(scorecardReminders)
            .where(and(eq(scorecardReminders.interviewId, interviews.id), eq(scorecardReminders.userId, interviewInterviewers.userId))),
        ),
      ),
    )
    .orderBy(asc(interviews.endsAt), asc(interviews.id), asc(interviewInterviewers.userId))
    .limit(opts.limit ?? 200);

  let sent = 0;
  for (const d of due) {
    const queued = await db.transaction(async (tx) => {
      const [claimed] = await tx
        .insert(scorecardReminders)
        .values({ interviewId: d.interviewId, userId: d.userId, sentAt: now })
        .onConflictDoNothing()
        .returning({ interviewId: scorecardReminders.interviewId });
      if (!claimed) return false;
      await queueMail(tx, reminderEmail(opts.siteUrl, d, interviewName(d)));
      return true;
    });
    if (queued) sent++;
  }
  return { sent };
}

function reminderEmail(site: string, d: { email: string; name: string; applicationId: string; candidateName: string; jobTitle: string }, interview: string) {
  const link = absolute(site, `${paths.application(d.applicationId)}#scorecards`);
  const text = [
    `Hi ${d.name},`,
    '',
    `Your scorecard for the ${interview.toLowerCase()} with ${d.candidateName} (${d.jobTitle}) is due: the interview ended more than ${SCORECARD_DUE_HOURS} hours ago.`,
    '',
    `Rate each competency in the interview kit and give your overall recommendation here: ${link}`,
    '',
    'Scorecards are independent: you see your colleagues’ feedback once yours is in.',
  ].join('\n');
  const html = `<p>Hi ${escapeHtml(d.name)},</p><p>Your scorecard for the ${escapeHtml(interview.toLowerCase())} with ${escapeHtml(d.candidateName)} (${escapeHtml(d.jobTitle)}) is due: the interview ended more than ${SCORECARD_DUE_HOURS} hours ago.</p><p><a href="${escapeHtml(link)}">Submit your scorecard</a></p><p>Scorecards are independent: you see your colleagues’ feedback once yours is in.</p>`;
  return { to: d.email, subject: `Scorecard due: ${d.candidateName}, ${d.jobTitle}`, text, html };
}
