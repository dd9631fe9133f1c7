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

interface ImportMetaEnv {
  /** Set at build time (astro.config.mjs): part of cached pages' ETags, so a deploy invalidates them. */
  readonly BUILD_ID?: string;
}
