import type { Db } from '#db/client';
import { ALL_ROLES } from '#lib/domain/roles';
import type { MemberRole } from '#lib/domain/taxonomy';
import { forbidden, notFound, ServiceError } from '#lib/shared/errors';
import { findMembership } from '#lib/orgs/queries';
import type { Membership, SessionInfo, SessionUser } from '#lib/auth/types';

/**
 * Guards every page and action calls at its top. Authorization is decided here,
 * per request, from the database — never from URL patterns in middleware.
 */
export interface AuthLocals {
  user: SessionUser | null;
  session: SessionInfo | null;
}

export function requireUser(locals: AuthLocals): SessionUser {
  if (!locals.user) throw new ServiceError('unauthenticated', 'Sign in to continue.');
  return locals.user;
}

export interface MemberContext extends Membership {
  user: SessionUser;
  /** The acting user's id (the audit trail's actor). */
  userId: string;
}

/**
 * The signed-in user's membership in an organization (id or slug) with one of
 * `roles`. A non-member gets exactly the error a missing organization gets
 * (not_found → 404), so ids of other organizations reveal nothing; a member
 * without the role gets forbidden (403).
 */
export async function requireMember(db: Db, locals: AuthLocals, orgRef: string, roles: readonly MemberRole[] = ALL_ROLES): Promise<MemberContext> {
  const user = requireUser(locals);
  const m = await findMembership(db, user.id, orgRef);
  if (!m) throw notFound();
  if (!roles.includes(m.role)) throw forbidden();
  return { ...m, user, userId: user.id };
}

export function hasRole(m: Pick<Membership, 'role'> | null | undefined, roles: readonly MemberRole[]): boolean {
  return Boolean(m && roles.includes(m.role));
}
