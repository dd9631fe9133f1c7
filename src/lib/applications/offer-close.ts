import type { Tx } from '#db/client';
import { and, eq, inArray } from 'drizzle-orm';
import { offers } from '#db/schema';

/**
 * An application that leaves the pipeline (rejected, withdrawn) takes its open offer with it:
 * withdrawn in the same transaction, so neither the account page nor the emailed link can still
 * accept it.
 */
export async function closeOpenOffers(tx: Pick<Tx, 'update'>, applicationId: string, now: Date): Promise<void> {
  await tx
    .update(offers)
    .set({ status: 'withdrawn', respondedAt: now })
    .where(and(eq(offers.applicationId, applicationId), inArray(offers.status, ['awaiting_approval', 'sent'])));
}
