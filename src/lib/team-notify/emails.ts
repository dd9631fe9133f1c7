import type { Tx } from '#db/client';
import { and, eq, inArray, or } from 'drizzle-orm';
import { applicationMessages, applications, jobFollows, jobs, members, users } from '#db/schema';
import { queueMail } from '#lib/mail-queue';
import { absolute, paths } from '#lib/paths';

/**
 * Telling the hiring team, inside the transaction that made the change: a new
 * application (members who follow the job instantly) and an offer answered
 * (whoever made the offer and every follower of the job). Only current members of
 * the job's organization are written to.
 */
interface Recipient {
  userId: string;
  email: string;
  name: string;
}

async function teamRecipients(
  tx: Pick<Tx, 'select'>,
  jobId: string,
  opts: { modes: ('instant' | 'daily')[]; alsoUserIds?: string[]; orElseEditors?: boolean },
): Promise<Recipient[]> {
  const also = (opts.alsoUserIds ?? []).filter(Boolean);
  const followers = tx
    .select({ userId: jobFollows.userId })
    .from(jobFollows)
    .where(and(eq(jobFollows.jobId, jobId), inArray(jobFollows.mode, opts.modes)));
  return tx
    .select({ userId: users.id, email: users.email, name: users.name })
    .from(jobs)
    .innerJoin(members, eq(members.orgId, jobs.orgId))
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(jobs.id, jobId), also.length ? or(inArray(members.userId, followers), inArray(members.userId, also)) : inArray(members.userId, followers)))
    .then(async (found) => {
      if (found.length || !opts.orElseEditors) return found;
      // Nobody follows the job or wrote in the thread: the organization's admins and hiring managers hear it.
      return tx
        .select({ userId: users.id, email: users.email, name: users.name })
        .from(jobs)
        .innerJoin(members, eq(members.orgId, jobs.orgId))
        .innerJoin(users, eq(users.id, members.userId))
        .where(and(eq(jobs.id, jobId), inArray(members.role, ['admin', 'hiring_manager'])));
    });
}

/** The candidate wrote in the thread: the members who wrote in it and the job's followers are emailed (else its admins and hiring managers). */
export async function notifyCandidateMessage(
  tx: Tx,
  siteUrl: string,
  m: { applicationId: string; jobId: string; jobTitle: string; candidate: string; body: string },
): Promise<number> {
  const writers = await tx
    .selectDistinct({ userId: applicationMessages.authorId })
    .from(applicationMessages)
    .where(and(eq(applicationMessages.applicationId, m.applicationId), eq(applicationMessages.sender, 'team')));
  const to = await teamRecipients(tx, m.jobId, {
    modes: ['instant', 'daily'],
    alsoUserIds: writers.map((w) => w.userId).filter((x): x is string => x !== null),
    orElseEditors: true,
  });
  const url = absolute(siteUrl, `${paths.application(m.applicationId)}#messages`);
  for (const r of to) {
    await queueMail(
      tx,
      {
        to: r.email,
        subject: `${m.candidate} wrote about ${m.jobTitle}`,
        text: `Hi ${r.name},\n\n${m.candidate} wrote:\n\n${m.body}\n\nAnswer on the application page: ${url}\n`,
      },
      { applicationId: m.applicationId, recipient: 'team' },
    );
  }
  return to.length;
}

/** One email per instant follower of the job, about a new application. */
export async function notifyNewApplication(tx: Tx, siteUrl: string, applicationId: string): Promise<number> {
  const [a] = await tx
    .select({ jobId: jobs.id, jobTitle: jobs.title, candidate: users.name })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(users, eq(users.id, applications.candidateId))
    .where(eq(applications.id, applicationId));
  if (!a) return 0;
  const to = await teamRecipients(tx, a.jobId, { modes: ['instant'] });
  const url = absolute(siteUrl, paths.application(applicationId));
  for (const r of to) {
    await queueMail(
      tx,
      {
        to: r.email,
        subject: `New application for ${a.jobTitle}: ${a.candidate}`,
        text: `Hi ${r.name},\n\n${a.candidate} applied for ${a.jobTitle}.\n\nOpen the application: ${url}\n\nYou get this because you follow this job instantly; change it on the job's pipeline page: ${absolute(siteUrl, paths.pipeline(a.jobId))}\n`,
      },
      { applicationId, recipient: 'team' },
    );
  }
  return to.length;
}

export interface OfferAnswer {
  applicationId: string;
  jobId: string;
  jobTitle: string;
  candidate: string;
  accepted: boolean;
  offerCreatorId: string | null;
  /** All openings filled by this hire: the email asks whether to close the posting. */
  openingsFilled: boolean;
}

/** The offer's author and every follower of the job hear that the candidate answered. */
export async function notifyOfferAnswered(tx: Tx, siteUrl: string, o: OfferAnswer): Promise<number> {
  const to = await teamRecipients(tx, o.jobId, { modes: ['instant', 'daily'], alsoUserIds: o.offerCreatorId ? [o.offerCreatorId] : [] });
  const verb = o.accepted ? 'accepted' : 'declined';
  const lines = [`${o.candidate} ${verb} the offer for ${o.jobTitle}.`, '', `The application: ${absolute(siteUrl, paths.application(o.applicationId))}`];
  if (o.openingsFilled)
    lines.push('', `Every opening of this posting is now filled. Close the posting from its pipeline page: ${absolute(siteUrl, paths.pipeline(o.jobId))}`);
  for (const r of to) {
    await queueMail(
      tx,
      { to: r.email, subject: `Offer ${verb}: ${o.candidate}, ${o.jobTitle}`, text: `Hi ${r.name},\n\n${lines.join('\n')}\n` },
      { applicationId: o.applicationId, recipient: 'team' },
    );
  }
  return to.length;
}
