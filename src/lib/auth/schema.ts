import { z } from 'zod';
import { env } from '#lib/env';
import { text } from '#lib/shared/text';
import { safeRedirect } from '#lib/shared/redirect';

/**
 * Field schemas for accounts, defined once and composed into the forms'
 * schemas; the actions take these as their input and the services trust them.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const emailField = text({ error: 'Enter your email address.' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .pipe(z.email({ error: 'Enter an email address like name@example.com.' }));

/** New passwords: 8 to 128 characters, nothing else imposed (NIST 800-63B). */
export const newPasswordField = text({ error: 'Choose a password.' })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

/** A password being checked: any length up to a bound, so a wrong one gets the same answer as any other. */
export const currentPasswordField = text({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(1024, 'Incorrect email or password.');

export const nameField = text({ error: 'Enter your name.' }).trim().min(1, 'Enter your name.').max(100, 'Use at most 100 characters.');

/**
 * Where to go after signing in: a path on this site only (see safeRedirect). An
 * unsafe or overlong value is dropped rather than refused, so the form still works.
 */
export const nextField = z
  .string()
  .transform((v) => safeRedirect(v, env().PUBLIC_SITE_URL))
  .optional();

export const tokenField = text({ error: 'This link is not valid.' }).regex(/^[a-z2-7]{32}$/, 'This link is not valid. Request a new one.');

export const signUpSchema = z.object({
  name: nameField,
  email: emailField,
  password: newPasswordField,
  next: nextField,
});

export const signInSchema = z.object({
  email: text({ error: 'Enter your email address.' }).trim().toLowerCase().min(1, 'Enter your email address.').max(254, 'Incorrect email or password.'),
  password: currentPasswordField,
  next: nextField,
});

export const forgotPasswordSchema = z.object({ email: emailField });

export const resetPasswordSchema = z
  .object({ token: tokenField, password: newPasswordField, confirm: text().max(PASSWORD_MAX) })
  .refine((v) => v.password === v.confirm, { message: 'The two passwords do not match.', path: ['confirm'] });

export const changePasswordSchema = z
  .object({ currentPassword: currentPasswordField, newPassword: newPasswordField, confirm: text().max(PASSWORD_MAX) })
  .refine((v) => v.newPassword === v.confirm, { message: 'The two passwords do not match.', path: ['confirm'] });

export const verifyEmailSchema = z.object({ token: tokenField });
