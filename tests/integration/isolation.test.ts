import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '#db/client';
import { invitations, jobs, members } from '#db/schema';
import { requireMember } from '#lib/web/guards';
import { ALL_ROLES, JOB_EDITORS, ORG_ADMINS } from '#lib/domain/roles';
import type { SessionUser } from '#lib/auth/types';
import type { MemberRole } from '#lib/domain/taxonomy';
import { ServiceError } from '#lib/shared/errors';
import { closeJob, createJob, duplicateJob, getOrgJob, publishJob, renewJob, updateJob } from '#lib/jobs/service';
import { changeMemberRole, inviteMember, removeMember, revokeInvitation } from '#lib/orgs/service';
import { fakeMail, jobInput, makeOrg, makeUser } from '../helpers/accounts';
import { freshPostgres, hasPostgres, skipReason } from '../helpers/services';

/**
 * Cross-organization isolation at the guard and service layer: for every role
 * in organization A, every operation on organization B's objects fails with the
 * very error a missing id gets. (tests/e2e/employer-security.test.ts does the
 * same over HTTP against the built server.)
 */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof ServiceError) return `${err.code}: ${err.message}`;
    throw err;
  }
}

const NOT_FOUND = 'not_found: We could not find that page.';
const MISSING = '00000000-0000-4000-8000-000000000000';

describe.skipIf(!hasPostgres)(`cross-organization isolation (${skipReason})`, () => {
  let h: DbHandle & { url: string };
  let A: Awaited<ReturnType<typeof makeOrg>>;
  let B: Awaited<ReturnType<typeof makeOrg>>;
  let bJob: string;
  let bInvitation: string;
  const usersOf = (t: typeof A): Record<MemberRole, SessionUser> => ({ admin: t.admin, hiring_manager: t.hiringManager, recruiter: t.recruiter });
  const locals = (user: SessionUser | null) => ({ user, session: null });

  beforeAll(async () => {
    h = await freshPostgres();
    A = await makeOrg(h.db, 'Alpha Behavioral');
    B = await makeOrg(h.db, 'Bravo Behavioral');
    bJob = (await createJob(h.db, B.actors.admin, jobInput({ title: 'Bravo Draft Therapist' }))).id;
    bInvitation = (await inviteMember(h.db, fakeMail(), B.actors.admin, { email: 'someone@example.com', role: 'recruiter' })).invitationId;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a member of A is a stranger to B: the guard answers exactly as for a missing organization', async () => {
    for (const role of ALL_ROLES) {
      const user = usersOf(A)[role];
      for (const roles of [ALL_ROLES, JOB_EDITORS, ORG_ADMINS]) {
        for (const ref of [B.org.id, B.org.slug, B.org.slug.toUpperCase()]) {
          expect(await outcome(requireMember(h.db, locals(user), ref, roles)), `${role} → ${ref}`).toBe(NOT_FOUND);
        }
        expect(await outcome(requireMember(h.db, locals(user), MISSING, roles))).toBe(NOT_FOUND);
        expect(await outcome(requireMember(h.db, locals(user), 'no-such-org', roles))).toBe(NOT_FOUND);
      }
      // Their own organization: admitted, or refused for the role (403) — never confused with B.
      expect(await outcome(requireMember(h.db, locals(user), A.org.slug, ALL_ROLES))).toBe('ok');
      expect(await outcome(requireMember(h.db, locals(user), A.org.slug, ORG_ADMINS))).toBe(role === 'admin' ? 'ok' : 'forbidden: Your role in this organization does not allow that.');
    }
    expect((await outcome(requireMember(h.db, locals(null), B.org.slug))).split(':')[0]).toBe('unauthenticated');
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
        const expected = JOB_EDITORS.includes(role) ? NOT_FOUND : 'forbidden: Only admins and hiring managers can change postings.';
        expect(await outcome(op(bJob)), `${role} ${name}(B's job)`).toBe(expected);
        expect(await outcome(op(MISSING)), `${role} ${name}(missing)`).toBe(expected);
      }
      expect(await getOrgJob(h.db, actor.orgId, bJob)).toBeNull();
      if (role === 'admin') {
        for (const id of bMemberIds) {
          expect(await outcome(changeMemberRole(h.db, actor, id, 'recruiter'))).toBe(NOT_FOUND);
          expect(await outcome(removeMember(h.db, actor, id))).toBe(NOT_FOUND);
        }
        expect(await outcome(changeMemberRole(h.db, actor, MISSING, 'recruiter'))).toBe(NOT_FOUND);
        expect(await outcome(revokeInvitation(h.db, actor, bInvitation))).toBe(NOT_FOUND);
        expect(await outcome(revokeInvitation(h.db, actor, MISSING))).toBe(NOT_FOUND);
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
    await h.db.insert(members).values([{ orgId: A.org.id, userId: both.id, role: 'admin' }, { orgId: B.org.id, userId: both.id, role: 'recruiter' }]);
    expect((await requireMember(h.db, locals(both), A.org.slug, ORG_ADMINS)).role).toBe('admin');
    expect(await outcome(requireMember(h.db, locals(both), B.org.slug, ORG_ADMINS))).toMatch(/^forbidden/);
    const inB = await requireMember(h.db, locals(both), B.org.slug);
    expect(await outcome(closeJob(h.db, { ...inB, emailVerified: true }, bJob))).toMatch(/^forbidden/);
  });
});
