import { afterAll, describe, expect, it } from 'vitest';
import { teamForApplication, teamForJob, teamForOrg, type TeamActor } from '#lib/applications/access';
import { submitApplication } from '#lib/applications/apply';
import { getMyApplication, withdrawApplication } from '#lib/applications/candidate';
import { addNote, rateApplication } from '#lib/applications/notes';
import { applicationForTeam, eeoSummary, pipelineForJob } from '#lib/applications/pipeline';
import { bulkMoveApplications, moveApplication } from '#lib/applications/moves';
import { unverifyLicense, verifyLicense } from '#lib/applications/verification';
import { resetTemplate, saveTemplate } from '#lib/applications/templates.server';
import type { AuthLocals } from '#lib/web/guards';
import { removeLicense, updateLicense } from '#lib/profile/service';
import { deleteResume, resumeForDownload } from '#lib/resumes/service';
import { parseScreening } from '#lib/screening/params';
import { screenAll, screenApplicants } from '#lib/screening/query';
import { makeJob, makeLicense, makeMember, makeOrg, makeResume, makeUser, tempStore } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

/**
 * Organization B's members, and other candidates, against organization A's ids:
 * every guard and service answers not_found (404) — the same as an id that
 * does not exist — and changes nothing.
 */
const locals = (u: { id: string; email: string; name: string }): AuthLocals => ({
  user: { id: u.id, email: u.email, name: u.name, emailVerified: true },
  session: null,
});

