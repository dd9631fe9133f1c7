import type { MemberRole } from '#lib/domain/taxonomy';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
}

export interface SessionInfo {
  id: string;
  createdAt: Date;
  lastVerifiedAt: Date;
  activeOrgId: string | null;
}

export interface Membership {
  orgId: string;
  orgSlug: string;
  orgName: string;
  role: MemberRole;
}
