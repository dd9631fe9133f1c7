import { eq, lt, sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { rows } from '#db/client';
import { backoffCounters, rateLimits } from '#db/schema';
import { ServiceError } from '#lib/shared/errors';

/**
 * Fixed-window rate limits kept in PostgreSQL, so they hold across restarts and
 * across every server process behind a load balancer. One atomic upsert per hit:
 * concurrent requests can never all read "under the limit".
 */
export interface Policy {
  /** Allowed hits per window. */
  limit: number;
  windowSeconds: number;
}

/**
 * The limits. Per-IP limits are generous (offices and clinics share an address
 * behind NAT). Sign-in is not here: it uses growing delays (BACKOFF below), so
 * that nobody can lock an account's owner out.
 */
export const POLICIES = {
  /** Checking the current password when changing it (the caller is signed in; counted per account). */
  changePassword: { limit: 5, windowSeconds: 15 * 60 },
  /** Checking the password before deleting the account (per account, like changing it). */
  deleteAccount: { limit: 5, windowSeconds: 15 * 60 },
  /** Downloading everything the site holds about you (per account): enough to retry, not to use as a load generator. */
  exportAccount: { limit: 5, windowSeconds: 60 * 60 },
  signUpIp: { limit: 20, windowSeconds: 60 * 60 },
  signUpAccount: { limit: 5, windowSeconds: 60 * 60 },
  resetIp: { limit: 20, windowSeconds: 60 * 60 },
  resetAccount: { limit: 3, windowSeconds: 60 * 60 },
  /** Submitting a reset or verification token (guessing them is hopeless, but no reason to allow it). */
  tokenIp: { limit: 30, windowSeconds: 15 * 60 },
  /** Resending the verification email. */
  verifyAccount: { limit: 3, windowSeconds: 60 * 60 },
  /** Invitations sent by one organization. */
  inviteOrg: { limit: 100, windowSeconds: 24 * 60 * 60 },
  /** Messages one person writes in application threads (each one emails someone). */
  messageAuthor: { limit: 30, windowSeconds: 60 * 60 },
  /** Messages on one application's thread, whoever writes them. */
  messageThread: { limit: 60, windowSeconds: 24 * 60 * 60 },
} satisfies Record<string, Policy>;

export type PolicyName = keyof typeof POLICIES;

export interface Hit {
  ok: boolean;
  count: number;
  limit: number;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
  key: string;
  windowStart: Date;
}

export function windowStart(now: Date, windowSeconds: number): Date {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

export function retryAfterSeconds(now: Date, start: Date, windowSeconds: number): number {
  return Math.max(1, Math.ceil((start.getTime() + windowSeconds * 1000 - now.getTime()) / 1000));
}

/** Counts one hit against `key` and says whether it is within the policy. */
export async function hit(db: Db, key: string, policy: Policy, now = new Date()): Promise<Hit> {
  const start = windowStart(now, policy.windowSeconds);
  const [r] = await rows<{ count: number }>(
    db,
    sql`insert into ${rateLimits} (key, window_start, count) values (${key}, ${start.toISOString()}, 1)
        on conflict (key, window_start) do update set count = ${rateLimits}.count + 1
        returning count`,
  );
  const count = Number(r?.count ?? 1);
  if (Math.random() < 0.01) void sweep(db, now).catch(() => {});
  return {
    ok: count <= policy.limit,
    count,
    limit: policy.limit,
    retryAfter: retryAfterSeconds(now, start, policy.windowSeconds),
    key,
    windowStart: start,
  };
}

/** Gives a hit back (a sign-in that succeeded should not count toward a failure limit). */
export async function refund(db: Db, h: Pick<Hit, 'key' | 'windowStart'>): Promise<void> {
  await db.execute(sql`update ${rateLimits} set count = greatest(count - 1, 0) where key = ${h.key} and window_start = ${h.windowStart.toISOString()}`);
}

/**
 * Counts a hit on every key; throws `rate_limited` (with the longest Retry-After
 * of the keys over their limit) when any is exceeded. Returns the hits so the
 * caller can refund them.
 */
export async function enforce(db: Db, checks: { key: string; policy: Policy }[], now = new Date()): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const c of checks) hits.push(await hit(db, c.key, c.policy, now));
  const over = hits.filter((h) => !h.ok);
  if (over.length) {
    const retryAfter = Math.max(...over.map((h) => h.retryAfter));
    throw rateLimited(retryAfter);
  }
  return hits;
}

