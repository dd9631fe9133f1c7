import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { appSecrets } from '#db/schema';

const cache = new Map<string, Buffer>();

/** A 256-bit key by name: created once (first writer wins), then read by every process. */
export async function secretKey(db: Db, name: string): Promise<Buffer> {
  const hit = cache.get(name);
  if (hit) return hit;
  await db
    .insert(appSecrets)
    .values({ name, value: crypto.randomBytes(32).toString('base64') })
    .onConflictDoNothing();
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  const key = Buffer.from(row!.value, 'base64');
  cache.set(name, key);
  return key;
}

/** `payload.signature`, URL-safe; verify in constant time. */
export function sign(key: Buffer, payload: string): string {
  const mac = crypto.createHmac('sha256', key).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}

export function verifySigned(key: Buffer, token: string): string | null {
  const i = token.lastIndexOf('.');
  if (i <= 0) return null;
  const payload = token.slice(0, i);
  const expected = Buffer.from(sign(key, payload).slice(i + 1));
  const given = Buffer.from(token.slice(i + 1));
  return expected.length === given.length && crypto.timingSafeEqual(expected, given) ? payload : null;
}
