import type { MemberRole } from '#lib/domain/taxonomy';

/**
 * The member acting on kits and scorecards, as the guards hand it over (the same shape as
 * applications' TeamActor; declared here so this folder does not depend on applications,
 * which the runtime's reminder sweep would otherwise pull in with the web guards).
 */
export interface KitActor {
  userId: string;
  orgId: string;
  role: MemberRole;
}
