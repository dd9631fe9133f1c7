import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { savedJobs } from '#db/schema';
import { submitApplication } from '#lib/applications/apply';
import { withdrawApplication } from '#lib/applications/candidate';
import { listSavedJobs, setSaved, viewerStates } from '#lib/saved/service';
import type { ServiceError } from '#lib/shared/errors';
import { makeJob, makeOrg, makeResume, makeUser, tempStore } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

const DAY = 86_400_000;

describe.skipIf(!hasPostgres)(`saved jobs (${skipReason})`, () => {
  const h = useTestDb();
  const store = tempStore();
  afterAll(() => store.cleanup());

  it('saves idempotently, removes, and refuses drafts and unknown jobs with the same not-found', async () => {
    const org = await makeOrg(h.db);
    const user = await makeUser(h.db);
    const job = await makeJob(h.db, org.id);
    const draft = await makeJob(h.db, org.id, { status: 'draft', postedAt: null });
    expect(await setSaved(h.db, user.id, job.id, true)).toEqual({ saved: true });
    expect(await setSaved(h.db, user.id, job.id, true)).toEqual({ saved: true }); // a double submit
    expect(await h.db.select().from(savedJobs).where(eq(savedJobs.userId, user.id))).toHaveLength(1);
    for (const id of [draft.id, '00000000-0000-4000-8000-000000000000']) {
      const err = await setSaved(h.db, user.id, id, true).catch((e: unknown) => e);
      expect((err as ServiceError).code).toBe('not_found');
    }
    expect(await setSaved(h.db, user.id, job.id, false)).toEqual({ saved: false });
    expect(await setSaved(h.db, user.id, job.id, false)).toEqual({ saved: false });
    expect(await h.db.select().from(savedJobs).where(eq(savedJobs.userId, user.id))).toHaveLength(0);
  });

  it('lists saved jobs newest saved first, open or marked closed/expired, and only the owner’s', async () => {
    const org = await makeOrg(h.db);
    const user = await makeUser(h.db);
    const other = await makeUser(h.db);
    const open = await makeJob(h.db, org.id, { title: 'Open one' });
    const closed = await makeJob(h.db, org.id, { title: 'Closed one', status: 'closed', closedAt: new Date() });
    const expired = await makeJob(h.db, org.id, { title: 'Expired one', validThrough: new Date(Date.now() - DAY), postedAt: new Date(Date.now() - 40 * DAY) });
    for (const j of [expired, closed, open]) await setSaved(h.db, user.id, j.id, true);
    await setSaved(h.db, other.id, open.id, true);
    const list = await listSavedJobs(h.db, user.id);
    expect(list.map((s) => [s.hit.title, s.open, s.closedReason])).toEqual([
      ['Open one', true, null],
      ['Closed one', false, 'closed'],
      ['Expired one', false, 'expired'],
    ]);
    expect(list[0]!.hit.orgSlug).toBe(org.slug);
    expect(await listSavedJobs(h.db, other.id)).toHaveLength(1);
  });

  it('tells which jobs on a page the candidate saved and applied to; a withdrawn application is not "Applied"', async () => {
    const org = await makeOrg(h.db);
    const user = await makeUser(h.db);
    const [a, b, c] = [await makeJob(h.db, org.id), await makeJob(h.db, org.id), await makeJob(h.db, org.id)];
    const resume = await makeResume(h.db, store, user.id);
    await submitApplication(h.db, { store }, user.id, { jobId: a.id, resumeId: resume.id });
    const { applicationId } = await submitApplication(h.db, { store }, user.id, { jobId: b.id, resumeId: resume.id });
    await withdrawApplication(h.db, user.id, { applicationId, version: 1, confirm: true });
    await setSaved(h.db, user.id, c.id, true);
    const s = await viewerStates(h.db, user.id, [a.id, b.id, c.id]);
    expect([...s.applied]).toEqual([a.id]);
    expect([...s.saved]).toEqual([c.id]);
    expect(await viewerStates(h.db, user.id, [])).toEqual({ saved: new Set(), applied: new Set() });
  });
});
