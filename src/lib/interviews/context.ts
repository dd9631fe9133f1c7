import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '#db/client';
import type { MemberRole } from '#lib/domain/taxonomy';
import { applications, interviewInterviewers, interviews, jobs, users } from '#db/schema';
import { withCandidate } from '#lib/application-context';

/**
 * Everything an interview's emails and invitations name, read in the transaction that sends them:
 * the interview, its application's candidate and job, the organization, the interviewers and the
 * organizer (whoever proposed it; the first interviewer when that member is gone).
 */
export type InterviewRow = typeof interviews.$inferSelect;
export interface Person {
  id: string;
  name: string;
  email: string;
}
export interface InterviewContext {
  interview: InterviewRow;
  candidate: Person;
  job: { id: string; title: string; city: string; state: string };
  orgName: string;
  interviewers: Person[];
  organizer: Person;
}

type Reader = Pick<Db, 'select'>;

/** A member acting for their organization (the shape the guards hand to services). */
export interface InterviewActor {
  userId: string;
  orgId: string;
  role: MemberRole;
}

export async function interviewContext(tx: Reader, interviewId: string): Promise<InterviewContext | null> {
  // Inner join on the candidate: an anonymized application's interview has nobody to invite.
  const [r] = await withCandidate(tx, { interview: interviews, candidate: { id: users.id, name: users.name, email: users.email }, job: jobs })
    .innerJoin(interviews, eq(interviews.applicationId, applications.id))
    .where(eq(interviews.id, interviewId))
    .limit(1);
  if (!r) return null;
  const interviewers = await tx
    .select({ id: users.id, name: users.name, email: users.email })
    .from(interviewInterviewers)
    .innerJoin(users, eq(users.id, interviewInterviewers.userId))
    .where(eq(interviewInterviewers.interviewId, interviewId))
    .orderBy(asc(users.name));
  let organizer = interviewers[0] ?? r.candidate;
  if (r.interview.createdBy) {
    const [creator] = await tx.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, r.interview.createdBy));
    if (creator) organizer = creator;
  }
  return {
    interview: r.interview,
    candidate: r.candidate,
    job: { id: r.job.id, title: r.job.title, city: r.job.city, state: r.job.state },
    orgName: r.orgName,
    interviewers,
    organizer,
  };
}

/** The hiring team to tell about this interview: its interviewers and its organizer, once each. */
export function teamOf(c: InterviewContext): Person[] {
  const seen = new Map<string, Person>();
  for (const p of [c.organizer, ...c.interviewers]) if (p.id !== c.candidate.id) seen.set(p.email, p);
  return [...seen.values()];
}

/** The interviewers' names by id (for the team's page). */
export async function interviewersOf(db: Pick<Db, 'select'>, interviewIds: string[]) {
  if (!interviewIds.length) return [];
  return db
    .select({ interviewId: interviewInterviewers.interviewId, userId: users.id, name: users.name })
    .from(interviewInterviewers)
    .innerJoin(users, eq(users.id, interviewInterviewers.userId))
    .where(and(inArray(interviewInterviewers.interviewId, interviewIds)))
    .orderBy(asc(users.name));
}