export function humanWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** Rate-limit keys: one namespace per policy; emails normalized so case tricks do not multiply attempts. */
export const keys = {
  ip: (policy: PolicyName, ip: string) => `${policy}:ip:${ip}`,
  account: (policy: PolicyName, email: string) => `${policy}:acct:${email.trim().toLowerCase()}`,
  id: (policy: PolicyName, id: string) => `${policy}:id:${id}`,
};

/**
 * Growing delays instead of lockouts (OWASP Authentication Cheat Sheet): the first
 * `free` failures cost nothing; after that each attempt must wait
 * base·2^(failures − free) seconds since the previous one, up to `maxSeconds`, and
 * is refused (429 + Retry-After) before the password is even checked. A key quiet
 * for `forgetSeconds` starts over; a success clears or refunds.
 */
export interface BackoffPolicy {
  free: number;
  baseSeconds: number;
  maxSeconds: number;
  forgetSeconds: number;
}

export const BACKOFF = {
  /** One client guessing one account: 5 tries, then 1 s, 2 s, 4 s … up to 15 minutes between tries. */
  signInPair: { free: 5, baseSeconds: 1, maxSeconds: 15 * 60, forgetSeconds: 24 * 60 * 60 },
  /**
   * One client across every account (credential stuffing). A budget an office
   * behind one address never reaches by mistyping, and a short cap, because
   * everyone behind that address shares the wait.
   */
  signInClient: { free: 100, baseSeconds: 1, maxSeconds: 60, forgetSeconds: 24 * 60 * 60 },
} satisfies Record<string, BackoffPolicy>;

/** Seconds an attempt must wait after the last one, given the failures counted so far. */
export function backoffDelaySeconds(failures: number, p: BackoffPolicy): number {
  if (failures < p.free) return 0;
  return Math.min(p.maxSeconds, p.baseSeconds * 2 ** Math.min(failures - p.free, 30));
}

export type BackoffClaim = { ok: true; key: string } | { ok: false; key: string; retryAfter: number };

/**
 * Claims one attempt on `key`: counted as a failure up front (so parallel
 * attempts cannot all slip through one gap) when the key's delay has passed,
 * refused otherwise. One atomic upsert; PostgreSQL re-checks the condition on the
 * row it locked, so two processes cannot both take the same slot.
 */
export async function claimBackoff(db: Db, key: string, p: BackoffPolicy, now = new Date()): Promise<BackoffClaim> {
  const at = now.toISOString();
  const forgotten = new Date(now.getTime() - p.forgetSeconds * 1000).toISOString();
  const delay = sql`(case when t.failures < ${p.free} then 0
    else least(${p.maxSeconds}::float8, ${p.baseSeconds}::float8 * power(2::float8, least(t.failures - ${p.free}, 30))) end)`;
  const [claimed] = await rows<{ failures: number }>(
    db,
    sql`insert into backoff_counters as t (key, failures, last_attempt_at) values (${key}, 1, ${at}::timestamptz)
        on conflict (key) do update
          set failures = case when t.last_attempt_at <= ${forgotten}::timestamptz then 1 else t.failures + 1 end,
              last_attempt_at = ${at}::timestamptz
          where t.last_attempt_at <= ${forgotten}::timestamptz
             or t.last_attempt_at + ${delay} * interval '1 second' <= ${at}::timestamptz
        returning failures`,
  );
  if (Math.random() < 0.01) void sweep(db, now).catch(() => {});
  if (claimed) return { ok: true, key };
  const [row] = await db.select().from(backoffCounters).where(eq(backoffCounters.key, key));
  const waitMs = row ? row.lastAttemptAt.getTime() + backoffDelaySeconds(row.failures, p) * 1000 - now.getTime() : 0;
  return { ok: false, key, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/** Gives back the attempt a claim counted (it was not a failure after all). */
export async function refundBackoff(db: Db, key: string): Promise<void> {
  await db
    .update(backoffCounters)
    .set({ failures: sql`greatest(${backoffCounters.failures} - 1, 0)` })
    .where(eq(backoffCounters.key, key));
}

/** Forgets a key's failures altogether. */
export async function clearBackoff(db: Db, key: string): Promise<void> {
  await db.delete(backoffCounters).where(eq(backoffCounters.key, key));
}

export function rateLimited(retryAfter: number): ServiceError {
  return new ServiceError('rate_limited', `Too many attempts. Try again in ${humanWait(retryAfter)}.`, { retryAfter });
}

/** Drops windows and backoff counters older than two days (every window and memory is at most a day). */
export async function sweep(db: Db, now = new Date()): Promise<void> {
  const cutoff = new Date(now.getTime() - 2 * 24 * 60 * 60 * 1000);
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, cutoff));
  await db.delete(backoffCounters).where(lt(backoffCounters.lastAttemptAt, cutoff));
}
