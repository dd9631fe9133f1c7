import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '#db/client';
import { teamForApplication, teamForJob, teamForOrg, type TeamActor } from '#lib/applications/access';
import { submitApplication } from '#lib/applications/apply';
import { getMyApplication, withdrawApplication } from '#lib/applications/candidate';
import { addNote, rateApplication } from '#lib/applications/notes';
import { applicationForTeam, eeoSummary, pipelineForJob } from '#lib/applications/pipeline';
import { bulkMoveApplications, moveApplication } from '#lib/applications/moves';
import { unverifyLicense, verifyLicense } from '#lib/applications/verification';
import { resetTemplate, saveTemplate } from '#lib/applications/templates.server';
import type { AuthLocals } from '#lib/web/guards';
import { isServiceError } from '#lib/shared/errors';
import { removeLicense, updateLicense } from '#lib/profile/service';
import { resumeForDownload, saveResume, deleteResume } from '#lib/resumes/service';
import { parseScreening } from '#lib/screening/params';
import { screenAll, screenApplicants } from '#lib/screening/query';
import { insertJob, insertOrg } from '../helpers/fixtures';
import { freshPostgres, hasPostgres, skipReason } from '../helpers/services';
import { insertLicense, insertMember, insertUser, makePdf, tempStore } from './applications.fixtures';

/**
 * Organization B's members, and other candidates, against organization A's ids:
 * every guard and service answers not_found (404) — the same as an id that
 * does not exist — and changes nothing.
 */
const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (isServiceError(err)) return err.code;
    throw err;
  }
};
const locals = (u: { id: string; email: string; name: string }): AuthLocals => ({
  user: { id: u.id, email: u.email, name: u.name, emailVerified: true },
  session: null,
});

