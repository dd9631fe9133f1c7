import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { invitations, members, organizations, users } from '#db/schema';
import type { Membership } from '#lib/auth/types';

export type Organization = typeof organizations.$inferSelect;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_RE.test(s);

/** An organization reference from a URL or a form: its id or its slug. */
export function orgWhere(ref: string) {
  return isUuid(ref) ? eq(organizations.id, ref) : eq(organizations.slug, ref.toLowerCase());
}

const membershipColumns = {
  orgId: organizations.id,
  orgSlug: organizations.slug,
  orgName: organizations.name,
  role: members.role,
};

/** The user's membership in one organization (by id or slug), or null: a non-member and a missing organization look the same. */
export async function findMembership(db: Db, userId: string, orgRef: string): Promise<Membership | null> {
  if (!orgRef || orgRef.length > 200) return null;
  const [m] = await db
    .select(membershipColumns)
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.orgId))
    .where(and(eq(members.userId, userId), orgWhere(orgRef)))
    .limit(1);
  return m ?? null;
}

export async function userMemberships(db: Db, userId: string): Promise<Membership[]> {
  return db
    .select(membershipColumns)
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.orgId))
    .where(eq(members.userId, userId))
    .orderBy(asc(organizations.name));
}

/**
 * The organization the user acts for: the session's active one while they are
 * still a member of it, else their oldest membership, else none.
 */
export async function activeMembership(db: Db, userId: string, activeOrgId: string | null): Promise<Membership | null> {
  const [m] = await db
    .select(membershipColumns)
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.orgId))
    .where(eq(members.userId, userId))
    // (No placeholder when there is no active org: a bare `ORDER BY 1` would sort by the first column.)
    .orderBy(...(activeOrgId ? [sql`(${members.orgId} = ${activeOrgId}) desc`] : []), asc(members.createdAt), asc(members.orgId))
    .limit(1);
  return m ?? null;
}

export async function getOrganization(db: Db, ref: string): Promise<Organization | null> {
  if (!ref || ref.length > 200) return null;
  const [o] = await db.select().from(organizations).where(orgWhere(ref)).limit(1);
  return o ?? null;
}

export async function listMembers(db: Db, orgId: string) {
  return db
    .select({ userId: users.id, name: users.name, email: users.email, role: members.role, joinedAt: members.createdAt })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.orgId, orgId))
    .orderBy(asc(users.name));
}

export async function listPendingInvitations(db: Db, orgId: string, now = new Date()) {
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      invitedBy: users.name,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
    .orderBy(desc(invitations.createdAt));
}

export async function countAdmins(db: Pick<Db, 'select'>, orgId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.role, 'admin')));
  return Number(r?.n ?? 0);
}
