import type { APIContext } from 'astro';
import type { Db } from '#db/client';
import { env } from '#lib/env';
import { activeMembership } from '#lib/orgs/queries';
import { clientAddress, clientKey } from './client-address';
import type { MailDeps } from '#lib/auth/emails';
import {
  createSession,
  deleteSessionCookie,
  invalidateSession,
  readSessionCookie,
  rotateSession,
  setSessionCookie,
  validateSessionToken,
  type CookieOptions,
} from '#lib/auth/session';
import type { SessionUser } from '#lib/auth/types';

/**
 * The session at the HTTP edge: what middleware, pages and actions share to read
 * the cookie, start a session (always a fresh one: no fixation) and end it.
 */
type Ctx = Pick<APIContext, 'cookies' | 'url' | 'locals'>;

export function cookieOptions(url: URL): CookieOptions {
  return { production: env().NODE_ENV === 'production', https: url.protocol === 'https:' };
}

/**
 * The client as rate limits count it: the socket's peer, or with TRUST_PROXY the
 * address our own proxies recorded (see client-address.ts); an IPv6 client by its /64.
 * Astro's clientAddress is the socket's peer as long as `security.allowedDomains`
 * stays unset (with it set, Astro would substitute the leftmost, spoofable
 * X-Forwarded-For entry).
 */
export function clientIp(ctx: Pick<APIContext, 'clientAddress' | 'request'>): string {
  let socket: string | undefined;
  try {
    socket = ctx.clientAddress;
  } catch {
    socket = undefined; // no socket (prerendering, some adapters)
  }
  return clientKey(clientAddress({ socket, forwardedFor: ctx.request.headers.get('x-forwarded-for'), trustProxy: env().TRUST_PROXY }));
}

/** What services need to queue mail: the site's origin for links. */
export function mailDeps(): MailDeps {
  return { siteUrl: env().PUBLIC_SITE_URL };
}

/** Reads the cookie into locals; renews the cookie when the idle window slid; drops a dead cookie. */
export async function loadSessionInto(ctx: Ctx, db: Db, now = new Date()): Promise<void> {
  const opts = cookieOptions(ctx.url);
  const token = readSessionCookie(ctx.cookies, opts);
  if (!token) return;
  const v = await validateSessionToken(db, token, now);
  if (!v) {
    deleteSessionCookie(ctx.cookies, opts);
    return;
  }
  if (v.renewed) setSessionCookie(ctx.cookies, token, v.expiresAt, opts);
  ctx.locals.user = v.user;
  ctx.locals.session = {
    id: v.session.id,
    createdAt: v.session.createdAt,
    lastVerifiedAt: v.session.lastVerifiedAt,
    activeOrgId: v.session.activeOrgId,
  };
  ctx.locals.membership = await activeMembership(db, v.user.id, v.session.activeOrgId);
}

/**
 * Signs the browser in as `userId` with a brand-new session. Any session the
 * browser carried before is deleted first, so a token planted or seen before
 * sign-in (or before a privilege change) is dead afterwards.
 */
export async function startSession(ctx: Ctx, db: Db, user: SessionUser, opts: { activeOrgId?: string | null } = {}): Promise<void> {
  const userId = user.id;
  const previous = ctx.locals.session?.id ?? null;
  let activeOrgId = opts.activeOrgId;
  if (activeOrgId === undefined) activeOrgId = (await activeMembership(db, userId, null))?.orgId ?? null;
  const { token, session, expiresAt } = previous
    ? await rotateSession(db, previous, userId, { activeOrgId })
    : await createSession(db, userId, { activeOrgId });
  setSessionCookie(ctx.cookies, token, expiresAt, cookieOptions(ctx.url));
  ctx.locals.user = user;
  ctx.locals.session = {
    id: session.id,
    createdAt: session.createdAt,
    lastVerifiedAt: session.lastVerifiedAt,
    activeOrgId: session.activeOrgId,
  };
  ctx.locals.membership = await activeMembership(db, userId, session.activeOrgId);
}

/** Signs this browser out (its session row is deleted, the cookie cleared). */
export async function endSession(ctx: Ctx, db: Db): Promise<void> {
  if (ctx.locals.session) await invalidateSession(db, ctx.locals.session.id);
  deleteSessionCookie(ctx.cookies, cookieOptions(ctx.url));
  ctx.locals.user = null;
  ctx.locals.session = null;
  ctx.locals.membership = null;
}
