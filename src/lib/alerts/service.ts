import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '#db/client';
import { savedSearches } from '#db/schema';
import { secretKey, sign, verifySigned } from '#lib/secrets';
import { parseSearchParams, toQueryString } from '#lib/search/params';
import { FREQUENCY_MS, SaveSearchSchema, type SaveSearchInput } from './schema';

export class AlertError extends Error {}

const MAX_PER_USER = 20;

/** Saves the search (normalized to its canonical query string); the first digest is due one period later. */
export async function saveSearch(db: Db, userId: string, input: SaveSearchInput, now = new Date()) {
  const data = SaveSearchSchema.parse(input);
  // Validates the query exactly as /jobs does; "jobs I qualify for" is per-visit and not stored.
  const params = parseSearchParams(new URLSearchParams(data.query));
  const query = toQueryString({ ...params, page: 1, qualified: undefined });
  const existing = await db
    .select({ id: savedSearches.id })
    .from(savedSearches)
    .where(and(eq(savedSearches.userId, userId), isNull(savedSearches.unsubscribedAt)));
  if (existing.length >= MAX_PER_USER) throw new AlertError(`You can keep up to ${MAX_PER_USER} saved searches. Delete one to add another.`);
  const [row] = await db
    .insert(savedSearches)
    .values({
      userId,
      name: data.name,
      query,
      frequency: data.frequency,
      nextDueAt: new Date(now.getTime() + FREQUENCY_MS[data.frequency]),
      createdAt: now,
    })
    .returning();
  return row!;
}

export function listSavedSearches(db: Db, userId: string) {
  return db
    .select()
    .from(savedSearches)
    .where(and(eq(savedSearches.userId, userId), isNull(savedSearches.unsubscribedAt)))
    .orderBy(desc(savedSearches.createdAt));
}

/** Owner-scoped: another user's id changes nothing and reports not found. */
export async function deleteSavedSearch(db: Db, userId: string, id: string): Promise<boolean> {
  const r = await db
    .delete(savedSearches)
    .where(and(eq(savedSearches.id, id), eq(savedSearches.userId, userId)))
    .returning({ id: savedSearches.id });
  return r.length > 0;
}

export async function unsubscribeToken(db: Db, savedSearchId: string): Promise<string> {
  return sign(await secretKey(db, 'unsubscribe'), savedSearchId);
}

/** Works without signing in: the signed token is the capability. Idempotent. */
export async function unsubscribe(db: Db, token: string, now = new Date()): Promise<{ name: string } | null> {
  const id = verifySigned(await secretKey(db, 'unsubscribe'), token);
  if (!id || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const [row] = await db.select().from(savedSearches).where(eq(savedSearches.id, id));
  if (!row) return null;
  if (!row.unsubscribedAt) await db.update(savedSearches).set({ unsubscribedAt: now }).where(eq(savedSearches.id, id));
  return { name: row.name };
}

export async function lookupUnsubscribe(db: Db, token: string): Promise<{ name: string; done: boolean } | null> {
  const id = verifySigned(await secretKey(db, 'unsubscribe'), token);
  if (!id || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const [row] = await db.select().from(savedSearches).where(eq(savedSearches.id, id));
  return row ? { name: row.name, done: row.unsubscribedAt !== null } : null;
}
