import { escapeHtml, type Mailer, type MailMessage } from '../mail';

/**
 * The account emails, as plain text (and a minimal HTML twin). Links are absolute
 * on PUBLIC_SITE_URL; tokens travel only in the link.
 */
export interface MailDeps {
  mailer: Mailer;
  /** PUBLIC_SITE_URL */
  siteUrl: string;
}

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

export function verifyEmailMessage(deps: MailDeps, to: string, name: string, token: string): MailMessage {
  return message(
    to,
    'Confirm your email address',
    [`Hi ${name},`, 'Confirm that this is your email address so employers and candidates can reach you. The link works once and expires in 48 hours.'],
    { label: 'Confirm your email', url: link(deps.siteUrl, `/verify-email?token=${token}`) },
  );
}

export function resetPasswordMessage(deps: MailDeps, to: string, token: string): MailMessage {
  return message(
    to,
    'Reset your password',
    ['Someone (hopefully you) asked to reset the password for this account. The link works once and expires in one hour.', 'If it was not you, ignore this email: your password stays as it is.'],
    { label: 'Choose a new password', url: link(deps.siteUrl, `/reset-password?token=${token}`) },
  );
}

export function passwordChangedMessage(to: string): MailMessage {
  return message(to, 'Your password was changed', [
    'The password for your PHP/IOP Jobs account was just changed, and every device signed in to it was signed out.',
    'If you did not do this, reset your password now and contact us.',
  ]);
}

export function invitationMessage(deps: MailDeps, to: string, orgName: string, inviter: string, roleLabel: string, token: string): MailMessage {
  return message(
    to,
    `${inviter} invited you to ${orgName} on PHP/IOP Jobs`,
    [`${inviter} invited you to join ${orgName} as ${roleLabel}.`, 'The invitation expires in 7 days. If you were not expecting it, you can ignore this email.'],
    { label: 'Accept the invitation', url: link(deps.siteUrl, `/invitations/${token}`) },
  );
}

/** Sends without making the caller wait (and without timing that depends on the mail server). */
export function sendInBackground(mailer: Mailer, msg: MailMessage): Promise<void> {
  return mailer.send(msg).catch((err) => {
    console.error('[mail]', err instanceof Error ? err.message : err);
  });
}
