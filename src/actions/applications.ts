import { z } from 'zod';
import { submitApplication } from '#lib/applications/apply';
import { withdrawApplication } from '#lib/applications/candidate';
import {
  applyFormSchema,
  bulkMoveFormSchema,
  moveSchema,
  noteSchema,
  ratingSchema,
  templateResetSchema,
  templateSchema,
  unverifySchema,
  verifySchema,
  withdrawSchema,
} from '#lib/applications/schema';
import { addNote, rateApplication } from '#lib/applications/notes';
import { bulkMoveApplications, moveApplication } from '#lib/applications/moves';
import { unverifyLicense, verifyLicense } from '#lib/applications/verification';
import { resetTemplate, saveTemplate } from '#lib/applications/templates.server';
import { ALL_ROLES, JOB_EDITORS } from '#lib/domain/roles';
import { licenseFormSchema, licenseRefSchema, licenseUpdateFormSchema, profileFormSchema } from '#lib/profile/schema';
import { addLicense, removeLicense, saveProfile, updateLicense } from '#lib/profile/service';
import { deleteResume, readUpload, saveResume } from '#lib/resumes/service';
import { defaultStore } from '#lib/resumes/storage';
import { applicationTeamAction, jobTeamAction, orgTeamAction, userAction } from './_shared';

/**
 * Candidates' profiles, resumes and applications; the hiring team's pipeline,
 * notes, ratings, license verification and email templates. Thin: schema in,
 * guard, service call, result out. The organization always comes from the
 * job or application row (access.ts), never from a form field.
 */
const resumeUploadSchema = z.object({
  resume: z.instanceof(File, { error: 'Choose a PDF or Word (.docx) file to upload.' }),
});
const resumeRefSchema = z.object({ resumeId: z.uuid({ error: 'Unknown resume.' }) });

export const applications = {
  // ------------------------------------------------------------ candidate: profile, licenses, resumes
  saveProfile: userAction(profileFormSchema, async ({ db }, user, input) => {
    await saveProfile(db, user.id, input);
    return { saved: true };
  }),

  addLicense: userAction(licenseFormSchema, async ({ db }, user, input) => {
    const l = await addLicense(db, user.id, input);
    return { licenseId: l.id, credentialCode: l.credentialCode };
  }),

  updateLicense: userAction(licenseUpdateFormSchema, async ({ db }, user, input) => {
    const r = await updateLicense(db, user.id, input);
    return { licenseId: r.license.id, verificationsCleared: r.verificationsCleared };
  }),

  removeLicense: userAction(licenseRefSchema, async ({ db }, user, input) => {
    await removeLicense(db, user.id, input.licenseId);
    return { removed: true };
  }),

  uploadResume: userAction(resumeUploadSchema, async ({ db }, user, input) => {
    const r = await saveResume(db, defaultStore(), user.id, await readUpload(input.resume));
    return {
      resumeId: r.resume.id,
      name: r.resume.originalName,
      created: r.created,
      hasText: r.resume.hasText,
      textStatus: r.resume.textStatus,
    };
  }),

  deleteResume: userAction(resumeRefSchema, async ({ db }, user, input) => {
    await deleteResume(db, defaultStore(), user.id, input.resumeId);
    return { deleted: true };
  }),

  // ------------------------------------------------------------ candidate: applying
  apply: userAction(applyFormSchema, ({ db, mail }, user, input) => submitApplication(db, { store: defaultStore(), notifier: mail }, user.id, input)),

  withdraw: userAction(withdrawSchema, async ({ db }, user, input) => {
    await withdrawApplication(db, user.id, input);
    return { withdrawn: true };
  }),

  // ------------------------------------------------------------ hiring team
  move: applicationTeamAction(moveSchema, ALL_ROLES, ({ db, mail }, actor, input) => moveApplication(db, mail, actor, input)),
  bulkMove: jobTeamAction(bulkMoveFormSchema, ALL_ROLES, ({ db, mail }, actor, input) => bulkMoveApplications(db, mail, actor, input)),
  addNote: applicationTeamAction(noteSchema, ALL_ROLES, ({ db }, actor, input) => addNote(db, actor, input)),
  rate: applicationTeamAction(ratingSchema, ALL_ROLES, ({ db }, actor, input) => rateApplication(db, actor, input)),
  verifyLicense: applicationTeamAction(verifySchema, ALL_ROLES, ({ db }, actor, input) => verifyLicense(db, actor, input)),
  unverifyLicense: applicationTeamAction(unverifySchema, ALL_ROLES, ({ db }, actor, input) => unverifyLicense(db, actor, input)),

  saveTemplate: orgTeamAction(templateSchema, JOB_EDITORS, async ({ db }, actor, input) => {
    await saveTemplate(db, actor, input);
    return { stage: input.stage };
  }),

  resetTemplate: orgTeamAction(templateResetSchema, JOB_EDITORS, async ({ db }, actor, input) => {
    await resetTemplate(db, actor, input.stage);
    return { stage: input.stage };
  }),
};
