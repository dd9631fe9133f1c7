import type { AstroGlobal } from 'astro';
import type { Db } from '../../../db/client';
import type { MemberRole } from '../domain/taxonomy';
import { ServiceError } from '../errors';
import { paths } from '../paths';
import { ALL_ROLES, requireMember, requireUser, type MemberContext } from './guards';
import type { SessionUser } from './types';

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

export async function pageMember(Astro: PageCtx, db: Db, orgRef: string | undefined, roles: readonly MemberRole[] = ALL_ROLES): Promise<MemberContext | Response> {
  try {
    return await requireMember(db, Astro.locals, orgRef ?? '', roles);
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    if (err.code === 'unauthenticated') return signInRedirect(Astro);
    if (err.code === 'forbidden') return Astro.rewrite('/employer/forbidden');
    return notFoundResponse();
  }
}
