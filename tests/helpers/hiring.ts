import type { Db } from '#db/client';
import type { TeamActor } from '#lib/applications/access';
import { makeApplication, makeJob, makeMember, makeOrg, makeUser, type Job, type Member } from './factories';

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
