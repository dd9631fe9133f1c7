import { eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { orgApplication } from '#lib/application-context';
import { applications, interviews, jobs } from '#db/schema';
import { requireMember, requireUser, type AuthLocals, type MemberContext } from '#lib/web/guards';
import { ALL_ROLES } from '#lib/domain/roles';
import type { MemberRole } from '#lib/domain/taxonomy';
import { notFound } from '#lib/shared/errors';
import { isUuid } from '#lib/orgs/queries';

/**
 * Who may act on a job's or an application's applicants: members of the
 * organization that owns the job. The organization comes from the row, never
 * from the request; anyone else — another organization's member included —
 * gets exactly the not-found a missing id gets.
 */
export interface TeamActor {
  userId: string;
  orgId: string;
  role: MemberRole;
}

export async function orgOfJob(db: Pick<Db, 'select'>, jobId: string): Promise<string | null> {
  if (!isUuid(jobId)) return null;
  const [r] = await db.select({ orgId: jobs.orgId }).from(jobs).where(eq(jobs.id, jobId)).limit(1);
  return r?.orgId ?? null;
}

export async function orgOfApplication(db: Pick<Db, 'select'>, applicationId: string): Promise<string | null> {
  if (!isUuid(applicationId)) return null;
  const [r] = await db
    .select({ orgId: jobs.orgId })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(eq(applications.id, applicationId))
    .limit(1);
  return r?.orgId ?? null;
}

async function memberOf(db: Db, locals: AuthLocals, orgId: string | null, roles: readonly MemberRole[]): Promise<MemberContext> {
  requireUser(locals); // signed-out first: they are sent to sign in, whatever the id
  if (!orgId) throw notFound();
  return requireMember(db, locals, orgId, roles);
}

export async function teamForJob(db: Db, locals: AuthLocals, jobId: string, roles: readonly MemberRole[] = ALL_ROLES): Promise<MemberContext> {
  return memberOf(db, locals, await orgOfJob(db, jobId), roles);
}

export async function teamForApplication(db: Db, locals: AuthLocals, applicationId: string, roles: readonly MemberRole[] = ALL_ROLES): Promise<MemberContext> {
  return memberOf(db, locals, await orgOfApplication(db, applicationId), roles);
}

/** The organization for org-wide pages (screening, export, templates): `org` when given, else the user's active one. */
export async function teamForOrg(
  db: Db,
  locals: AuthLocals & { membership?: { orgId: string } | null },
  org: string | null | undefined,
  roles: readonly MemberRole[] = ALL_ROLES,
): Promise<MemberContext> {
  requireUser(locals);
  const ref = org || locals.membership?.orgId;
  if (!ref) throw notFound();
  return requireMember(db, locals, ref, roles);
}

/** The member acting on an interview: of the organization that owns the interview row, or the same 404 as a missing id. */
export async function teamForInterview(db: Db, locals: AuthLocals, interviewId: string, roles: readonly MemberRole[] = ALL_ROLES): Promise<MemberContext> {
  requireUser(locals);
  if (!isUuid(interviewId)) throw notFound();
  const [r] = await db.select({ orgId: interviews.orgId }).from(interviews).where(eq(interviews.id, interviewId)).limit(1);
  return memberOf(db, locals, r?.orgId ?? null, roles);
}

export const actorOf = (m: MemberContext): TeamActor => ({ userId: m.userId, orgId: m.orgId, role: m.role });

/**
 * The application's candidate, when the application belongs to the actor's organization (not found
 * otherwise). A scope check, not a lock: notes, ratings and verifications are rows of their own, so
 * concurrent writers cannot overwrite each other; stage moves lock through their version instead.
 */
export async function ownedApplication(tx: Pick<Db, 'select'>, actor: TeamActor, applicationId: string): Promise<{ candidateId: string | null }> {
  return orgApplication(tx, actor.orgId, applicationId, { candidateId: applications.candidateId });
}
