import { inArray } from 'drizzle-orm';
import type { Db } from '#db/client';
import { resumes } from '#db/schema';
import { deleteResumeFile, listResumeFiles, type ResumeStore } from './storage';

/**
 * Removes resume files no row names any more: left by a process that died between a
 * deletion's commit and removing its files (account deletion removes files after the
 * commit), or by an upload whose transaction failed. Only files older than `minAgeMs`: an
 * upload writes its file before its row (the text is read in between), so a young file
 * without a row may be one in progress.
 */
export async function sweepOrphanResumeFiles(db: Db, store: ResumeStore, opts: { now?: Date; minAgeMs?: number } = {}): Promise<string[]> {
  const now = opts.now ?? new Date();
  const cutoff = now.getTime() - (opts.minAgeMs ?? 60 * 60 * 1000);
  const old = (await listResumeFiles(store)).filter((f) => f.modifiedAt.getTime() < cutoff).map((f) => f.key);
  const removed: string[] = [];
  for (let i = 0; i < old.length; i += 500) {
    const chunk = old.slice(i, i + 500);
    const known = new Set((await db.select({ key: resumes.storageKey }).from(resumes).where(inArray(resumes.storageKey, chunk))).map((r) => r.key));
    for (const key of chunk) {
      if (known.has(key)) continue;
      await deleteResumeFile(store, key);
      removed.push(key);
    }
  }
  return removed;
}
