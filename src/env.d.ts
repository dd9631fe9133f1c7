/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** The signed-in user, or null (set by middleware from the session cookie). */
    user: import('#lib/auth/types').SessionUser | null;
    session: import('#lib/auth/types').SessionInfo | null;
    /** The user's active organization membership, when they act for an employer. */
    membership: import('#lib/auth/types').Membership | null;
    /** Seconds until a rate limit resets, set by an action that answered 429 (middleware turns it into Retry-After). */
    retryAfter?: number;
  }
}
