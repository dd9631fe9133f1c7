import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '#db/client';
import { applicationEvents, licenses, licenseVerifications } from '#db/schema';
import { conflict, notFound } from '#lib/shared/errors';
import { ownedApplication, type TeamActor } from './access';
import { parseOrThrow } from '#lib/shared/forms';
import { unverifySchema, verifySchema } from './schema';
import { EVENT_KINDS } from './stages';
import type { ClockOpts } from '#lib/shared/clock';

/** License verification by the hiring team: recorded against the lookup page a member checked. */

async function licenseOfApplicant(tx: Tx, actor: TeamActor, applicationId: string, licenseId: string) {
  const { candidateId } = await ownedApplication(tx, actor, applicationId);
  // An anonymized application has no candidate, so no license of theirs to check.
  if (!candidateId) throw notFound();
  const [lic] = await tx
    .select()
    .from(licenses)
    .where(and(eq(licenses.id, licenseId), eq(licenses.userId, candidateId)));
  if (!lic) throw notFound();
  return lic;
}

/**
 * Records that this organization checked a license with the state board:
 * who, when, and the board's lookup page. Visible to this organization only.
 * Checking again refreshes it. An event goes on the application it was done from.
 */
export async function verifyLicense(db: Db, actor: TeamActor, raw: { applicationId: string; licenseId: string; lookupUrl: string }, opts: ClockOpts = {}) {
  const v = parseOrThrow(verifySchema, raw);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const lic = await licenseOfApplicant(tx, actor, v.applicationId, v.licenseId);
    await tx
      .insert(licenseVerifications)
      .values({
        licenseId: lic.id,
        orgId: actor.orgId,
        verifiedBy: actor.userId,
        verifiedAt: now,
        lookupUrl: v.lookupUrl,
      })
      .onConflictDoUpdate({
        target: [licenseVerifications.licenseId, licenseVerifications.orgId],
        set: { verifiedBy: actor.userId, verifiedAt: now, lookupUrl: v.lookupUrl },
      });
    await tx.insert(applicationEvents).values({
      applicationId: v.applicationId,
      actorId: actor.userId,
      kind: EVENT_KINDS.licenseVerified,
      data: {
        licenseId: lic.id,
        credential: lic.credentialCode,
        state: lic.state,
        number: lic.number,
        lookupUrl: v.lookupUrl,
      },
      createdAt: now,
    });
    return { licenseId: lic.id, verifiedAt: now };
  });
}

export async function unverifyLicense(db: Db, actor: TeamActor, raw: { applicationId: string; licenseId: string }, opts: ClockOpts = {}) {
  const v = parseOrThrow(unverifySchema, raw);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const lic = await licenseOfApplicant(tx, actor, v.applicationId, v.licenseId);
    const gone = await tx
      .delete(licenseVerifications)
      .where(and(eq(licenseVerifications.licenseId, lic.id), eq(licenseVerifications.orgId, actor.orgId)))
      .returning({ id: licenseVerifications.id });
    if (!gone.length) throw conflict('This license is not verified by your organization.');
    await tx.insert(applicationEvents).values({
      applicationId: v.applicationId,
      actorId: actor.userId,
      kind: EVENT_KINDS.licenseUnverified,
      data: { licenseId: lic.id, credential: lic.credentialCode, state: lic.state },
      createdAt: now,
    });
    return { licenseId: lic.id };
  });
}
