import type { APIContext } from 'astro';
import { getRuntime } from '#lib/runtime';
import { readSessionCookie } from '#lib/auth/session';
import { cookieOptions, loadSessionInto } from './request-auth';

/** Reads the session cookie into locals (user, session, membership). Authorization is left to each page and action. */
export async function loadSession(context: Pick<APIContext, 'cookies' | 'locals' | 'url'>): Promise<void> {
  if (!readSessionCookie(context.cookies, cookieOptions(context.url))) return;
  const { db } = await getRuntime();
  await loadSessionInto(context, db);
}
