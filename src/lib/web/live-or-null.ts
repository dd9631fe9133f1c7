import type { Db } from '#db/client';
import { errInfo, log } from '#lib/log';
import { getRuntime } from '#lib/runtime';

/**
 * Reads live figures a public page can do without (open-job counts, pay in postings, the
 * latest postings): when the database is unavailable the page still reads well, so the
 * failure is logged under `what` ("roles: job counts") and the page gets null instead.
 */
export async function liveOrNull<T>(what: string, load: (db: Db) => Promise<T>): Promise<T | null> {
  try {
    return await load((await getRuntime()).db);
  } catch (err) {
    log.error({ err: errInfo(err) }, `${what} unavailable`);
    return null;
  }
}
