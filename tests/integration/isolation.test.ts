import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { invitations, jobs, members } from '#db/schema';
import { requireMember } from '#lib/web/guards';
import { ALL_ROLES, JOB_EDITORS, ORG_ADMINS } from '#lib/domain/roles';
import type { SessionUser } from '#lib/auth/types';
import type { MemberRole } from '#lib/domain/taxonomy';
import { closeJob, createJob, duplicateJob, getOrgJob, publishJob, renewJob, updateJob } from '#lib/jobs/service';
import { changeMemberRole, inviteMember, removeMember, revokeInvitation } from '#lib/orgs/service';
import { jobInput, makeTeam, makeUser, type Team } from '../helpers/factories';
import { fakeMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

/**
 * Cross-organization isolation at the guard and service layer: for every role
 * in organization A, every operation on organization B's objects fails with the
 * very error a missing id gets. (tests/e2e/employer-security.test.ts does the
 * same over HTTP against the built server.)
 */
const NOT_FOUND = { code: 'not_found', message: 'We could not find that page.' };
const MISSING = '00000000-0000-4000-8000-000000000000';

describe.skipIf(!hasPostgres)(`cross-organization isolation (${skipReason})`, () => {
  const h = useTestDb();
  let A: Team;
  let B: Team;
  let bJob: string;
  let bInvitation: string;
  const usersOf = (t: Team): Record<MemberRole, SessionUser> => ({
    admin: t.admin,
    hiring_manager: t.hiringManager,
    recruiter: t.recruiter,
  });
  const locals = (user: SessionUser | null) => ({ user, session: null });

  beforeAll(async () => {
    A = await makeTeam(h.db, 'Alpha Behavioral');
    B = await makeTeam(h.db, 'Bravo Behavioral');
    bJob = (await createJob(h.db, B.actors.admin, jobInput({ title: 'Bravo Draft Therapist' }))).id;
    bInvitation = (await inviteMember(h.db, fakeMail(), B.actors.admin, { email: 'someone@example.com', role: 'recruiter' })).invitationId;
  });

  it('a member of A is a stranger to B: the guard answers exactly as for a missing organization', async () => {
    for (const role of ALL_ROLES) {
      const user = usersOf(A)[role];
      for (const roles of [ALL_ROLES, JOB_EDITORS, ORG_ADMINS]) {
        for (const ref of [B.org.id, B.org.slug, B.org.slug.toUpperCase()]) {
          await expect(requireMember(h.db, locals(user), ref, roles), `${role} → ${ref}`).rejects.toMatchObject(NOT_FOUND);
        }
        await expect(requireMember(h.db, locals(user), MISSING, roles)).rejects.toMatchObject(NOT_FOUND);
        await expect(requireMember(h.db, locals(user), 'no-such-org', roles)).rejects.toMatchObject(NOT_FOUND);
      }
      // Their own organization: admitted, or refused for the role (403) — never confused with B.
      await expect(requireMember(h.db, locals(user), A.org.slug, ALL_ROLES)).resolves.toMatchObject({
        orgId: A.org.id,
        role,
      });
      const asAdmin = requireMember(h.db, locals(user), A.org.slug, ORG_ADMINS);
      if (role === 'admin') await expect(asAdmin).resolves.toMatchObject({ orgId: A.org.id, role });
      else
        await expect(asAdmin).rejects.toMatchObject({
          code: 'forbidden',
          message: 'Your role in this organization does not allow that.',
        });
    }
    await expect(requireMember(h.db, locals(null), B.org.slug)).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('an actor of A reaching B’s postings, members and invitations gets not-found, and nothing changes', async () => {
    const bMemberIds = [B.admin.id, B.hiringManager.id, B.recruiter.id];
    for (const role of ALL_ROLES) {
      const actor = A.actors[role];
      const ops: Record<string, (id: string) => Promise<unknown>> = {
        updateJob: (id) => updateJob(h.db, actor, id, jobInput()),
        publishJob: (id) => publishJob(h.db, actor, id),
        closeJob: (id) => closeJob(h.db, actor, id),
        renewJob: (id) => renewJob(h.db, actor, id),
        duplicateJob: (id) => duplicateJob(h.db, actor, id),
      };
      for (const [name, op] of Object.entries(ops)) {
        const expected = JOB_EDITORS.includes(role) ? NOT_FOUND : { code: 'forbidden', message: 'Only admins and hiring managers can change postings.' };
        await expect(op(bJob), `${role} ${name}(B's job)`).rejects.toMatchObject(expected);
        await expect(op(MISSING), `${role} ${name}(missing)`).rejects.toMatchObject(expected);
      }
      expect(await getOrgJob(h.db, actor.orgId, bJob)).toBeNull();
      if (role === 'admin') {
        for (const id of bMemberIds) {
          await expect(changeMemberRole(h.db, actor, id, 'recruiter')).rejects.toMatchObject(NOT_FOUND);
          await expect(removeMember(h.db, actor, id)).rejects.toMatchObject(NOT_FOUND);
        }
        await expect(changeMemberRole(h.db, actor, MISSING, 'recruiter')).rejects.toMatchObject(NOT_FOUND);
        await expect(revokeInvitation(h.db, actor, bInvitation)).rejects.toMatchObject(NOT_FOUND);
        await expect(revokeInvitation(h.db, actor, MISSING)).rejects.toMatchObject(NOT_FOUND);
      }
    }
    const [job] = await h.db.select().from(jobs).where(eq(jobs.id, bJob));
    expect(job!.status).toBe('draft');
    expect(await h.db.select().from(members).where(eq(members.orgId, B.org.id))).toHaveLength(3);
    const [inv] = await h.db.select().from(invitations).where(eq(invitations.id, bInvitation));
    expect(inv!.revokedAt).toBeNull();
  });

  it('a user in both organizations acts in each only with that organization’s role', async () => {
    const both = await makeUser(h.db);
    await h.db.insert(members).values([
      { orgId: A.org.id, userId: both.id, role: 'admin' },
      { orgId: B.org.id, userId: both.id, role: 'recruiter' },
    ]);
    expect((await requireMember(h.db, locals(both), A.org.slug, ORG_ADMINS)).role).toBe('admin');
    await expect(requireMember(h.db, locals(both), B.org.slug, ORG_ADMINS)).rejects.toMatchObject({
      code: 'forbidden',
    });
    const inB = await requireMember(h.db, locals(both), B.org.slug);
    await expect(closeJob(h.db, { ...inB, emailVerified: true }, bJob)).rejects.toMatchObject({ code: 'forbidden' });
  });
});
