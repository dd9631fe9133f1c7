import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '#db/client';
import { auditLog, invitations, jobs, members, searchOutbox, sessions, users } from '#db/schema';
import { createSession, validateSessionToken } from '#lib/auth/session';
import { sha256Hex } from '#lib/shared/tokens';
import { createJob } from '#lib/jobs/service';
import { activeMembership, findMembership, userMemberships } from '#lib/orgs/queries';
import {
  acceptInvitation,
  changeMemberRole,
  createOrganization,
  findInvitation,
  inviteMember,
  removeMember,
  revokeInvitation,
  updateOrganization,
} from '#lib/orgs/service';
import { slugify } from '#lib/shared/slug';
import { addMember, jobInput, makeTeam, makeUser, uniqueEmail } from '../helpers/factories';
import { fakeMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

const tokenFrom = (link: string) => new URL(link).pathname.split('/').pop()!;

describe.skipIf(!hasPostgres)(`organizations, members and invitations (${skipReason})`, () => {
  const h = useTestDb();

  it('creates an organization with its creator as admin, and audits it', async () => {
    const u = await makeUser(h.db);
    const org = await createOrganization(h.db, u.id, {
      name: 'Laurel Ridge Behavioral Health',
      website: 'laurelridge.example.org',
      locations: 'Pittsburgh, PA\nErie, pa\n',
      description: 'Adult PHP and IOP.',
    });
    expect(org.slug).toBe('laurel-ridge-behavioral-health');
    expect(org.website).toBe('https://laurelridge.example.org');
    expect(org.locations).toEqual([
      { city: 'Pittsburgh', state: 'PA' },
      { city: 'Erie', state: 'PA' },
    ]);
    expect(await userMemberships(h.db, u.id)).toEqual([{ orgId: org.id, orgSlug: org.slug, orgName: org.name, role: 'admin' }]);
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.orgId, org.id));
    expect(audits.map((a) => a.action)).toEqual(['organization.created']);
    expect(audits[0]!.actorId).toBe(u.id);

    // Same name again: a different, still readable, slug.
    const again = await createOrganization(h.db, u.id, { name: 'Laurel Ridge Behavioral Health' });
    expect(again.slug).toMatch(/^laurel-ridge-behavioral-health-[a-z2-7]{4}$/);
    // Route words are never slugs.
    expect((await createOrganization(h.db, u.id, { name: 'New' })).slug).toMatch(/^new-[a-z2-7]{4}$/);
    expect(slugify('Café & Co. — Recovery!')).toBe('cafe-and-co-recovery');
  });

  it('rejects a malformed location list with a message per line', async () => {
    const u = await makeUser(h.db);
    await expect(createOrganization(h.db, u.id, { name: 'Bad Places', locations: 'Pittsburgh PA\nSpringfield, ZZ' })).rejects.toThrow(/should look like/);
  });

  it('invites by email with a hashed token; only that address can accept, once', async () => {
    const mail = fakeMail(h.db);
    const t = await makeTeam(h.db, 'Harbor Light Recovery');
    const inviteeEmail = uniqueEmail('recruiter');
    const r = await inviteMember(h.db, mail, t.actors.admin, { email: inviteeEmail.toUpperCase(), role: 'recruiter' });
    const msg = await mail.last(inviteeEmail);
    expect(msg?.subject).toContain('Harbor Light Recovery');
    const link = mail.linkIn(msg);
    expect(link).toMatch(/^http:\/\/jobs\.test\/invitations\/[a-z2-7]{32}$/);
    const token = tokenFrom(link);
    expect(token).toBe(r.token);
    const [inv] = await h.db.select().from(invitations).where(eq(invitations.id, r.invitationId));
    expect(inv!.tokenHash).toBe(sha256Hex(token));
    expect(inv!.email).toBe(inviteeEmail);

    const view = await findInvitation(h.db, token);
    expect(view).toMatchObject({ orgName: 'Harbor Light Recovery', role: 'recruiter', problem: null });

    const stranger = await makeUser(h.db);
    await expect(acceptInvitation(h.db, stranger, token)).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining(inviteeEmail),
    });

    const invitee = await makeUser(h.db, { email: inviteeEmail, verified: false });
    const joined = await acceptInvitation(h.db, invitee, token);
    expect(joined).toMatchObject({ orgId: t.org.id, role: 'recruiter' });
    expect((await findMembership(h.db, invitee.id, t.org.slug))?.role).toBe('recruiter');
    const [u] = await h.db.select().from(users).where(eq(users.id, invitee.id));
    expect(u!.emailVerifiedAt).not.toBeNull(); // the emailed link proved the mailbox
    await expect(acceptInvitation(h.db, invitee, token)).rejects.toMatchObject({ code: 'invalid' });
    expect((await findInvitation(h.db, token))?.problem).toBe('used');

    const actions = (await h.db.select().from(auditLog).where(eq(auditLog.orgId, t.org.id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['invitation.created', 'member.joined']));

    // Inviting a member again is refused.
    await expect(inviteMember(h.db, mail, t.actors.admin, { email: inviteeEmail, role: 'admin' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('refuses expired and withdrawn invitations; a new invitation replaces the pending one', async () => {
    const mail = fakeMail(h.db);
    const t = await makeTeam(h.db);
    const email = uniqueEmail();
    const invitee = await makeUser(h.db, { email });
    const old = await inviteMember(h.db, mail, t.actors.admin, { email, role: 'hiring_manager' }, new Date(Date.now() - 8 * 86_400_000));
    expect((await findInvitation(h.db, old.token))?.problem).toBe('expired');
    await expect(acceptInvitation(h.db, invitee, old.token)).rejects.toThrow(/expired/);

    const first = await inviteMember(h.db, mail, t.actors.admin, { email, role: 'recruiter' });
    const second = await inviteMember(h.db, mail, t.actors.admin, { email, role: 'hiring_manager' });
    expect((await findInvitation(h.db, first.token))?.problem).toBe('revoked');
    await revokeInvitation(h.db, t.actors.admin, second.invitationId);
    await expect(acceptInvitation(h.db, invitee, second.token)).rejects.toMatchObject({ code: 'invalid' });
    // Revoking twice, or another organization's invitation: not found.
    await expect(revokeInvitation(h.db, t.actors.admin, second.invitationId)).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('lets only admins invite, change roles and remove others', async () => {
    const mail = fakeMail(h.db);
    const t = await makeTeam(h.db);
    for (const role of ['hiring_manager', 'recruiter'] as const) {
      const actor = t.actors[role];
      await expect(inviteMember(h.db, mail, actor, { email: uniqueEmail(), role: 'admin' }), role).rejects.toMatchObject({ code: 'forbidden' });
      await expect(changeMemberRole(h.db, actor, actor.userId, 'admin'), role).rejects.toMatchObject({
        code: 'forbidden',
      });
      await expect(removeMember(h.db, actor, t.admin.id), role).rejects.toMatchObject({ code: 'forbidden' });
      await expect(updateOrganization(h.db, actor, { name: 'Hijacked' }), role).rejects.toMatchObject({
        code: 'forbidden',
      });
    }
  });

  it('never leaves an organization without an admin', async () => {
    const t = await makeTeam(h.db);
    await expect(changeMemberRole(h.db, t.actors.admin, t.admin.id, 'recruiter')).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/at least one admin/),
    });
    await expect(removeMember(h.db, t.actors.admin, t.admin.id)).rejects.toThrow(/only admin/);

    // With a second admin, either may step down — but not both at once.
    await changeMemberRole(h.db, t.actors.admin, t.hiringManager.id, 'admin');
    const a = { userId: t.admin.id, orgId: t.org.id, role: 'admin' as const };
    const b = { userId: t.hiringManager.id, orgId: t.org.id, role: 'admin' as const };
    const results = await Promise.allSettled([changeMemberRole(h.db, a, b.userId, 'recruiter'), changeMemberRole(h.db, b, a.userId, 'recruiter')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [n] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from members where org_id = ${t.org.id} and role = 'admin'`);
    expect(n!.n).toBe(1);
  });

  it('ends the sessions of a member whose role changes (a privilege change)', async () => {
    const t = await makeTeam(h.db);
    const s1 = await createSession(h.db, t.recruiter.id, { activeOrgId: t.org.id });
    const bystander = await createSession(h.db, t.hiringManager.id, { activeOrgId: t.org.id });
    const r = await changeMemberRole(h.db, t.actors.admin, t.recruiter.id, 'hiring_manager');
    expect(r).toEqual({ changed: true, self: false });
    expect(await validateSessionToken(h.db, s1.token)).toBeNull();
    expect(await validateSessionToken(h.db, bystander.token)).not.toBeNull();
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, t.org.id), eq(auditLog.action, 'member.role_changed')));
    expect(audit[0]!.data).toEqual({ from: 'recruiter', to: 'hiring_manager' });
    // Same role again: nothing happens.
    expect((await changeMemberRole(h.db, t.actors.admin, t.recruiter.id, 'hiring_manager')).changed).toBe(false);
  });

  it('removes members and lets members leave; their sessions stop acting for the organization', async () => {
    const t = await makeTeam(h.db);
    const s = await createSession(h.db, t.recruiter.id, { activeOrgId: t.org.id });
    expect(await removeMember(h.db, t.actors.recruiter, t.recruiter.id)).toEqual({ self: true });
    expect(await findMembership(h.db, t.recruiter.id, t.org.id)).toBeNull();
    const [row] = await h.db.select().from(sessions).where(eq(sessions.userId, t.recruiter.id));
    expect(row!.activeOrgId).toBeNull();
    expect(s.session.id).toBe(row!.id);
    await removeMember(h.db, t.actors.admin, t.hiringManager.id);
    expect(await h.db.select().from(members).where(eq(members.orgId, t.org.id))).toHaveLength(1);
    const actions = (await h.db.select().from(auditLog).where(eq(auditLog.orgId, t.org.id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['member.left', 'member.removed']));
  });

  it('picks the active organization: the session’s while a member, else the oldest', async () => {
    const u = await makeUser(h.db);
    // Explicit times: two organizations made in the same millisecond have no "oldest".
    const a = await createOrganization(h.db, u.id, { name: 'Alpha Programs' }, new Date(Date.now() - 60_000));
    const b = await createOrganization(h.db, u.id, { name: 'Beta Programs' });
    expect((await activeMembership(h.db, u.id, b.id))?.orgId).toBe(b.id);
    expect((await activeMembership(h.db, u.id, null))?.orgId).toBe(a.id);
    const other = await createOrganization(h.db, (await makeUser(h.db)).id, { name: 'Not Mine' });
    expect((await activeMembership(h.db, u.id, other.id))?.orgId).toBe(a.id);
  });

  it('renaming the organization rewrites its postings’ search text and queues them for the index, in one transaction', async () => {
    const t = await makeTeam(h.db, 'Old Name Health');
    const job = await createJob(h.db, t.actors.admin, jobInput());
    await h.db.delete(searchOutbox);
    await updateOrganization(h.db, t.actors.admin, { name: 'New Name Health', locations: 'Erie, PA' });
    const [j] = await h.db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(j!.searchExtra).toContain('New Name Health');
    expect(j!.searchExtra).not.toContain('Old Name Health');
    const outbox = await h.db.select().from(searchOutbox).where(eq(searchOutbox.jobId, job.id));
    expect(outbox).toHaveLength(1);
    const [x] = await rows<{ same: boolean }>(
      h.db,
      sql`select (select xmin::text from jobs where id = ${job.id}) = (select xmin::text from search_outbox where job_id = ${job.id}) as same`,
    );
    expect(x!.same).toBe(true);
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, t.org.id), eq(auditLog.action, 'organization.updated')));
    // The profile form sends every field: those left out are cleared.
    expect(audit[0]!.data).toEqual({ fields: ['name', 'website', 'description', 'locations'] });
  });

  it('lets a member of one organization join another by invitation', async () => {
    const mail = fakeMail(h.db);
    const t = await makeTeam(h.db);
    const outsider = await makeUser(h.db);
    const other = await makeTeam(h.db);
    await addMember(h.db, other.org.id, outsider.id, 'recruiter');
    const inv = await inviteMember(h.db, mail, t.actors.admin, { email: outsider.email, role: 'admin' });
    expect((await acceptInvitation(h.db, outsider, inv.token)).role).toBe('admin');
    expect((await userMemberships(h.db, outsider.id)).map((m) => m.role).sort()).toEqual(['admin', 'recruiter']);
  });
});
