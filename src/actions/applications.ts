import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { actorOf, teamForApplication, teamForJob, teamForOrg } from '#lib/applications/access';
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
import { JOB_EDITORS } from '#lib/domain/roles';
import { licenseFormSchema, licenseRefSchema, licenseUpdateFormSchema, profileFormSchema } from '#lib/profile/schema';
import { addLicense, removeLicense, saveProfile, updateLicense } from '#lib/profile/service';
import { deleteResume, readUpload, saveResume } from '#lib/resumes/service';
import { defaultStore } from '#lib/resumes/storage';
import { run, userOf } from './_shared';

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
  saveProfile: defineAction({
    accept: 'form',
    input: profileFormSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const user = userOf(ctx);
        await saveProfile(db, user.id, input);
        return { saved: true };
      }),
  }),

  addLicense: defineAction({
    accept: 'form',
    input: licenseFormSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const user = userOf(ctx);
        const l = await addLicense(db, user.id, input);
        return { licenseId: l.id, credentialCode: l.credentialCode };
      }),
  }),

  updateLicense: defineAction({
    accept: 'form',
    input: licenseUpdateFormSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const user = userOf(ctx);
        const r = await updateLicense(db, user.id, input);
        return { licenseId: r.license.id, verificationsCleared: r.verificationsCleared };
      }),
  }),

  removeLicense: defineAction({
    accept: 'form',
    input: licenseRefSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const user = userOf(ctx);
        await removeLicense(db, user.id, input.licenseId);
        return { removed: true };
      }),
  }),

  uploadResume: defineAction({
    accept: 'form',
    input: resumeUploadSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const user = userOf(ctx);
        const r = await saveResume(db, defaultStore(), user.id, await readUpload(input.resume));
        return {
          resumeId: r.resume.id,
          name: r.resume.originalName,
          created: r.created,
          hasText: r.resume.hasText,
          textStatus: r.resume.textStatus,
        };
      }),
  }),

  deleteResume: defineAction({
    accept: 'form',
    input: resumeRefSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const user = userOf(ctx);
        await deleteResume(db, defaultStore(), user.id, input.resumeId);
        return { deleted: true };
      }),
  }),

  // ------------------------------------------------------------ candidate: applying
  apply: defineAction({
    accept: 'form',
    input: applyFormSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const user = userOf(ctx);
        return submitApplication(db, { store: defaultStore(), notifier: mail }, user.id, input);
      }),
  }),

  withdraw: defineAction({
    accept: 'form',
    input: withdrawSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const user = userOf(ctx);
        await withdrawApplication(db, user.id, input);
        return { withdrawn: true };
      }),
  }),

  // ------------------------------------------------------------ hiring team
  move: defineAction({
    accept: 'form',
    input: moveSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const m = await teamForApplication(db, ctx.locals, input.applicationId);
        return moveApplication(db, mail, actorOf(m), input);
      }),
  }),

  bulkMove: defineAction({
    accept: 'form',
    input: bulkMoveFormSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const m = await teamForJob(db, ctx.locals, input.jobId);
        return bulkMoveApplications(db, mail, actorOf(m), input);
      }),
  }),

  addNote: defineAction({
    accept: 'form',
    input: noteSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForApplication(db, ctx.locals, input.applicationId);
        return addNote(db, actorOf(m), input);
      }),
  }),

  rate: defineAction({
    accept: 'form',
    input: ratingSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForApplication(db, ctx.locals, input.applicationId);
        return rateApplication(db, actorOf(m), input);
      }),
  }),

  verifyLicense: defineAction({
    accept: 'form',
    input: verifySchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForApplication(db, ctx.locals, input.applicationId);
        return verifyLicense(db, actorOf(m), input);
      }),
  }),

  unverifyLicense: defineAction({
    accept: 'form',
    input: unverifySchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForApplication(db, ctx.locals, input.applicationId);
        return unverifyLicense(db, actorOf(m), input);
      }),
  }),

  saveTemplate: defineAction({
    accept: 'form',
    input: templateSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForOrg(db, ctx.locals, input.org, JOB_EDITORS);
        await saveTemplate(db, actorOf(m), input);
        return { stage: input.stage };
      }),
  }),

  resetTemplate: defineAction({
    accept: 'form',
    input: templateResetSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForOrg(db, ctx.locals, input.org, JOB_EDITORS);
        await resetTemplate(db, actorOf(m), input.stage);
        return { stage: input.stage };
      }),
  }),
};
