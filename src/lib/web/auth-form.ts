import type { AstroGlobal } from 'astro';
import { env } from '#lib/env';
import { paths } from '#lib/paths';
import { safeRedirect } from '#lib/shared/redirect';
import { type FormErrorState, formErrors, postedValues } from './form-state';

/** A sign-in or sign-up action's result as the page reads it: both go on to `next` when they succeed. */
type AuthOutcome = { data: { next: string }; error: undefined } | { data: undefined; error: Error } | undefined;

interface AuthForm {
  /** What was typed, to fill the form again after an error (never the password). */
  posted: Record<string, string>;
  /** Where the visitor was headed, carried through the form; only ever a path on this site. */
  next: string | undefined;
  errors: FormErrorState;
}

/**
 * The start of the sign-in and sign-up pages. A post that succeeded goes on to where it was
 * headed; someone already signed in (who did not just post) goes to `next` or the account page.
 * Usage: `const form = await authForm(Astro, Astro.getActionResult(actions.auth.signIn)); if (form instanceof Response) return form;`
 */
export async function authForm(Astro: Pick<AstroGlobal, 'request' | 'url' | 'locals' | 'redirect'>, result: AuthOutcome): Promise<AuthForm | Response> {
  if (result && !result.error) return Astro.redirect(result.data.next, 303);
  const posted = await postedValues(Astro.request);
  const next = safeRedirect(posted.next ?? Astro.url.searchParams.get('next'), env().PUBLIC_SITE_URL);
  if (Astro.locals.user && !result) return Astro.redirect(next ?? paths.account(), 303);
  return { posted, next, errors: formErrors(result?.error) };
}
