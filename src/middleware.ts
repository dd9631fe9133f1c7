import { defineMiddleware } from 'astro:middleware';
import { env } from './lib/env';
import { securityHeaders } from './lib/http';

/**
 * Session → Astro.locals, and security headers on every response. Authorization
 * is not decided here: each page and action calls its own guard.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  context.locals.user = null;
  context.locals.session = null;
  context.locals.membership = null;
  const { loadSession } = await import('./lib/auth/middleware-session');
  await loadSession(context);
  const response = await next();
  securityHeaders(response.headers, env().NODE_ENV === 'production');
  return response;
});
