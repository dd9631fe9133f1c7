import type { Db } from '#db/client';
import { applications } from '#db/schema';
import type { ApplicationStage } from '#lib/applications/stages';
import type { TeamActor } from '#lib/applications/access';
import { makeJob, makeMember, makeOrg, makeUser, type Job, type Member } from './factories';

/** An application row in any stage (as if the candidate applied and the team moved it), for offer, message and notification tests. */
export async function makeApplication(
  db: Db,
  jobId: string,
  candidateId: string,
  stage: ApplicationStage = 'interview',
): Promise<{ id: string; version: number }> {
  const [a] = await db
    .insert(applications)
    .values({ jobId, candidateId, stage, rejectionReason: stage === 'rejected' ? 'Other' : null })
    .returning({ id: applications.id, version: applications.version });
  return a!;
}

export const actorOfMember = (m: Member): TeamActor => ({ userId: m.userId, orgId: m.orgId, role: m.role });

/** An organization with an admin, a hiring manager and a recruiter, a posting (yearly $60,000–$75,000 unless `job` says otherwise), and a candidate in Interview. */
export async function hiringSetup(db: Db, job: Parameters<typeof makeJob>[2] = {}) {
  const org = await makeOrg(db);
  const admin = await makeMember(db, org.id, 'admin', 'Ada Admin');
  const manager = await makeMember(db, org.id, 'hiring_manager', 'Mo Manager');
  const recruiter = await makeMember(db, org.id, 'recruiter', 'Rae Recruiter');
  const j: Job = await makeJob(db, org.id, job);
  const candidate = await makeUser(db, { name: 'Casey Candidate' });
  const app = await makeApplication(db, j.id, candidate.id);
  return { org, admin, manager, recruiter, job: j, candidate, app };
}
