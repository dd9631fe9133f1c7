import { describe, expect, it } from 'vitest';
import { createJob } from '#lib/jobs/service';
import { searchSyncPending } from '#lib/search/outbox';
import { jobInput, makeTeam } from '../helpers/factories';
import { drainAll, search } from '../helpers/search';
import { freshEngine, hasMeili, hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

/** Issue 13: the job editor says "Live in search" only once search has the posting. */
describe.skipIf(!hasPostgres || !hasMeili)(`live-in-search status (${skipReason})`, () => {
  const h = useTestDb();

  it('is pending from publish until the search worker has applied it, then live', async () => {
    const engine = await freshEngine();
    const team = await makeTeam(h.db, 'Harbor Light');
    const job = await createJob(h.db, team.actors.admin, jobInput({ title: 'Therapist Quillfeather' }), {
      publish: true,
    });
    expect(await searchSyncPending(h.db, job.id)).toBe(true);
    expect((await search(h.db, engine, 'q=Quillfeather')).total).toBe(0);

    await drainAll(h.db, engine);
    expect(await searchSyncPending(h.db, job.id)).toBe(false);
    expect((await search(h.db, engine, 'q=Quillfeather')).total).toBe(1);
  });
});
