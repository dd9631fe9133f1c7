import { escapeHtml, type MailMessage } from '#lib/mail';
import type { MailDeps } from '#lib/mail-queue';

/**
 * The account emails, as plain text (and a minimal HTML twin). Links are absolute
 * on PUBLIC_SITE_URL; tokens travel only in the link. Building a message sends
 * nothing: the services queue it (queueMail) in the transaction that causes it.
 */
export type { MailDeps };

const link = (site: string, path: string) => new URL(path, site).toString();

function message(to: string, subject: string, paragraphs: string[], action?: { label: string; url: string }): MailMessage {
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : []), '', '— PHP/IOP Jobs'].join('\n\n');
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(action ? [`<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`] : []),
    '<p>— PHP/IOP Jobs</p>',
  ].join('\n');
  return { to, subject, text, html };
}

export function verifyEmailMessage(deps: Pick<MailDeps, 'siteUrl'>, to: string, name: string, token: string, next?: string): MailMessage {
  const url = new URL(`/verify-email?token=${token}`, deps.siteUrl);
  if (next) url.searchParams.set('next', next);
  return message(
    to,
    'Confirm your email address',
    [
      `Hi ${name},`,
      'Confirm that this is your email address so employers and candidates can reach you, then sign in. The link works once and expires in 48 hours.',
      'If you did not create an account on PHP/IOP Jobs, ignore this email.',
    ],
    { label: 'Confirm your email', url: url.toString() },
  );
}

/** To the owner of an address someone tried to sign up with (sign-up answers the same either way). */
export function signUpAttemptMessage(deps: Pick<MailDeps, 'siteUrl'>, to: string, name: string): MailMessage {
  return message(
    to,
    'Someone tried to sign up with your address',
    [
      `Hi ${name},`,
      'Someone (hopefully you) tried to create a PHP/IOP Jobs account with this email address, which already has an account. No new account was created and nothing about yours changed.',
      'If it was you, sign in instead. If you forgot your password, choose a new one from the sign-in page. If it was not you, ignore this email.',
    ],
    { label: 'Sign in', url: link(deps.siteUrl, '/sign-in') },
  );
}

export function resetPasswordMessage(deps: Pick<MailDeps, 'siteUrl'>, to: string, token: string): MailMessage {
  return message(
    to,
    'Reset your password',
    [
      'Someone (hopefully you) asked to reset the password for this account. The link works once and expires in one hour.',
      'If it was not you, ignore this email: your password stays as it is.',
    ],
    { label: 'Choose a new password', url: link(deps.siteUrl, `/reset-password?token=${token}`) },
  );
}

export function passwordChangedMessage(to: string): MailMessage {
  return message(to, 'Your password was changed', [
    'The password for your PHP/IOP Jobs account was just changed, and every device signed in to it was signed out.',
    'If you did not do this, reset your password now and contact us.',
  ]);
}

export function invitationMessage(
  deps: Pick<MailDeps, 'siteUrl'>,
  to: string,
  orgName: string,
  inviter: string,
  roleLabel: string,
  token: string,
): MailMessage {
  return message(
    to,
    `${inviter} invited you to ${orgName} on PHP/IOP Jobs`,
    [
      `${inviter} invited you to join ${orgName} as ${roleLabel}.`,
      'The invitation expires in 7 days. If you were not expecting it, you can ignore this email.',
    ],
    { label: 'Accept the invitation', url: link(deps.siteUrl, `/invitations/${token}`) },
  );
}
