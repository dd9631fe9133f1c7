import { eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { licenses } from '#db/schema';
import type { HeldLicense } from './eligibility';

export async function candidateLicenses(db: Db, userId: string): Promise<HeldLicense[]> {
  return db
    .select({
      credentialCode: licenses.credentialCode,
      state: licenses.state,
      expiresOn: licenses.expiresOn,
      compact: licenses.compact,
    })
    .from(licenses)
    .where(eq(licenses.userId, userId));
}
