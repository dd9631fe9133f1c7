import crypto from 'node:crypto';
import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { invitations, jobCredentials, jobs, members, organizations, sessions, users } from '#db/schema';
import { invitationMessage, type MailDeps } from '#lib/auth/emails';
import { ORG_ADMINS } from '#lib/domain/roles';
import { invalidateUserSessions } from '#lib/auth/session';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { randomToken, sha256Hex } from '#lib/shared/tokens';
import type { SessionUser } from '#lib/auth/types';
import type { MemberRole } from '#lib/domain/taxonomy';
import { conflict, forbidden, invalid, notFound, ServiceError } from '#lib/shared/errors';
import { computeSearchExtra } from '#lib/jobs/search-text';
import { slugify } from '#lib/shared/slug';
import { queueMail } from '#lib/mail-queue';
import { enforce, keys, POLICIES } from '#lib/ratelimit';
import { enqueueSearchSync } from '#lib/search/outbox';
import { audit, auditOrg } from '#lib/audit/log';
import { secretKey } from '#lib/secrets';
import { countAdmins, type Organization } from './queries';
import { MEMBER_ROLE_TEXT, organizationSchema, type OrganizationInput } from './schema';

/**
 * Organizations, members and invitations. Each function takes the acting
 * member (from requireMember) and re-checks its role, so a caller that forgot
 * its guard still cannot do more than the role allows. Every change writes an
 * audit row in the same transaction.
 */
export interface OrgActor {
  userId: string;
  orgId: string;
  role: MemberRole;
}

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Words that cannot be organization slugs (they are routes under /employer). */
const RESERVED_SLUGS = new Set([
  'new',
  'switch',
  'preview',
  'forbidden',
  'invitations',
  'settings',
  'members',
  'jobs',
  'audit',
  'api',
  'admin',
  'applications',
  'screening',
  'pipeline',
]);

function orgSlug(name: string): string {
  return slugify(name, 60) || 'organization';
}

function randomSuffix(n = 4): string {
  return randomToken(5).slice(0, n);
}

function requireRole(actor: OrgActor, roles: readonly MemberRole[]) {
  if (!roles.includes(actor.role)) throw forbidden();
}

/** Serializes membership changes within one organization (last-admin checks stay true under concurrency). */
async function lockOrg(tx: Pick<Db, 'execute'>, orgId: string) {
  await tx.execute(sql`select id from ${organizations} where id = ${orgId} for update`);
}

const memberRow = (orgId: string, userId: string) => and(eq(members.orgId, orgId), eq(members.userId, userId));

/** Locks the organization (membership changes are serialized per organization: "the last admin" stays true) and reads one member; 404 if not one. */
async function lockedMember(tx: Pick<Db, 'execute' | 'select'>, orgId: string, userId: string) {
  await lockOrg(tx, orgId);
  const [target] = await tx.select().from(members).where(memberRow(orgId, userId));
  if (!target) throw notFound();
  return target;
}

export async function createOrganization(db: Db, userId: string, raw: OrganizationInput, now = new Date()): Promise<Organization> {
  const input = organizationSchema.parse(raw);
  const base = orgSlug(input.name);
  for (let attempt = 0; attempt < 6; attempt++) {
    const slug = attempt === 0 && !RESERVED_SLUGS.has(base) ? base : `${base.slice(0, 54)}-${randomSuffix()}`;
    const org = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(organizations)
        .values({
          slug,
          name: input.name,
          website: input.website ?? null,
          description: input.description ?? null,
          locations: input.locations ?? [],
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (!created) return null;
      await tx.insert(members).values({ orgId: created.id, userId, role: 'admin', createdAt: now });
      await auditOrg(tx, { orgId: created.id, userId: userId }, { action: 'organization.created', data: { name: created.name }, at: now });
      return created;
    });
    if (org) return org;
  }
  throw conflict('We could not find a free web address for that name. Try a slightly different name.');
}

/**
 * Updates the profile. A new name changes what search shows for every posting
 * of the organization, so their search text is recomputed and they are queued
 * for the index in the same transaction.
 */
export async function updateOrganization(db: Db, actor: OrgActor, raw: OrganizationInput): Promise<{ org: Organization; jobIds: string[] }> {
  requireRole(actor, ORG_ADMINS);
  const input = organizationSchema.parse(raw);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(organizations).where(eq(organizations.id, actor.orgId)).for('update');
    if (!before) throw notFound();
    const [org] = await tx
      .update(organizations)
      .set({
        name: input.name,
        website: input.website ?? null,
        description: input.description ?? null,
        locations: input.locations ?? [],
      })
      .where(eq(organizations.id, actor.orgId))
      .returning();
    const changed = (['name', 'website', 'description', 'locations'] as const).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(org![k]));
    let jobIds: string[] = [];
    if (before.name !== org!.name) {
      const orgJobs = await tx.select({ id: jobs.id, role: jobs.role }).from(jobs).where(eq(jobs.orgId, actor.orgId));
      jobIds = orgJobs.map((j) => j.id);
      if (jobIds.length) {
        const creds = await tx.select().from(jobCredentials).where(inArray(jobCredentials.jobId, jobIds));
        for (const j of orgJobs) {
          const codes = creds.filter((c) => c.jobId === j.id).map((c) => c.credentialCode);
          await tx
            .update(jobs)
            .set({ searchExtra: computeSearchExtra(codes, org!.name, j.role) })
            .where(eq(jobs.id, j.id));
        }
        await enqueueSearchSync(tx, jobIds);
      }
    }
    await auditOrg(tx, actor, { action: 'organization.updated', data: { fields: changed } });
    return { org: org!, jobIds };
  });
}

