import crypto from 'node:crypto';

/**
 * Counting people rather than page loads, the way privacy-first analytics do: no cookie, no script,
 * nothing stored that names a visitor. A visit is identified for one day only by
 * SHA-256(today's random salt, address, user agent, job, kind); the salt lives in the database for
 * that day and is deleted after it, so a stored hash cannot be tied back to an address afterwards.
 */
export type VisitKind = 'view' | 'apply';

/**
 * Crawlers, link previews, monitors and HTTP libraries announce themselves in the user agent; an empty
 * one is not a browser either. (A bot that pretends to be a browser is counted: this keeps honest
 * bots out, which are most of them.)
 */
const BOT =
  /bot\b|bot\/|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|preview|lighthouse|headless|phantom|curl\/|wget|python|java\/|go-http|okhttp|axios|node-fetch|undici|^node$|libwww|httpclient|monitor|pingdom|uptime|scanner|feedfetcher|feedparser|rss/i;

export function isBot(userAgent: string | null | undefined): boolean {
  const ua = (userAgent ?? '').trim();
  return ua.length === 0 || BOT.test(ua);
}

/** The UTC day a moment falls on, YYYY-MM-DD (the unit views are counted in). */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Held in memory until the next flush: the address and agent already reduced to a digest, never written as is. */
export function visitorDigest(address: string, userAgent: string): string {
  return crypto.createHash('sha256').update(address).update('\0').update(userAgent).digest('base64url');
}

/** The day's mark for one visitor, job and kind. */
export function visitMark(salt: string, digest: string, jobId: string, kind: VisitKind): string {
  return crypto.createHash('sha256').update(salt).update('\0').update(digest).update('\0').update(jobId).update('\0').update(kind).digest('base64url');
}
