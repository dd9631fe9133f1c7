import { lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { rows } from '../../db/client';
import { rateLimits } from '../../db/schema';
import { ServiceError } from './errors';

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
 * behind NAT); per-account limits are the tight ones. Sign-in counts failures
 * only (a success refunds its hit), so a busy office can always sign in.
 */
export const POLICIES = {
  signInIp: { limit: 50, windowSeconds: 15 * 60 },
  signInAccount: { limit: 5, windowSeconds: 15 * 60 },
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
  return { ok: count <= policy.limit, count, limit: policy.limit, retryAfter: retryAfterSeconds(now, start, policy.windowSeconds), key, windowStart: start };
}

/** Gives a hit back (a sign-in that succeeded should not count toward a failure limit). */
export async function refund(db: Db, h: Pick<Hit, 'key' | 'windowStart'>): Promise<void> {
  await db.execute(
    sql`update ${rateLimits} set count = greatest(count - 1, 0) where key = ${h.key} and window_start = ${h.windowStart.toISOString()}`,
  );
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
    throw new ServiceError('rate_limited', `Too many attempts. Try again in ${humanWait(retryAfter)}.`, { retryAfter });
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

/** Drops windows older than a day (every policy's window is at most a day). */
export async function sweep(db: Db, now = new Date()): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, new Date(now.getTime() - 2 * 24 * 60 * 60 * 1000)));
}
