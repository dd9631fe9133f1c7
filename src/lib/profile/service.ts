import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { candidateProfiles, licenses, licenseVerifications, users } from '#db/schema';
import { invalid, notFound } from '#lib/shared/errors';
import { parseOrThrow } from '#lib/shared/forms';
import { licenseSchema, licenseUpdateSchema, profileSchema, type LicenseInput, type ProfileInput } from './schema';
import { ensureProfileRow, refreshProfileSearchText } from './search-text';
import type { ClockOpts } from '#lib/shared/clock';

/**
 * The candidate's own profile and licenses. Every function takes the acting
 * user's id and touches only that user's rows: another user's license id is
 * the same not-found as a missing one.
 */
export type LicenseRow = typeof licenses.$inferSelect;

export interface CandidateProfile {
  userId: string;
  name: string;
  email: string;
  phone: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  headline: string | null;
  yearsExperience: number | null;
  modalities: string[];
  populations: string[];
  desiredRoles: string[];
  desiredSettings: string[];
  desiredSchedules: string[];
  updatedAt: Date | null;
}

export async function getCandidateProfile(db: Db, userId: string): Promise<CandidateProfile | null> {
  const [r] = await db
    .select({ user: { id: users.id, name: users.name, email: users.email }, profile: candidateProfiles })
    .from(users)
    .leftJoin(candidateProfiles, eq(candidateProfiles.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  if (!r) return null;
  const p = r.profile;
  return {
    userId: r.user.id,
    name: r.user.name,
    email: r.user.email,
    phone: p?.phone ?? null,
    city: p?.city ?? null,
    state: p?.state ?? null,
    zip: p?.zip ?? null,
    headline: p?.headline ?? null,
    yearsExperience: p?.yearsExperience ?? null,
    modalities: p?.modalities ?? [],
    populations: p?.populations ?? [],
    desiredRoles: p?.desiredRoles ?? [],
    desiredSettings: p?.desiredSettings ?? [],
    desiredSchedules: p?.desiredSchedules ?? [],
    updatedAt: p?.updatedAt ?? null,
  };
}

export async function listLicenses(db: Pick<Db, 'select'>, userId: string): Promise<LicenseRow[]> {
  return db
    .select()
    .from(licenses)
    .where(eq(licenses.userId, userId))
    .orderBy(sql`${licenses.expiresOn} asc nulls last`, asc(licenses.credentialCode), asc(licenses.state));
}

export async function saveProfile(db: Db, userId: string, raw: ProfileInput, opts: ClockOpts = {}): Promise<void> {
  const v = parseOrThrow(profileSchema, raw);
  const now = opts.now ?? new Date();
  const { name, ...profile } = v;
  await db.transaction(async (tx) => {
    const [u] = await tx.update(users).set({ name }).where(eq(users.id, userId)).returning({ id: users.id });
    if (!u) throw notFound();
    await tx
      .insert(candidateProfiles)
      .values({ userId, ...profile, updatedAt: now })
      .onConflictDoUpdate({ target: candidateProfiles.userId, set: { ...profile, updatedAt: now } });
    await refreshProfileSearchText(tx, [userId]);
  });
}

function duplicateMessage(credentialCode: string, state: string | null): string {
  return state
    ? `You already listed your ${credentialCode} in ${state}. Edit that one instead.`
    : `You already listed your ${credentialCode}. Edit that one instead.`;
}

async function assertNoDuplicate(tx: Pick<Db, 'select'>, userId: string, v: { credentialCode: string; state: string | null }, exceptId?: string) {
  const conds = [
    eq(licenses.userId, userId),
    eq(licenses.credentialCode, v.credentialCode),
    v.state === null ? sql`${licenses.state} is null` : eq(licenses.state, v.state),
  ];
  if (exceptId) conds.push(ne(licenses.id, exceptId));
  const [dup] = await tx
    .select({ id: licenses.id })
    .from(licenses)
    .where(and(...conds))
    .limit(1);
  if (dup)
    throw invalid(duplicateMessage(v.credentialCode, v.state), {
      credentialCode: [duplicateMessage(v.credentialCode, v.state)],
    });
}

export const MAX_LICENSES = 30;

export async function addLicense(db: Db, userId: string, raw: LicenseInput): Promise<LicenseRow> {
  const v = parseOrThrow(licenseSchema, raw);
  return db.transaction(async (tx) => {
    // One writer at a time per user, so the duplicate check and the cap hold under concurrent submits.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`licenses:${userId}`}, 0))`);
    await assertNoDuplicate(tx, userId, v);
    const [n] = await tx.select({ n: sql<number>`count(*)::int` }).from(licenses).where(eq(licenses.userId, userId));
    if (Number(n?.n ?? 0) >= MAX_LICENSES) throw invalid(`You can list at most ${MAX_LICENSES} licenses and certifications.`);
    const [row] = await tx
      .insert(licenses)
      .values({ userId, ...v })
      .returning();
    await ensureProfileRow(tx, userId);
    await refreshProfileSearchText(tx, [userId]);
    return row!;
  });
}

/**
 * Edits a license. A change to anything a state board vouches for (credential,
 * state, number, expiry, multistate) removes every organization's verification
 * of it: they verified the old facts, not the new ones.
 */
export async function updateLicense(
  db: Db,
  userId: string,
  raw: LicenseInput & { licenseId: string },
): Promise<{ license: LicenseRow; verificationsCleared: number }> {
  const { licenseId, ...v } = parseOrThrow(licenseUpdateSchema, raw);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`licenses:${userId}`}, 0))`);
    const [before] = await tx
      .select()
      .from(licenses)
      .where(and(eq(licenses.id, licenseId), eq(licenses.userId, userId)))
      .for('update');
    if (!before) throw notFound();
    await assertNoDuplicate(tx, userId, v, licenseId);
    const changed =
      before.credentialCode !== v.credentialCode ||
      before.state !== v.state ||
      before.number !== v.number ||
      before.expiresOn !== v.expiresOn ||
      before.compact !== v.compact;
    const [row] = await tx.update(licenses).set(v).where(eq(licenses.id, licenseId)).returning();
    let cleared = 0;
    if (changed) {
      const gone = await tx.delete(licenseVerifications).where(eq(licenseVerifications.licenseId, licenseId)).returning({ id: licenseVerifications.id });
      cleared = gone.length;
    }
    await refreshProfileSearchText(tx, [userId]);
    return { license: row!, verificationsCleared: cleared };
  });
}

export async function removeLicense(db: Db, userId: string, licenseId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(licenses)
      .where(and(eq(licenses.id, licenseId), eq(licenses.userId, userId)))
      .returning({ id: licenses.id });
    if (gone.length === 0) throw notFound();
    await refreshProfileSearchText(tx, [userId]);
  });
}
