import type { AstroCookies } from 'astro';
import { and, eq, lt, ne, or } from 'drizzle-orm';
import type { Db } from '#db/client';
import { sessions, users } from '#db/schema';
import { randomToken, sha256Bytes, timingSafeEqual } from '#lib/shared/tokens';
import type { SessionInfo, SessionUser } from './types';

/**
 * Sessions as the Lucia guide builds them on @oslojs. This one module owns the
 * token, the session row and the cookie.
 *
 * Token: `<id>.<secret>`, both from the CSPRNG. The id is the row's primary key
 * (a lookup handle); only SHA-256(secret) is stored, and compared in constant
 * time, so a leaked database cannot be replayed as cookies.
 *
 * Lifetime: a session dies after IDLE_MS without use, and in any case ABSOLUTE_MS
 * after it was created. Use slides the idle window, but the row is written at
 * most once per RENEW_MS so reads stay reads.
 */
export const IDLE_MS = 7 * 24 * 60 * 60 * 1000;
export const ABSOLUTE_MS = 30 * 24 * 60 * 60 * 1000;
export const RENEW_MS = 60 * 60 * 1000;

export interface ValidatedSession {
  session: SessionInfo & { userId: string };
  user: SessionUser;
  /** The idle window slid (the cookie's Expires should follow). */
  renewed: boolean;
  expiresAt: Date;
}

export function sessionExpiresAt(s: { createdAt: Date; lastVerifiedAt: Date }): Date {
  return new Date(Math.min(s.lastVerifiedAt.getTime() + IDLE_MS, s.createdAt.getTime() + ABSOLUTE_MS));
}

export async function createSession(
  db: Db,
  userId: string,
  opts: { activeOrgId?: string | null; now?: Date } = {},
): Promise<{ token: string; session: SessionInfo & { userId: string }; expiresAt: Date }> {
  const now = opts.now ?? new Date();
  const id = randomToken(15);
  const secret = randomToken(20);
  const row = {
    id,
    secretHash: Buffer.from(sha256Bytes(secret)),
    userId,
    activeOrgId: opts.activeOrgId ?? null,
    createdAt: now,
    lastVerifiedAt: now,
  };
  await db.insert(sessions).values(row);
  // Housekeeping on sign-in: this user's sessions past either limit go (validation also drops them lazily).
  await db
    .delete(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        or(lt(sessions.lastVerifiedAt, new Date(now.getTime() - IDLE_MS)), lt(sessions.createdAt, new Date(now.getTime() - ABSOLUTE_MS))),
      ),
    );
  const session = { id, userId, activeOrgId: row.activeOrgId, createdAt: now, lastVerifiedAt: now };
  return { token: `${id}.${secret}`, session, expiresAt: sessionExpiresAt(session) };
}

function parseToken(token: string): { id: string; secret: string } | null {
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [id, secret] = parts as [string, string];
  if (!/^[a-z2-7]{24}$/.test(id) || !/^[a-z2-7]{32}$/.test(secret)) return null;
  return { id, secret };
}

