import { eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { interviews } from '#db/schema';
import { requireMember, requireUser, type AuthLocals, type MemberContext } from '#lib/web/guards';
import type { MemberRole } from '#lib/domain/taxonomy';
import { notFound } from '#lib/shared/errors';
import { isUuid } from '#lib/orgs/queries';

/** The member acting on an interview: of the organization that owns the interview row, or the same 404 as a missing id. */
export async function orgOfInterview(db: Db, locals: AuthLocals, interviewId: string, roles: readonly MemberRole[]): Promise<MemberContext> {
  requireUser(locals);
  if (!isUuid(interviewId)) throw notFound();
  const [r] = await db.select({ orgId: interviews.orgId }).from(interviews).where(eq(interviews.id, interviewId)).limit(1);
  if (!r) throw notFound();
  return requireMember(db, locals, r.orgId, roles);
}
