import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { applicationEvents, applications, jobs, organizations, users } from '../../../db/schema';
import type { Mailer } from '../mail';
import { absolute } from '../paths';
import { appPaths } from './paths';
import { EVENT_KINDS } from './stages';
import { renderTemplate, type NotifyStage } from './templates';
import { templateFor } from './templates.server';

/** How services reach the candidate: the mailer and the public site's origin (for links). */
export interface Notifier {
  mailer: Mailer;
  siteUrl: string;
}

/**
 * Emails the candidate about their application with the organization's
 * template for `stage`, after the change committed. A mail failure never
 * undoes the change: it is logged, and the audit trail records only emails
 * that went out.
 */
export async function notifyCandidate(db: Db, notifier: Notifier | undefined, applicationId: string, stage: NotifyStage): Promise<boolean> {
  if (!notifier) return false;
  try {
    const [r] = await db
      .select({
        email: users.email,
        name: users.name,
        jobTitle: jobs.title,
        city: jobs.city,
        state: jobs.state,
        orgId: organizations.id,
        orgName: organizations.name,
      })
      .from(applications)
      .innerJoin(users, eq(users.id, applications.candidateId))
      .innerJoin(jobs, eq(jobs.id, applications.jobId))
      .innerJoin(organizations, eq(organizations.id, jobs.orgId))
      .where(eq(applications.id, applicationId))
      .limit(1);
    if (!r) return false;
    const tpl = await templateFor(db, r.orgId, stage);
    const msg = renderTemplate(tpl, {
      candidateName: r.name,
      jobTitle: r.jobTitle,
      organization: r.orgName,
      jobLocation: `${r.city}, ${r.state}`,
      applicationUrl: absolute(notifier.siteUrl, appPaths.myApplication(applicationId)),
    });
    await notifier.mailer.send({ to: r.email, subject: msg.subject, text: msg.body });
    await db.insert(applicationEvents).values({ applicationId, actorId: null, kind: EVENT_KINDS.candidateEmailed, data: { stage, subject: msg.subject } });
    return true;
  } catch (err) {
    console.error('[applications] candidate email failed', err);
    return false;
  }
}
