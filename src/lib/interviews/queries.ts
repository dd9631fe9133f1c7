import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { orgApplication } from '#lib/application-context';
import { interviews, jobs, members, users } from '#db/schema';
import { jobTimeZone } from '#lib/domain/time-zones';
import { interviewersOf, type InterviewActor } from './context';
import { slotAvailability, type SlotView } from './scheduling';

/** The hiring team's view of an application's interviews, and who may interview (the organization's members). */
export interface TeamInterview {
  interview: typeof interviews.$inferSelect;
  interviewers: { userId: string; name: string }[];
  slots: SlotView[];
}

export async function interviewsForTeam(db: Db, actor: InterviewActor, applicationId: string, now = new Date()) {
  const app = await orgApplication(db, actor.orgId, applicationId, { state: jobs.state });
  const list = await db
    .select()
    .from(interviews)
    .where(and(eq(interviews.applicationId, applicationId), eq(interviews.orgId, actor.orgId)))
    .orderBy(desc(interviews.createdAt));
  const people = await interviewersOf(
    db,
    list.map((i) => i.id),
  );
  const out: TeamInterview[] = [];
  for (const i of list) {
    out.push({
      interview: i,
      interviewers: people.filter((p) => p.interviewId === i.id).map((p) => ({ userId: p.userId, name: p.name })),
      slots: i.status === 'proposed' ? await slotAvailability(db, i.id, now) : [],
    });
  }
  const team = await db
    .select({ userId: users.id, name: users.name })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.orgId, actor.orgId))
    .orderBy(asc(users.name));
  return { interviews: out, team, defaultZone: jobTimeZone(app.state) };
}