export async function validateSessionToken(db: Db, token: string, now = new Date()): Promise<ValidatedSession | null> {
  const parsed = parseToken(token);
  if (!parsed) return null;
  const [row] = await db
    .select({
      id: sessions.id,
      secretHash: sessions.secretHash,
      userId: sessions.userId,
      activeOrgId: sessions.activeOrgId,
      createdAt: sessions.createdAt,
      lastVerifiedAt: sessions.lastVerifiedAt,
      email: users.email,
      name: users.name,
      emailVerifiedAt: users.emailVerifiedAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, parsed.id))
    .limit(1);
  if (!row) return null;
  if (!timingSafeEqual(sha256Bytes(parsed.secret), new Uint8Array(row.secretHash))) return null;
  let expiresAt = sessionExpiresAt(row);
  if (now.getTime() >= expiresAt.getTime()) {
    await db.delete(sessions).where(eq(sessions.id, row.id));
    return null;
  }
  let lastVerifiedAt = row.lastVerifiedAt;
  let renewed = false;
  if (now.getTime() - row.lastVerifiedAt.getTime() >= RENEW_MS) {
    lastVerifiedAt = now;
    renewed = true;
    await db.update(sessions).set({ lastVerifiedAt: now }).where(eq(sessions.id, row.id));
    expiresAt = sessionExpiresAt({ createdAt: row.createdAt, lastVerifiedAt });
  }
  return {
    session: { id: row.id, userId: row.userId, activeOrgId: row.activeOrgId, createdAt: row.createdAt, lastVerifiedAt },
    user: { id: row.userId, email: row.email, name: row.name, emailVerified: row.emailVerifiedAt !== null },
    renewed,
    expiresAt,
  };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Every session of the user (sign out everywhere, password change or reset), optionally sparing one. */
export async function invalidateUserSessions(db: Db, userId: string, opts: { except?: string } = {}): Promise<number> {
  const where = opts.except ? and(eq(sessions.userId, userId), ne(sessions.id, opts.except)) : eq(sessions.userId, userId);
  const gone = await db.delete(sessions).where(where).returning({ id: sessions.id });
  return gone.length;
}

/**
 * A fresh session in place of the current one, for privilege changes (creating
 * or joining an organization): a token anyone saw before the change is dead after it.
 */
export async function rotateSession(
  db: Db,
  oldSessionId: string | null,
  userId: string,
  opts: { activeOrgId?: string | null; now?: Date } = {},
): ReturnType<typeof createSession> {
  if (oldSessionId) await invalidateSession(db, oldSessionId);
  return createSession(db, userId, opts);
}

/** Switching organizations keeps the session (no privilege is gained that the user did not hold). */
export async function setActiveOrg(db: Db, sessionId: string, orgId: string | null): Promise<void> {
  await db.update(sessions).set({ activeOrgId: orgId }).where(eq(sessions.id, sessionId));
}

/** Housekeeping: rows past either limit (validation deletes them lazily as well). */
export async function deleteExpiredSessions(db: Db, now = new Date()): Promise<number> {
  const idle = new Date(now.getTime() - IDLE_MS);
  const absolute = new Date(now.getTime() - ABSOLUTE_MS);
  const gone = await db
    .delete(sessions)
    .where(or(lt(sessions.lastVerifiedAt, idle), lt(sessions.createdAt, absolute)))
    .returning({ id: sessions.id });
  return gone.length;
}

// ---------------------------------------------------------------- cookie

export interface CookieOptions {
  /** NODE_ENV=production: `__Host-` prefix and Secure, always. */
  production: boolean;
  /** The request came over https (in development, Secure only then, so plain http://localhost works). */
  https: boolean;
}

export function sessionCookieName(production: boolean): string {
  return production ? '__Host-session' : 'session';
}

/** HttpOnly; Secure; SameSite=Lax; Path=/ — and no Domain, as `__Host-` requires. */
export function sessionCookieAttributes(opts: CookieOptions, expires: Date) {
  return {
    httpOnly: true,
    secure: opts.production || opts.https,
    sameSite: 'lax' as const,
    path: '/',
    expires,
  };
}

type Cookies = Pick<AstroCookies, 'get' | 'set' | 'delete'>;

export function readSessionCookie(cookies: Cookies, opts: CookieOptions): string | undefined {
  return cookies.get(sessionCookieName(opts.production))?.value;
}

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: Date, opts: CookieOptions): void {
  cookies.set(sessionCookieName(opts.production), token, sessionCookieAttributes(opts, expiresAt));
}

export function deleteSessionCookie(cookies: Cookies, opts: CookieOptions): void {
  cookies.set(sessionCookieName(opts.production), '', { ...sessionCookieAttributes(opts, new Date(0)), maxAge: 0 });
}
