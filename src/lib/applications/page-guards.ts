import type { AstroGlobal } from 'astro';
import { notFoundResponse } from '../auth/page-guards';
import { isServiceError } from '../errors';
import { paths } from '../paths';

/**
 * Runs a page's guard-and-load step and turns the services' refusals into the
 * responses a page returns as is: not signed in → 303 to sign-in and back;
 * not found (missing, or another organization's) → the site's 404; a member
 * without the role → the forbidden page. Anything else propagates.
 * Usage: `const data = await pageLoad(Astro, () => …); if (data instanceof Response) return data;`
 */
type PageCtx = Pick<AstroGlobal, 'url' | 'redirect' | 'rewrite'>;

export async function pageLoad<T>(Astro: PageCtx, load: () => Promise<T>): Promise<T | Response> {
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
