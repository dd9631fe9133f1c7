import { defineAction } from 'astro:actions';
import { changePassword, requestPasswordReset, resendVerification, resetPassword, RESET_REQUESTED, signIn, signUp, verifyEmail } from '#lib/auth/accounts';
import { changePasswordSchema, forgotPasswordSchema, resetPasswordSchema, signInSchema, signUpSchema, verifyEmailSchema } from '#lib/auth/schema';
import { invalidateUserSessions } from '#lib/auth/session';
import { clientIp, endSession, startSession } from '#lib/web/request-auth';
import { paths } from '#lib/paths';
import { formAction, run, userAction, userOf } from './_shared';

/** Accounts: thin wrappers — schema in, service call, session cookie, result out. */
export const auth = {
  signUp: formAction(signUpSchema, async ({ db, mail, ctx }, input) => {
    // The same answer whether or not the address already has an account, and no session:
    // the account is usable once its address is confirmed (see signUp).
    await signUp(db, mail, input, { ip: clientIp(ctx) });
    return { next: paths.signUpSent(input.next) };
  }),

  signIn: formAction(signInSchema, async ({ db, ctx }, input) => {
    const user = await signIn(db, input, { ip: clientIp(ctx) });
    await startSession(ctx, db, user);
    return { next: input.next ?? (ctx.locals.membership ? '/employer' : '/account') };
  }),

  /** Ends every session of the account, this browser's included. */
  signOutEverywhere: defineAction({
    accept: 'form',
    handler: (_input, ctx) =>
      run(ctx, async ({ db }) => {
        const user = userOf(ctx);
        const n = await invalidateUserSessions(db, user.id);
        await endSession(ctx, db);
        return { ended: n };
      }),
  }),

  resendVerification: defineAction({
    accept: 'form',
    handler: (_input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const user = userOf(ctx);
        await resendVerification(db, mail, user, { ip: clientIp(ctx) });
        return { sentTo: user.email };
      }),
  }),

  verifyEmail: formAction(verifyEmailSchema, async ({ db, ctx }, input) => {
    const userId = await verifyEmail(db, input.token, { ip: clientIp(ctx) });
    if (ctx.locals.user?.id === userId) ctx.locals.user = { ...ctx.locals.user, emailVerified: true };
    return { verified: true };
  }),

  forgotPassword: formAction(forgotPasswordSchema, async ({ db, mail, ctx }, input) => {
    await requestPasswordReset(db, mail, input.email, { ip: clientIp(ctx) });
    return { message: RESET_REQUESTED };
  }),

  resetPassword: formAction(resetPasswordSchema, async ({ db, mail, ctx }, input) => {
    await resetPassword(db, mail, input.token, input.password, { ip: clientIp(ctx) });
    // Every session ended, this browser's too: the person signs in with the new password.
    await endSession(ctx, db);
    return { reset: true };
  }),

  changePassword: userAction(changePasswordSchema, async ({ db, mail, ctx }, user, input) => {
    await changePassword(db, mail, user.id, input, { ip: clientIp(ctx) });
    // All sessions ended; this browser continues on a new one.
    ctx.locals.session = null;
    await startSession(ctx, db, user, { activeOrgId: ctx.locals.membership?.orgId ?? null });
    return { changed: true };
  }),
};
