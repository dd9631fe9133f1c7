import { defineMiddleware } from 'astro:middleware';
import { env } from './lib/env';
import { securityHeaders } from './lib/http';

/**
 * Session → Astro.locals, and security headers on every response. Authorization
 * is not decided here: each page and action calls its own guard
 * (requireUser / requireMember in src/lib/auth/guards.ts).
 */
export const onRequest = defineMiddleware(async (context, next) => {
  context.locals.user = null;
  context.locals.session = null;
  context.locals.membership = null;
  const { loadSession } = await import('./lib/auth/middleware-session');
  await loadSession(context);
  const response = await next();
  // Actions and pages that refuse with 429 leave the wait in locals; the header says it.
  if (response.status === 429 && context.locals.retryAfter && !response.headers.has('Retry-After')) {
    response.headers.set('Retry-After', String(context.locals.retryAfter));
  }
  // Pages rendered for a signed-in user are theirs alone: no shared cache may keep them.
  if (context.locals.user && !response.headers.has('Cache-Control')) {
    response.headers.set('Cache-Control', 'private, no-store');
  }
  securityHeaders(response.headers, env().NODE_ENV === 'production');
  return response;
});