describe.skipIf(!hasPostgres)(`cross-organization access (${skipReason})`, () => {
  const h = useTestDb();
  const store = tempStore();
  afterAll(() => store.cleanup());

  it('every applicant route, action, download and export refuses the other organization with not found', async () => {
    const orgA = await makeOrg(h.db);
    const orgB = await makeOrg(h.db);
    const jobA = await makeJob(h.db, orgA.id);
    const jobB = await makeJob(h.db, orgB.id);
    const a = await makeMember(h.db, orgA.id, 'admin');
    const b = await makeMember(h.db, orgB.id, 'admin');
    const actorB: TeamActor = { userId: b.id, orgId: orgB.id, role: 'admin' };
    const candidate = await makeUser(h.db);
    const lic = await makeLicense(h.db, candidate.id, { credentialCode: 'LCSW', state: 'PA' });
    const resume = await makeResume(h.db, store, candidate.id, ['cv']);
    const { applicationId } = await submitApplication(h.db, { store }, candidate.id, {
      jobId: jobA.id,
      resumeId: resume.id,
    });
    const missing = '00000000-0000-4000-8000-000000000000';

    // Guards: B's admin resolving A's job, application, organization → not_found, like a missing id.
    for (const id of [jobA.id, missing, 'not-a-uuid']) await expect(teamForJob(h.db, locals(b), id)).rejects.toMatchObject({ code: 'not_found' });
    for (const id of [applicationId, missing, 'not-a-uuid']) await expect(teamForApplication(h.db, locals(b), id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(teamForOrg(h.db, locals(b), orgA.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(teamForOrg(h.db, locals(b), orgA.slug)).rejects.toMatchObject({ code: 'not_found' });
    // …while A's own member gets through, and nobody signed in is unauthenticated.
    expect((await teamForApplication(h.db, locals(a), applicationId)).orgId).toBe(orgA.id);
    await expect(teamForJob(h.db, { user: null, session: null }, jobA.id)).rejects.toMatchObject({
      code: 'unauthenticated',
    });

    // Services, called directly with B as the actor (defence in depth beneath the guards).
    const calls: [string, () => Promise<unknown>][] = [
      ['pipeline', () => pipelineForJob(h.db, actorB, jobA.id)],
      ['eeo summary', () => eeoSummary(h.db, actorB, jobA.id)],
      ['application detail', () => applicationForTeam(h.db, actorB, applicationId)],
      ['move', () => moveApplication(h.db, undefined, actorB, { applicationId, version: 1, toStage: 'interview' })],
      [
        'bulk move (B job, A application)',
        () =>
          bulkMoveApplications(h.db, undefined, actorB, {
            jobId: jobB.id,
            items: [{ applicationId, version: 1 }],
            toStage: 'screening',
          }),
      ],
      [
        'bulk move (A job)',
        () =>
          bulkMoveApplications(h.db, undefined, actorB, {
            jobId: jobA.id,
            items: [{ applicationId, version: 1 }],
            toStage: 'screening',
          }),
      ],
      ['note', () => addNote(h.db, actorB, { applicationId, body: 'peek' })],
      ['rating', () => rateApplication(h.db, actorB, { applicationId, rating: 1 })],
      ['verify license', () => verifyLicense(h.db, actorB, { applicationId, licenseId: lic.id, lookupUrl: 'https://example.org/board' })],
      ['unverify license', () => unverifyLicense(h.db, actorB, { applicationId, licenseId: lic.id })],
      [
        'screening with A job',
        () =>
          screenApplicants(h.db, orgB.id, {
            ...parseScreening(new URLSearchParams(`job=${jobA.id}`)).filters,
            job: jobA.id,
          }),
      ],
      ['export with A job', () => screenAll(h.db, orgB.id, { ...parseScreening(new URLSearchParams('')).filters, job: jobA.id })],
    ];
    for (const [name, call] of calls) await expect(call(), name).rejects.toMatchObject({ code: 'not_found' });

    // Template writes for A by B: the guard refuses (B is no member of A); B's own writes touch only B.
    await saveTemplate(h.db, actorB, {
      org: orgB.id,
      stage: 'offer',
      subject: 'Offer from B',
      body: 'An offer from B for you.',
    });
    await resetTemplate(h.db, actorB, 'offer');

    // A license of A's applicant, verified in A's context, is not verifiable through a B application either.
    const other = await makeUser(h.db);
    const r2 = await makeResume(h.db, store, other.id, ['other']);
    const { applicationId: appB } = await submitApplication(h.db, { store }, other.id, {
      jobId: jobB.id,
      resumeId: r2.id,
    });
    await expect(verifyLicense(h.db, actorB, { applicationId: appB, licenseId: lic.id, lookupUrl: 'https://example.org/board' })).rejects.toMatchObject({
      code: 'not_found',
    });

    // Screening: B's view holds only B's applicant.
    const bView = await screenAll(h.db, orgB.id, parseScreening(new URLSearchParams('')).filters);
    expect(bView.rows.map((r) => r.applicationId)).toEqual([appB]);

    // Downloads: B's admin and another candidate get nothing.
    expect(await resumeForDownload(h.db, b.id, resume.id)).toBeNull();
    expect(await resumeForDownload(h.db, other.id, resume.id)).toBeNull();
    expect(await resumeForDownload(h.db, a.id, resume.id)).not.toBeNull();

    // Candidate-side ids of someone else: not found.
    expect(await getMyApplication(h.db, other.id, applicationId)).toBeNull();
    await expect(withdrawApplication(h.db, other.id, { applicationId, version: 1 })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      updateLicense(h.db, other.id, {
        licenseId: lic.id,
        credentialCode: 'LCSW',
        state: 'NJ',
        number: 'X123',
        expiresOn: null,
        compact: false,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(removeLicense(h.db, other.id, lic.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(deleteResume(h.db, store, other.id, resume.id)).rejects.toMatchObject({ code: 'not_found' });

    // Nothing changed on A's application.
    const detail = await applicationForTeam(h.db, { userId: a.id, orgId: orgA.id, role: 'admin' }, applicationId);
    expect(detail.application).toMatchObject({ stage: 'applied', version: 1 });
    expect(detail.notes).toEqual([]);
    expect(detail.ratings).toEqual([]);
    expect(detail.licenses[0]!.verification).toBeNull();
    expect(detail.events.map((e) => e.kind)).toEqual(['applied']);
  });
});
