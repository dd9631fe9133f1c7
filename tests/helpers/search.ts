import type { Db } from '#db/client';
import type { SearchEngine } from '#lib/search/engine';
import { drainOnce, pendingCount } from '#lib/search/outbox';
import { parseSearchParams } from '#lib/search/params';
import { searchJobs } from '#lib/search/service';

/** Drain the outbox until empty (or a batch fails). */
export async function drainAll(db: Db, engine: SearchEngine): Promise<void> {
  for (let i = 0; i < 100 && (await pendingCount(db)) > 0; i++) {
    const r = await drainOnce(db, engine);
    if (r.failed) throw new Error('drain failed');
  }
}

export function search(db: Db, engine: SearchEngine, qs: string, opts: { forceEngine?: 'postgres' } = {}) {
  return searchJobs({ db, engine }, parseSearchParams(new URLSearchParams(qs)), {}, opts);
}
