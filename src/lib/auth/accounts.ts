import { eq, sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { users } from '#db/schema';
import { ServiceError, invalid } from '#lib/shared/errors';
import { enforce, keys, POLICIES, refund } from '#lib/ratelimit';
import { consumeEmailToken, createEmailToken } from './email-tokens';
import { queueMail } from '#lib/mail-queue';
import { passwordChangedMessage, resetPasswordMessage, signUpAttemptMessage, verifyEmailMessage, type MailDeps } from './emails';
import { dummyHash, hashPassword, verifyPassword } from './password';
import { invalidateUserSessions } from './session';
import { beginSignIn, signInSucceeded } from './sign-in-throttle';
import type { SessionUser } from './types';

/**
 * Accounts: sign up, sign in, email verification, password change and reset.
 * Rate limits are counted in the database per IP and per account (email), so
 * they hold across restarts and processes. Every email is queued (queueMail) in
 * the transaction that writes what it is about; the worker is woken after commit.
 */
export interface RequestMeta {
  /** Client IP (rate-limit key). */
  ip: string;
  now?: Date;
}

/**
 * The one answer to every failed sign-in: unknown email, wrong password and an account whose
 * address is not confirmed yet are indistinguishable (else signing up and then signing in
 * would tell whether the address already had an account).
 */
export const SIGN_IN_FAILED = 'Incorrect email or password. If you just created your account, open the confirmation link we emailed you first.';

/** What sign-up says, whether or not the address already has an account. */
export const SIGN_UP_SENT = 'Check your email to continue. We sent a message to the address you entered.';

/** The one answer to every reset request, whether or not the address has an account. */
export const RESET_REQUESTED = 'If an account uses that address, we sent it a link to choose a new password. The link expires in one hour.';

type UserRow = typeof users.$inferSelect;

const toSessionUser = (u: Pick<UserRow, 'id' | 'email' | 'name' | 'emailVerifiedAt'>): SessionUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  emailVerified: u.emailVerifiedAt !== null,
});

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [u] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`).limit(1);
  return u;
}

/**
 * Signs up without telling whether the address is taken: a new address gets an
 * unconfirmed account and a confirmation link (it can sign in once confirmed); an
 * address with an account gets no account, and its owner is told someone tried.
 * The caller answers the same either way, and the password is hashed in both
 * branches so the argon2 cost does not tell them apart either.
 */
export async function signUp(
  db: Db,
  mail: MailDeps,
  input: { name: string; email: string; password: string; next?: string },
  meta: RequestMeta,
): Promise<void> {
  const now = meta.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  await enforce(
    db,
    [
      { key: keys.ip('signUpIp', meta.ip), policy: POLICIES.signUpIp },
      { key: keys.account('signUpAccount', email), policy: POLICIES.signUpAccount },
    ],
    now,
  );
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const [created] = await tx.insert(users).values({ email, name: input.name.trim(), passwordHash, createdAt: now }).onConflictDoNothing().returning();
    if (created) {
      const token = await createEmailToken(tx, created.id, 'verify_email', now);
      await queueMail(tx, verifyEmailMessage(mail, created.email, created.name, token, input.next));
      return;
    }
    const owner = await findUserByEmail(tx, email);
    if (owner) await queueMail(tx, signUpAttemptMessage(mail, owner.email, owner.name));
  });
}

/**
 * Checks the password. Unknown emails are verified against a dummy argon2 hash so
 * both failures take the same time and say the same thing. Attempts are throttled
 * per (account, client) and per client with growing delays (sign-in-throttle.ts).
 */
export async function signIn(db: Db, input: { email: string; password: string }, meta: RequestMeta): Promise<SessionUser> {
  const now = meta.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  const attempt = await beginSignIn(db, email, meta.ip, now);
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), input.password);
  if (!user || !ok || !user.emailVerifiedAt || input.password.length > 1024) {
    throw new ServiceError('invalid', SIGN_IN_FAILED);
  }
  await signInSucceeded(db, attempt);
  return toSessionUser(user);
}

export async function sendVerification(db: Db, mail: MailDeps, user: SessionUser, now = new Date()): Promise<void> {
  if (user.emailVerified) return;
  await db.transaction(async (tx) => {
    const token = await createEmailToken(tx, user.id, 'verify_email', now);
    await queueMail(tx, verifyEmailMessage(mail, user.email, user.name, token));
  });
}

/** "Send the link again", limited per account. */
export async function resendVerification(db: Db, mail: MailDeps, user: SessionUser, meta: RequestMeta): Promise<void> {
  if (user.emailVerified) return;
  await enforce(db, [{ key: keys.id('verifyAccount', user.id), policy: POLICIES.verifyAccount }], meta.now);
  await sendVerification(db, mail, user, meta.now);
}

export async function verifyEmail(db: Db, token: string, meta: RequestMeta): Promise<string> {
  const now = meta.now ?? new Date();
  await enforce(db, [{ key: keys.ip('tokenIp', meta.ip), policy: POLICIES.tokenIp }], now);
  const userId = await db.transaction(async (tx) => {
    const id = await consumeEmailToken(tx, token, 'verify_email', now);
    if (id) await tx.update(users).set({ emailVerifiedAt: now }).where(eq(users.id, id));
    return id;
  });
  if (!userId) throw invalid('This confirmation link has expired or was already used. Sign in and send yourself a new one.');
  return userId;
}

/**
 * Sends a reset link if the address has an account; says and does the same
 * visible thing either way (the email is queued, and the worker sends it later,
 * so timing does not depend on the mail server either).
 */
export async function requestPasswordReset(db: Db, mail: MailDeps, emailInput: string, meta: RequestMeta): Promise<void> {
  const now = meta.now ?? new Date();
  const email = emailInput.trim().toLowerCase();
  await enforce(
    db,
    [
      { key: keys.ip('resetIp', meta.ip), policy: POLICIES.resetIp },
      { key: keys.account('resetAccount', email), policy: POLICIES.resetAccount },
    ],
    now,
  );
  const user = await findUserByEmail(db, email);
  if (!user) return;
  await db.transaction(async (tx) => {
    const token = await createEmailToken(tx, user.id, 'reset_password', now);
    await queueMail(tx, resetPasswordMessage(mail, user.email, token));
  });
}

/**
 * Sets a new password from a reset link. The link proves the mailbox, so the
 * address counts as verified; every session of the account ends (a thief's
 * included) and the owner is told by email.
 */
export async function resetPassword(db: Db, _mail: MailDeps, token: string, password: string, meta: RequestMeta): Promise<string> {
  const now = meta.now ?? new Date();
  await enforce(db, [{ key: keys.ip('tokenIp', meta.ip), policy: POLICIES.tokenIp }], now);
  const passwordHash = await hashPassword(password);
  const userId = await db.transaction(async (tx) => {
    const id = await consumeEmailToken(tx, token, 'reset_password', now);
    if (!id) return null;
    const [u] = await tx
      .update(users)
      .set({
        passwordHash,
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`,
      })
      .where(eq(users.id, id))
      .returning({ email: users.email });
    await invalidateUserSessions(tx, id);
    if (u) await queueMail(tx, passwordChangedMessage(u.email));
    return id;
  });
  if (!userId) throw invalid('This reset link has expired or was already used. Request a new one.');
  return userId;
}

/**
 * Changes the password of a signed-in user, after checking the current one.
 * Ends every session of the account; the caller starts a new one for this browser.
 */
export async function changePassword(
  db: Db,
  _mail: MailDeps,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const now = meta.now ?? new Date();
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new ServiceError('unauthenticated', 'Sign in again.');
  const hits = await enforce(db, [{ key: keys.id('changePassword', user.id), policy: POLICIES.changePassword }], now);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw invalid('Your current password is not correct.', {
      currentPassword: ['Your current password is not correct.'],
    });
  }
  for (const h of hits) await refund(db, h);
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await invalidateUserSessions(tx, userId);
    await queueMail(tx, passwordChangedMessage(user.email));
  });
}
