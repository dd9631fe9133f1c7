import type { MemberRole } from './taxonomy';

/** Role groups the services and guards check against, defined once. */
export const ALL_ROLES: readonly MemberRole[] = ['admin', 'hiring_manager', 'recruiter'];
/** Who may write and change postings. */
export const JOB_EDITORS: readonly MemberRole[] = ['admin', 'hiring_manager'];
/** Who may manage members, invitations and the organization's profile. */
export const ORG_ADMINS: readonly MemberRole[] = ['admin'];
