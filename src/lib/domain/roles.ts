import type { MemberRole } from './taxonomy';

/** Role groups the services and guards check against, defined once. */
export const ALL_ROLES: readonly MemberRole[] = ['admin', 'hiring_manager', 'recruiter'];
/** Who may write and change postings. */
export const JOB_EDITORS: readonly MemberRole[] = ['admin', 'hiring_manager'];
/** Who may manage members, invitations and the organization's profile. */
export const ORG_ADMINS: readonly MemberRole[] = ['admin'];
/**
 * Who may propose, reschedule, cancel and close interviews: every role. Admins and hiring managers
 * run the loop; recruiters are included because scheduling is recruiting-coordinator work in most
 * programs (and the phone screen is usually theirs). Interviewers must be members too.
 */
export const INTERVIEW_SCHEDULERS: readonly MemberRole[] = ['admin', 'hiring_manager', 'recruiter'];