export interface InvitationResult {
  invitationId: string;
  /** The plaintext token (only in the email link; the table holds its hash). */
  token: string;
  /** true: a pending invitation to this address was sent again, same link (its role updated, its 7 days restarted). */
  resent: boolean;
}

/**
 * An invitation's link token is an HMAC of its id under a server key, so the same link can be
 * sent again: re-inviting an address with a pending invitation resends it instead of killing
 * the link already in the person's inbox. The table still stores only the token's hash.
 */
const invitationToken = (key: Buffer, invitationId: string) =>
  // 20 bytes as base32: the same shape as every other emailed token (EMAIL_TOKEN_RE).
  encodeBase32LowerCaseNoPadding(crypto.createHmac('sha256', key).update(`invitation:${invitationId}`).digest().subarray(0, 20));

export async function inviteMember(
  db: Db,
  mail: MailDeps,
  actor: OrgActor & { name: string },
  input: { email: string; role: MemberRole },
  now = new Date(),
): Promise<InvitationResult> {
  requireRole(actor, ORG_ADMINS);
  const email = input.email.trim().toLowerCase();
  await enforce(db, [{ key: keys.id('inviteOrg', actor.orgId), policy: POLICIES.inviteOrg }], now);
  const key = await secretKey(db, 'invitation-tokens');
  return db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, actor.orgId));
    if (!org) throw notFound();
    const [existing] = await tx
      .select({ userId: members.userId })
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(and(eq(members.orgId, actor.orgId), sql`lower(${users.email}) = ${email}`));
    if (existing) throw invalid(`${email} is already a member of ${org.name}.`, { email: ['Already a member.'] });
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
    const pending = await tx
      .select({ id: invitations.id, tokenHash: invitations.tokenHash, expiresAt: invitations.expiresAt })
      .from(invitations)
      .where(and(eq(invitations.orgId, actor.orgId), eq(invitations.email, email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .for('update');
    // A live invitation whose link can be rebuilt: send the same one again (role as chosen now, 7 days from now).
    const live = pending.find((p) => p.expiresAt > now && sha256Hex(invitationToken(key, p.id)) === p.tokenHash);
    const stale = pending.filter((p) => p !== live).map((p) => p.id);
    // Expired ones (and any from before links could be rebuilt) are replaced.
    if (stale.length) await tx.update(invitations).set({ revokedAt: now }).where(inArray(invitations.id, stale));
    let id: string;
    if (live) {
      id = live.id;
      await tx.update(invitations).set({ role: input.role, expiresAt, invitedBy: actor.userId }).where(eq(invitations.id, id));
    } else {
      id = crypto.randomUUID();
      await tx.insert(invitations).values({
        id,
        orgId: actor.orgId,
        email,
        role: input.role,
        tokenHash: sha256Hex(invitationToken(key, id)),
        invitedBy: actor.userId,
        expiresAt,
        createdAt: now,
      });
    }
    const token = invitationToken(key, id);
    await audit(tx, actor, {
      entity: 'invitation',
      entityId: id,
      action: live ? 'invitation.resent' : 'invitation.created',
      data: { email, role: input.role },
      at: now,
    });
    await queueMail(tx, invitationMessage(mail, email, org.name, actor.name, MEMBER_ROLE_TEXT[input.role].label.toLowerCase(), token));
    return { invitationId: id, token, resent: !!live };
  });
}

export async function revokeInvitation(db: Db, actor: OrgActor, invitationId: string, now = new Date()): Promise<void> {
  requireRole(actor, ORG_ADMINS);
  await db.transaction(async (tx) => {
    const [inv] = await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(and(eq(invitations.id, invitationId), eq(invitations.orgId, actor.orgId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id, email: invitations.email });
    if (!inv) throw notFound();
    await audit(tx, actor, {
      entity: 'invitation',
      entityId: inv.id,
      action: 'invitation.revoked',
      data: { email: inv.email },
    });
  });
}

export interface InvitationView {
  id: string;
  email: string;
  role: MemberRole;
  orgId: string;
  orgSlug: string;
  orgName: string;
  expiresAt: Date;
  /** Why it cannot be accepted, or null when it can. */
  problem: 'expired' | 'used' | 'revoked' | null;
}

/** The invitation behind a link (the accept page shows it before anyone clicks Accept). */
export async function findInvitation(db: Db, token: string, now = new Date()): Promise<InvitationView | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const [row] = await db
    .select({ inv: invitations, orgSlug: organizations.slug, orgName: organizations.name })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(eq(invitations.tokenHash, sha256Hex(token)))
    .limit(1);
  if (!row) return null;
  const { inv } = row;
  const problem = inv.acceptedAt ? 'used' : inv.revokedAt ? 'revoked' : inv.expiresAt.getTime() <= now.getTime() ? 'expired' : null;
  return {
    id: inv.id,
    email: inv.email,
    role: inv.role,
    orgId: inv.orgId,
    orgSlug: row.orgSlug,
    orgName: row.orgName,
    expiresAt: inv.expiresAt,
    problem,
  };
}

