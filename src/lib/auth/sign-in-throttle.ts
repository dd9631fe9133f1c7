import type { Db } from '#db/client';
import { BACKOFF, claimBackoff, clearBackoff, rateLimited, refundBackoff } from '#lib/ratelimit';
import { sha256Hex } from '#lib/shared/tokens';

/**
 * Sign-in throttling as OWASP advises, instead of account lockouts: growing delays
 * per (account, client) pair and, with a larger budget, per client. Nothing is
 * counted per account alone, so failures from one client never stop the owner
 * signing in from another. The client is the rate-limit identity from clientIp()
 * (the socket's peer, or the address our trusted proxies recorded).
 */
export const signInKeys = {
  /** Hashed so the table keeps no record of what people typed into the email field. */
  pair: (email: string, client: string) => `signIn:pair:${sha256Hex(`${email.trim().toLowerCase()}\n${client}`)}`,
  client: (client: string) => `signIn:client:${client}`,
};

export interface SignInAttempt {
  pairKey: string;
  clientKey: string;
}

/**
 * Takes one attempt for `email` from `client`, counted as a failure until
 * signInSucceeded says otherwise; throws `rate_limited` (with the longer wait) when
 * the pair or the client must wait. Both claims commit together or not at all.
 */
export async function beginSignIn(db: Db, email: string, client: string, now = new Date()): Promise<SignInAttempt> {
  const attempt = { pairKey: signInKeys.pair(email, client), clientKey: signInKeys.client(client) };
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const pair = await claimBackoff(t, attempt.pairKey, BACKOFF.signInPair, now);
    const byClient = await claimBackoff(t, attempt.clientKey, BACKOFF.signInClient, now);
    const waits = [pair, byClient].flatMap((c) => (c.ok ? [] : [c.retryAfter]));
    if (waits.length) throw rateLimited(Math.max(...waits));
  });
  return attempt;
}

/** The password was right: the pair starts afresh, and the client gets this attempt back. */
export async function signInSucceeded(db: Db, attempt: SignInAttempt): Promise<void> {
  await clearBackoff(db, attempt.pairKey);
  await refundBackoff(db, attempt.clientKey);
}
