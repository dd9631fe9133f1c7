import type { AstroGlobal } from 'astro';
import type { Db } from '#db/client';
import type { MemberRole } from '#lib/domain/taxonomy';
import { isServiceError, ServiceError } from '#lib/shared/errors';
import { paths } from '#lib/paths';
import { ALL_ROLES } from '#lib/domain/roles';
import { requireMember, requireUser, type MemberContext } from './guards';
import type { SessionUser } from '#lib/auth/types';

/**
 * The guards for pages: the same requireUser / requireMember, with their
 * refusals turned into responses a page returns as is —
 *   not signed in → 303 to sign-in (and back afterwards),
 *   not a member, or no such organization → the site's 404, identical for both,
 *   a member without the role → 403.
 * Usage: `const m = await pageMember(Astro, db, slug, JOB_EDITORS); if (m instanceof Response) return m;`
 */
type PageCtx = Pick<AstroGlobal, 'locals' | 'url' | 'redirect' | 'rewrite'>;

export function notFoundResponse(): Response {
  return new Response(null, { status: 404, statusText: 'Not found' });
}

function signInRedirect(Astro: PageCtx): Response {
  return Astro.redirect(paths.signIn(`${Astro.url.pathname}${Astro.url.search}`), 303);
}

export function pageUser(Astro: PageCtx): SessionUser | Response {
  try {
    return requireUser(Astro.locals);
  } catch {
    return signInRedirect(Astro);
  }
}

export async function pageMember(
  Astro: PageCtx,
  db: Db,
  orgRef: string | undefined,
  roles: readonly MemberRole[] = ALL_ROLES,
): Promise<MemberContext | Response> {
  try {
    return await requireMember(db, Astro.locals, orgRef ?? '', roles);
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    if (err.code === 'unauthenticated') return signInRedirect(Astro);
    if (err.code === 'forbidden') return Astro.rewrite('/employer/forbidden');
    return notFoundResponse();
  }
}

/**
 * Runs a page's guard-and-load step and turns the services' refusals into the
 * responses a page returns as is: not signed in → 303 to sign-in and back;
 * not found (missing, or another organization's) → the site's 404; a member
 * without the role → the forbidden page. Anything else propagates.
 * Usage: `const data = await pageLoad(Astro, () => …); if (data instanceof Response) return data;`
 */
type LoadCtx = Pick<AstroGlobal, 'url' | 'redirect' | 'rewrite'>;

export async function pageLoad<T>(Astro: LoadCtx, load: () => Promise<T>): Promise<T | Response> {
  try {
    return await load();
  } catch (err) {
    if (!isServiceError(err)) throw err;
    if (err.code === 'unauthenticated') return Astro.redirect(paths.signIn(`${Astro.url.pathname}${Astro.url.search}`), 303);
    if (err.code === 'forbidden') return Astro.rewrite('/employer/forbidden');
    if (err.code === 'not_found') return notFoundResponse();
    throw err;
  }
}

/** A page's own URL with a notice for the next GET (post/redirect/get), keeping the query it had. */
export function withNotice(url: URL, notice: string, extra: Record<string, string> = {}, hash = ''): string {
  const u = new URL(url.pathname + url.search, 'http://x');
  u.searchParams.delete('_action');
  u.searchParams.set('notice', notice);
  for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
  return `${u.pathname}${u.search}${hash}`;
}