/**
 * Joins the organization. The invitation went to an address, so only the
 * account with that address can accept it — and following the emailed link
 * proves that mailbox, so the address counts as verified.
 */
export async function acceptInvitation(
  db: Db,
  user: SessionUser,
  token: string,
  now = new Date(),
): Promise<{ orgId: string; orgSlug: string; role: MemberRole }> {
  const view = await findInvitation(db, token, now);
  if (!view) throw invalid('This invitation link is not valid. Ask for a new invitation.');
  if (view.problem) {
    throw invalid(
      view.problem === 'expired'
        ? 'This invitation has expired. Ask an admin of the organization to invite you again.'
        : 'This invitation was already used or withdrawn.',
    );
  }
  if (view.email.toLowerCase() !== user.email.toLowerCase()) {
    throw new ServiceError('forbidden', `This invitation was sent to ${view.email}. Sign in with that address to accept it.`);
  }
  return db.transaction(async (tx) => {
    await lockOrg(tx, view.orgId);
    const [claimed] = await tx
      .update(invitations)
      .set({ acceptedAt: now })
      .where(and(eq(invitations.id, view.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
      .returning({ id: invitations.id });
    if (!claimed) throw invalid('This invitation was already used or withdrawn.');
    const [existing] = await tx
      .select({ role: members.role })
      .from(members)
      .where(and(eq(members.orgId, view.orgId), eq(members.userId, user.id)));
    let role = view.role;
    if (existing) {
      role = existing.role; // already a member: an invitation never changes a role (admins do that on the members page)
    } else {
      await tx.insert(members).values({ orgId: view.orgId, userId: user.id, role: view.role, createdAt: now });
    }
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(users.id, user.id));
    await audit(
      tx,
      { orgId: view.orgId, userId: user.id },
      {
        entity: 'member',
        entityId: user.id,
        action: 'member.joined',
        data: { role, invitationId: view.id },
        at: now,
      },
    );
    return { orgId: view.orgId, orgSlug: view.orgSlug, role };
  });
}

/**
 * Changes a member's role. The last admin cannot be demoted. A role change is a
 * privilege change, so every session of that member ends (they sign in again
 * and get a new one); `self` tells the caller to start a new session for the
 * acting browser.
 */
export async function changeMemberRole(db: Db, actor: OrgActor, targetUserId: string, role: MemberRole): Promise<{ changed: boolean; self: boolean }> {
  requireRole(actor, ORG_ADMINS);
  const result = await db.transaction(async (tx) => {
    const target = await lockedMember(tx, actor.orgId, targetUserId);
    if (target.role === role) return { changed: false };
    if (target.role === 'admin' && (await countAdmins(tx, actor.orgId)) <= 1) {
      throw conflict('An organization needs at least one admin. Make someone else an admin first.');
    }
    await tx.update(members).set({ role }).where(memberRow(actor.orgId, targetUserId));
    await audit(tx, actor, {
      entity: 'member',
      entityId: targetUserId,
      action: 'member.role_changed',
      data: { from: target.role, to: role },
    });
    return { changed: true };
  });
  if (result.changed) await invalidateUserSessions(db, targetUserId);
  return { changed: result.changed, self: targetUserId === actor.userId };
}

/**
 * Removes a member; members may also remove themselves (leave). Admins may
 * remove anyone; the last admin can neither leave nor be removed.
 */
export async function removeMember(db: Db, actor: OrgActor, targetUserId: string): Promise<{ self: boolean }> {
  const self = targetUserId === actor.userId;
  if (!self) requireRole(actor, ORG_ADMINS);
  await db.transaction(async (tx) => {
    const target = await lockedMember(tx, actor.orgId, targetUserId);
    if (target.role === 'admin' && (await countAdmins(tx, actor.orgId)) <= 1) {
      throw conflict(self ? 'You are the only admin. Make someone else an admin before you leave.' : 'An organization needs at least one admin.');
    }
    await tx.delete(members).where(memberRow(actor.orgId, targetUserId));
    // Sessions acting for this organization stop doing so at once.
    await tx
      .update(sessions)
      .set({ activeOrgId: null })
      .where(and(eq(sessions.userId, targetUserId), eq(sessions.activeOrgId, actor.orgId)));
    await audit(tx, actor, {
      entity: 'member',
      entityId: targetUserId,
      action: self ? 'member.left' : 'member.removed',
      data: { role: target.role },
    });
  });
  return { self };
}
