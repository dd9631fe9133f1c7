import { eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobs, organizations } from '#db/schema';
import { auditOrg } from '#lib/audit/log';
import { ORG_ADMINS } from '#lib/domain/roles';
import type { MemberRole } from '#lib/domain/taxonomy';
import { enqueueSearchSync } from '#lib/search/outbox';
import { forbidden, notFound } from '#lib/shared/errors';
import { processLogo } from './image';
import { type LogoStore, writeLogoFile } from './storage';

interface Actor {
  userId: string;
  orgId: string;
  role: MemberRole;
}

/**
 * Sets (or with null, removes) an organization's logo. The image is checked and re-encoded
 * before anything is written, so a refused file changes nothing; the file is written before the
 * row points at it (content-addressed, so a retry rewrites nothing). Search documents carry the
 * logo, so the organization's jobs go through the outbox in the same transaction.
 */
export async function setOrganizationLogo(db: Db, store: LogoStore, actor: Actor, upload: Uint8Array | null): Promise<{ logoPath: string | null }> {
  if (!ORG_ADMINS.includes(actor.role)) throw forbidden();
  const processed = upload ? await processLogo(upload) : null;
  if (processed) await writeLogoFile(store, processed.key, processed.bytes);
  const logoPath = processed?.key ?? null;
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ logoPath: organizations.logoPath }).from(organizations).where(eq(organizations.id, actor.orgId)).for('update');
    if (!before) throw notFound();
    if (before.logoPath === logoPath) return { logoPath };
    await tx.update(organizations).set({ logoPath }).where(eq(organizations.id, actor.orgId));
    const orgJobs = await tx.select({ id: jobs.id }).from(jobs).where(eq(jobs.orgId, actor.orgId));
    if (orgJobs.length)
      await enqueueSearchSync(
        tx,
        orgJobs.map((j) => j.id),
      );
    await auditOrg(tx, actor, {
      action: logoPath ? 'organization.logo_set' : 'organization.logo_removed',
      data: processed ? { width: processed.width, height: processed.height, bytes: processed.bytes.byteLength } : {},
    });
    return { logoPath };
  });
}