describe.skipIf(!hasPostgres)(`cross-organization access (${skipReason})`, () => {
  let h: DbHandle;
  const store = tempStore();
  beforeAll(async () => {
    h = await freshPostgres();
  });
  afterAll(async () => {
    await h?.close();
    store.cleanup();
  });

  it('every applicant route, action, download and export refuses the other organization with not found', async () => {
    const orgA = await insertOrg(h.db);
    const orgB = await insertOrg(h.db);
    const jobA = await insertJob(h.db, orgA.id);
    const jobB = await insertJob(h.db, orgB.id);
    const a = await insertMember(h.db, orgA.id, 'admin');
    const b = await insertMember(h.db, orgB.id, 'admin');
    const actorB: TeamActor = { userId: b.id, orgId: orgB.id, role: 'admin' };
    const candidate = await insertUser(h.db);
    const lic = await insertLicense(h.db, candidate.id, { credentialCode: 'LCSW', state: 'PA' });
    const resume = await saveResume(h.db, store, candidate.id, { name: 'cv.pdf', bytes: makePdf(['cv']) });
    const { applicationId } = await submitApplication(h.db, { store }, candidate.id, { jobId: jobA.id, resumeId: resume.resume.id });
    const missing = '00000000-0000-4000-8000-000000000000';

    // Guards: B's admin resolving A's job, application, organization → not_found, like a missing id.
    for (const id of [jobA.id, missing, 'not-a-uuid']) expect(await code(teamForJob(h.db, locals(b), id))).toBe('not_found');
    for (const id of [applicationId, missing, 'not-a-uuid']) expect(await code(teamForApplication(h.db, locals(b), id))).toBe('not_found');
    expect(await code(teamForOrg(h.db, locals(b), orgA.id))).toBe('not_found');
    expect(await code(teamForOrg(h.db, locals(b), orgA.slug))).toBe('not_found');
    // …while A's own member gets through, and nobody signed in is unauthenticated.
    expect((await teamForApplication(h.db, locals(a), applicationId)).orgId).toBe(orgA.id);
    expect(await code(teamForJob(h.db, { user: null, session: null }, jobA.id))).toBe('unauthenticated');

    // Services, called directly with B as the actor (defence in depth beneath the guards).
    const calls: [string, () => Promise<unknown>][] = [
      ['pipeline', () => pipelineForJob(h.db, actorB, jobA.id)],
      ['eeo summary', () => eeoSummary(h.db, actorB, jobA.id)],
      ['application detail', () => applicationForTeam(h.db, actorB, applicationId)],
      ['move', () => moveApplication(h.db, undefined, actorB, { applicationId, version: 1, toStage: 'interview' })],
      ['bulk move (B job, A application)', () => bulkMoveApplications(h.db, undefined, actorB, { jobId: jobB.id, items: [{ applicationId, version: 1 }], toStage: 'screening' })],
      ['bulk move (A job)', () => bulkMoveApplications(h.db, undefined, actorB, { jobId: jobA.id, items: [{ applicationId, version: 1 }], toStage: 'screening' })],
      ['note', () => addNote(h.db, actorB, { applicationId, body: 'peek' })],
      ['rating', () => rateApplication(h.db, actorB, { applicationId, rating: 1 })],
      ['verify license', () => verifyLicense(h.db, actorB, { applicationId, licenseId: lic.id, lookupUrl: 'https://example.org/board' })],
      ['unverify license', () => unverifyLicense(h.db, actorB, { applicationId, licenseId: lic.id })],
      ['screening with A job', () => screenApplicants(h.db, orgB.id, { ...parseScreening(new URLSearchParams(`job=${jobA.id}`)).filters, job: jobA.id })],
      ['export with A job', () => screenAll(h.db, orgB.id, { ...parseScreening(new URLSearchParams('')).filters, job: jobA.id })],
    ];
    for (const [name, call] of calls) expect(`${name}: ${await code(call())}`).toBe(`${name}: not_found`);

    // Template writes for A by B: the guard refuses (B is no member of A); B's own writes touch only B.
    await saveTemplate(h.db, actorB, { org: orgB.id, stage: 'offer', subject: 'Offer from B', body: 'An offer from B for you.' });
    await resetTemplate(h.db, actorB, 'offer');

    // A license of A's applicant, verified in A's context, is not verifiable through a B application either.
    const other = await insertUser(h.db);
    const r2 = await saveResume(h.db, store, other.id, { name: 'cv.pdf', bytes: makePdf(['other']) });
    const { applicationId: appB } = await submitApplication(h.db, { store }, other.id, { jobId: jobB.id, resumeId: r2.resume.id });
    expect(await code(verifyLicense(h.db, actorB, { applicationId: appB, licenseId: lic.id, lookupUrl: 'https://example.org/board' }))).toBe('not_found');

    // Screening: B's view holds only B's applicant.
    const bView = await screenAll(h.db, orgB.id, parseScreening(new URLSearchParams('')).filters);
    expect(bView.rows.map((r) => r.applicationId)).toEqual([appB]);

    // Downloads: B's admin and another candidate get nothing.
    expect(await resumeForDownload(h.db, b.id, resume.resume.id)).toBeNull();
    expect(await resumeForDownload(h.db, other.id, resume.resume.id)).toBeNull();
    expect(await resumeForDownload(h.db, a.id, resume.resume.id)).not.toBeNull();

    // Candidate-side ids of someone else: not found.
    expect(await getMyApplication(h.db, other.id, applicationId)).toBeNull();
    expect(await code(withdrawApplication(h.db, other.id, { applicationId, version: 1 }))).toBe('not_found');
    expect(await code(updateLicense(h.db, other.id, { licenseId: lic.id, credentialCode: 'LCSW', state: 'NJ', number: 'X123', expiresOn: null, compact: false }))).toBe('not_found');
    expect(await code(removeLicense(h.db, other.id, lic.id))).toBe('not_found');
    expect(await code(deleteResume(h.db, store, other.id, resume.resume.id))).toBe('not_found');

    // Nothing changed on A's application.
    const detail = await applicationForTeam(h.db, { userId: a.id, orgId: orgA.id, role: 'admin' }, applicationId);
    expect(detail.application).toMatchObject({ stage: 'applied', version: 1 });
    expect(detail.notes).toEqual([]);
    expect(detail.ratings).toEqual([]);
    expect(detail.licenses[0]!.verification).toBeNull();
    expect(detail.events.map((e) => e.kind)).toEqual(['applied']);
  });
});
