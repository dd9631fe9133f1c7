import type { Tx } from '#db/client';
import { and, eq, isNull } from 'drizzle-orm';
import { interviewLinks } from '#db/schema';
import { randomToken, sha256Hex } from '#lib/shared/tokens';

/**
 * The candidate's scheduling links: a random token in the URL, only its SHA-256 stored. Issuing a
 * new one revokes the interview's earlier links, so only the newest email works.
 */
const MAX_LIFETIME_MS = 14 * 24 * 3600_000;
export const TOKEN_RE = /^[a-z2-7]{32}$/;

export type LinkRow = typeof interviewLinks.$inferSelect;
export type LinkState = 'active' | 'expired' | 'used' | 'revoked';

export function linkState(l: Pick<LinkRow, 'expiresAt' | 'usedAt' | 'revokedAt'>, now: Date): LinkState {
  if (l.usedAt) return 'used';
  if (l.revokedAt) return 'revoked';
  if (l.expiresAt <= now) return 'expired';
  return 'active';
}

export async function revokeLinks(tx: Pick<Tx, 'update'>, interviewId: string, now: Date): Promise<void> {
  await tx
    .update(interviewLinks)
    .set({ revokedAt: now })
    .where(and(eq(interviewLinks.interviewId, interviewId), isNull(interviewLinks.usedAt), isNull(interviewLinks.revokedAt)));
}

/** A fresh link for the interview, valid until its last proposed time starts (14 days at most). */
export async function issueLink(
  tx: Pick<Tx, 'update' | 'insert'>,
  interview: { id: string; applicationId: string },
  slots: { startsAt: Date }[],
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  await revokeLinks(tx, interview.id, now);
  const token = randomToken(20);
  const last = Math.max(...slots.map((s) => s.startsAt.getTime()));
  const expiresAt = new Date(Math.min(last, now.getTime() + MAX_LIFETIME_MS));
  await tx
    .insert(interviewLinks)
    .values({ interviewId: interview.id, applicationId: interview.applicationId, tokenHash: sha256Hex(token), expiresAt, createdAt: now });
  return { token, expiresAt };
}

export const hashOf = (token: string) => sha256Hex(token);
