import type { Tx } from '#db/client';
import { eq } from 'drizzle-orm';
import { applicationEvents, applications, jobs } from '#db/schema';
import { withCandidate } from '#lib/application-context';
import { queueMail, type MailDeps } from '#lib/mail-queue';
import { absolute } from '#lib/paths';
import { paths } from '#lib/paths';
import { EVENT_KINDS } from './stages';
import { renderTemplate, type NotifyStage } from './templates';
import { templateFor } from './templates.server';

/** How services reach the candidate: the public site's origin (for links). */
export type Notifier = MailDeps;

/**
 * Queues the email to the candidate about their application, with the
 * organization's template for `stage`, inside the transaction that made the
 * change (apply, move): the change, its email and the audit row saying the
 * candidate was emailed commit together or not at all; the commit wakes the
 * mail worker, and SMTP trouble only delays the email.
 */
export async function notifyCandidate(tx: Tx, notifier: Notifier | undefined, applicationId: string, stage: NotifyStage): Promise<boolean> {
  if (!notifier) return false;
  // Inner join on the candidate: an anonymized application has nobody to email.
  const [r] = await withCandidate(tx, { city: jobs.city, state: jobs.state }).where(eq(applications.id, applicationId)).limit(1);
  if (!r) return false;
  const tpl = await templateFor(tx, r.orgId, stage);
  const msg = renderTemplate(tpl, {
    candidateName: r.candidateName,
    jobTitle: r.jobTitle,
    organization: r.orgName,
    jobLocation: `${r.city}, ${r.state}`,
    applicationUrl: absolute(notifier.siteUrl, paths.myApplication(applicationId)),
  });
  await queueMail(tx, { to: r.candidateEmail, subject: msg.subject, text: msg.body }, { applicationId, recipient: 'candidate' });
  await tx.insert(applicationEvents).values({
    applicationId,
    actorId: null,
    kind: EVENT_KINDS.candidateEmailed,
    data: { stage, subject: msg.subject },
  });
  return true;
}
