import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '#db/client';
import { emailTokens } from '#db/schema';
import { randomToken, sha256Hex } from '#lib/shared/tokens';

/**
 * Single-use emailed tokens (verify email, reset password). The link carries the
 * token; the table holds its SHA-256, an expiry and when it was used. Consuming
 * is one conditional UPDATE, so a token works once even under concurrent clicks.
 */
export type EmailTokenPurpose = 'verify_email' | 'reset_password';

export const TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 48 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
};

export async function createEmailToken(db: Db, userId: string, purpose: EmailTokenPurpose, now = new Date()): Promise<string> {
  const token = randomToken(20);
  // A new link supersedes older unused ones for the same purpose.
  await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
  await db.insert(emailTokens).values({
    userId,
    purpose,
    tokenHash: sha256Hex(token),
    expiresAt: new Date(now.getTime() + TOKEN_TTL_MS[purpose]),
    createdAt: now,
  });
  return token;
}

/** The user the token belongs to, marking it used; null when unknown, used, expired or for another purpose. */
export async function consumeEmailToken(db: Pick<Db, 'update'>, token: string, purpose: EmailTokenPurpose, now = new Date()): Promise<string | null> {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.tokenHash, sha256Hex(token)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
    .returning({ userId: emailTokens.userId });
  return row?.userId ?? null;
}

/** Whether a token is still usable, without using it (the reset page checks before showing its form). */
export async function peekEmailToken(db: Db, token: string, purpose: EmailTokenPurpose, now = new Date()): Promise<boolean> {
  const [row] = await db
    .select({ id: emailTokens.id })
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, sha256Hex(token)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
    .limit(1);
  return Boolean(row);
}
