import { defineMiddleware } from 'astro:middleware';
import { env } from '#lib/env';
import { securityHeaders } from '#lib/web/http';
import { checkMethod, checkTarget } from '#lib/web/edge';
import { checkActionBody } from '#lib/web/action-body';
import { noteRoute } from '#lib/web/request-context';
import { isDependencyDown, unavailableResponse } from '#lib/web/unavailable';

/**
 * Session → Astro.locals, and security headers on every response. Authorization
 * is not decided here: each page and action calls its own guard
 * (requireUser / requireMember in src/lib/auth/guards.ts).
 *
 * The request checks below also run in the Node edge in front of the built server
 * (src/lib/web/node-server.ts); they are repeated here so `astro dev` behaves the same.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  context.locals.user = null;
  context.locals.session = null;
  context.locals.membership = null;
  noteRoute(context.request.headers.get('x-request-id'), context.routePattern);
  const production = env().NODE_ENV === 'production';
  const wantsJson = context.url.pathname.startsWith('/api/') || context.url.pathname.startsWith('/_actions/');
  const finish = (response: Response): Response => {
    securityHeaders(response.headers, production);
    return response;
  };

  const refusal = checkMethod(context.request.method) ?? checkTarget(context.url.pathname + context.url.search);
  if (refusal) {
    return finish(
      new Response(`${refusal.message}\n`, {
        status: refusal.status,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', ...refusal.headers },
      }),
    );
  }
  const badBody = await checkActionBody(context.request, context.url);
  if (badBody) return finish(badBody);

  // With the database down, a session cannot be read: carry on signed out, so pages that
  // need no database (search answers from Meilisearch) still work; a page that needs the
  // session or the database then gets the 503 below instead of a sign-in form.
  let degraded = false;
  try {
    const { loadSession } = await import('#lib/web/middleware-session');
    await loadSession(context);
  } catch (err) {
    if (!isDependencyDown(err)) throw err;
    degraded = true;
  }
  let response: Response;
  try {
    response = await next();
  } catch (err) {
    if (!isDependencyDown(err)) throw err;
    return finish(unavailableResponse(wantsJson));
  }
  if (degraded && response.status >= 300 && response.status < 400 && response.headers.get('Location')?.startsWith('/sign-in')) {
    return finish(unavailableResponse(wantsJson));
  }
  // Actions and pages that refuse with 429 leave the wait in locals; the header says it.
  if (response.status === 429 && context.locals.retryAfter && !response.headers.has('Retry-After')) {
    response.headers.set('Retry-After', String(context.locals.retryAfter));
  }
  // Pages rendered for a signed-in user are theirs alone: no shared cache may keep them.
  if (context.locals.user && !response.headers.has('Cache-Control')) {
    response.headers.set('Cache-Control', 'private, no-store');
  }
  return finish(response);
});
