import { afterAll, describe, expect, it } from 'vitest';
import { submitApplication } from '#lib/applications/apply';
import { listMyApplications } from '#lib/applications/candidate';
import { moveApplication } from '#lib/applications/moves';
import { verifyLicense } from '#lib/applications/verification';
import { addLicense, saveProfile } from '#lib/profile/service';
import { resumeForDownload, saveResume } from '#lib/resumes/service';
import { screeningCsv } from '#lib/screening/csv';
import { parseScreening } from '#lib/screening/params';
import { screenAll } from '#lib/screening/query';
import { makeDocx } from '../helpers/documents';
import { makeJob, makeMember, makeOrg, makeQuestions, makeUser, tempStore } from '../helpers/factories';
import { usePgliteDb } from '../helpers/test-db';

/** The embedded database (PGlite, no DATABASE_URL) runs the same application code: apply, screen, verify, move, export. */
describe('applications on PGlite', () => {
  const h = usePgliteDb();
  const store = tempStore();
  afterAll(() => store.cleanup());

  it('a candidate applies and a recruiter screens, verifies, moves and exports', async () => {
    const org = await makeOrg(h.db);
    const job = await makeJob(h.db, org.id, { state: 'PA', credentials: ['RN'] });
    const [q] = await makeQuestions(h.db, job.id, [{ kind: 'yes_no', prompt: 'Night shifts?', knockoutAnswer: 'no' }]);
    const recruiter = await makeMember(h.db, org.id, 'recruiter');
    const c = await makeUser(h.db, { name: 'Dana Nurse' });
    await saveProfile(h.db, c.id, {
      name: 'Dana Nurse',
      headline: 'Psychiatric RN, adolescent PHP',
      modalities: ['DBT'],
    });
    const lic = await addLicense(h.db, c.id, {
      credentialCode: 'RN',
      state: 'NJ',
      number: '26NR0001',
      expiresOn: '2031-01-01',
      compact: true,
    });
    const r = await saveResume(h.db, store, c.id, {
      name: 'cv.docx',
      bytes: makeDocx(['Medication groups and crisis intervention']),
    });
    const results = await Promise.all(
      [1, 2, 3].map(() => submitApplication(h.db, { store }, c.id, { jobId: job.id, resumeId: r.resume.id, answers: { [q!.id]: 'no' } })),
    );
    expect(new Set(results.map((x) => x.applicationId)).size).toBe(1);
    const id = results[0]!.applicationId;
    expect(results[0]!.knockoutFailed).toBe(true);

    const actor = { userId: recruiter.id, orgId: org.id, role: 'recruiter' as const };
    const f = (qs: string) => parseScreening(new URLSearchParams(qs)).filters;
    expect((await screenAll(h.db, org.id, f('eligible=1&q=crisis&state=NJ&knockout=failed'))).rows.map((x) => x.applicationId)).toEqual([id]);
    expect((await screenAll(h.db, org.id, f('q=adolescent'))).rows.map((x) => x.eligibility.label)).toEqual([
      'Eligible through the Nurse Licensure Compact (RN)',
    ]);
    await verifyLicense(h.db, actor, { applicationId: id, licenseId: lic.id, lookupUrl: 'https://www.nursys.com/' });
    await moveApplication(h.db, undefined, actor, { applicationId: id, version: 1, toStage: 'interview' });
    expect((await listMyApplications(h.db, c.id))[0]!.stage).toBe('interview');
    expect(screeningCsv((await screenAll(h.db, org.id, f('verified=yes'))).rows)).toContain('Dana Nurse');
    expect(await resumeForDownload(h.db, recruiter.id, r.resume.id)).not.toBeNull();
  });
});
