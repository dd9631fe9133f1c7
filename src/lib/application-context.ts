import { and, eq } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import type { Db } from '#db/client';
import { applications, jobs, organizations, users } from '#db/schema';
import { notFound } from '#lib/shared/errors';

/**
 * An application with what names it: its job, the job's organization and the candidate.
 * Offers, messages, moves, notifications, interviews and scorecard reminders all start here;
 * callers add their own columns, joins and filters to the select this returns.
 *
 * `applications.candidate_id` is nullable (anonymized applications keep their history but
 * not their person), so the candidate is joined one of two ways, and the choice is the
 * caller's rule, not a detail:
 * - `withCandidate`: inner join, anonymized applications are left out (emails, offers,
 *   interviews: there is nobody to write to);
 * - `withOptionalCandidate`: left join, the team still sees anonymized applications and the
 *   candidate's columns are null.
 *
 * A file directly under src/lib (not in applications/): interviews/ and scorecards/ use it,
 * and applications/ already imports their event names, so a folder import would be a cycle.
 */
const applicationContextFields = {
  applicationId: applications.id,
  candidateId: applications.candidateId,
  candidateName: users.name,
  candidateEmail: users.email,
  jobId: jobs.id,
  jobTitle: jobs.title,
  orgId: jobs.orgId,
  orgName: organizations.name,
};

type Reader = Pick<Db, 'select'>;

function base<F extends SelectedFields>(db: Reader, fields: F) {
  return db
    .select({ ...applicationContextFields, ...fields })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(organizations, eq(organizations.id, jobs.orgId));
}

/** Applications that still belong to a person, with job, organization, candidate and the caller's `fields`. */
export function withCandidate<F extends SelectedFields>(db: Reader, fields: F) {
  return base(db, fields).innerJoin(users, eq(users.id, applications.candidateId));
}

/** Every application, anonymized ones included (candidate columns null), with job, organization and the caller's `fields`. */
export function withOptionalCandidate<F extends SelectedFields>(db: Reader, fields: F) {
  return base(db, fields).leftJoin(users, eq(users.id, applications.candidateId));
}

/**
 * The organization's scope check on an application: `fields` of the application when its job belongs
 * to `orgId`, and the same 404 as a missing id when it does not (another organization's ids say nothing).
 */
export async function orgApplication<F extends SelectedFields>(db: Reader, orgId: string, applicationId: string, fields: F) {
  const [r] = await db
    .select({ applicationId: applications.id, ...fields })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(eq(applications.id, applicationId), eq(jobs.orgId, orgId)));
  if (!r) throw notFound();
  return r;
}
