import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { applications, interviewInterviewers, interviews } from '#db/schema';
import { makeJob, makeOrg, makeUser } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { type TestDb, useTestDb, usePgliteDb } from '../helpers/test-db';

const at = (h: number, m = 0) => new Date(Date.UTC(2027, 2, 14, h, m));

/** An interview of a fresh application, `interviewer` on it, busy from..until (null when not scheduled). */
async function booking(db: Db, orgId: string, jobId: string, interviewer: string, from: Date | null, until: Date | null) {
  const candidate = await makeUser(db);
  const [app] = await db.insert(applications).values({ jobId, candidateId: candidate.id }).returning({ id: applications.id });
  const [iv] = await db
    .insert(interviews)
    .values({ orgId, applicationId: app!.id, kind: 'clinical_interview', durationMinutes: 60, place: 'phone', timeZone: 'America/New_York' })
    .returning({ id: interviews.id });
  await db.insert(interviewInterviewers).values({ interviewId: iv!.id, userId: interviewer, busyFrom: from, busyUntil: until });
  return iv!.id;
}

/** The code that drives the constraint is the same on both engines; so are these facts about it. */
function noOverlapFacts(h: TestDb) {
  it('refuses a second overlapping scheduled interview for the same interviewer, allows back-to-back and other people', async () => {
    const org = await makeOrg(h.db);
    const job = await makeJob(h.db, org.id);
    const ana = await makeUser(h.db);
    const ben = await makeUser(h.db);
    await booking(h.db, org.id, job.id, ana.id, at(14), at(15));
    await expect(booking(h.db, org.id, job.id, ana.id, at(14, 30), at(15, 30))).rejects.toThrow();
    // Back-to-back is not an overlap (half-open ranges); someone else at the same time is fine; unscheduled rows never clash.
    await booking(h.db, org.id, job.id, ana.id, at(15), at(16));
    await booking(h.db, org.id, job.id, ben.id, at(14), at(15));
    await booking(h.db, org.id, job.id, ana.id, null, null);
    await booking(h.db, org.id, job.id, ana.id, null, null);
  });

  it('frees the time once the row stops being busy (a cancelled interview)', async () => {
    const org = await makeOrg(h.db);
    const job = await makeJob(h.db, org.id);
    const ana = await makeUser(h.db);
    const first = await booking(h.db, org.id, job.id, ana.id, at(9), at(10));
    await h.db.update(interviewInterviewers).set({ busyFrom: null, busyUntil: null }).where(eq(interviewInterviewers.interviewId, first));
    await booking(h.db, org.id, job.id, ana.id, at(9), at(10));
  });
}

describe.skipIf(!hasPostgres)(`interviewer no-overlap constraint on PostgreSQL (${skipReason})`, () => {
  noOverlapFacts(useTestDb());
});

describe('interviewer no-overlap constraint on PGlite', () => {
  noOverlapFacts(usePgliteDb());
});
