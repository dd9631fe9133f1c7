import { defineAction } from 'astro:actions';
import { actorOf, teamForApplication, teamForJob } from '#lib/applications/access';
import { JOB_EDITORS } from '#lib/domain/roles';
import { kitSourceForRole } from '#lib/scorecards/guides';
import { addCompetency, removeCompetency, updateCompetency } from '#lib/scorecards/kits';
import { competencyRefSchema, competencySchema, competencyUpdateSchema, scorecardFormSchema } from '#lib/scorecards/schema';
import { submitScorecard } from '#lib/scorecards/scorecards';
import { run } from './_shared';

/**
 * Interview kits (edited by the job's editors) and scorecards (submitted by the interview's
 * interviewers). The organization comes from the job or application row, never the form.
 */
export const scorecards = {
  addCompetency: defineAction({
    accept: 'form',
    input: competencySchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForJob(db, ctx.locals, input.jobId, JOB_EDITORS);
        return addCompetency(db, actorOf(m), input, kitSourceForRole);
      }),
  }),

  updateCompetency: defineAction({
    accept: 'form',
    input: competencyUpdateSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForJob(db, ctx.locals, input.jobId, JOB_EDITORS);
        return updateCompetency(db, actorOf(m), input);
      }),
  }),

  removeCompetency: defineAction({
    accept: 'form',
    input: competencyRefSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForJob(db, ctx.locals, input.jobId, JOB_EDITORS);
        return removeCompetency(db, actorOf(m), input);
      }),
  }),

  submit: defineAction({
    accept: 'form',
    input: scorecardFormSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForApplication(db, ctx.locals, input.applicationId);
        return submitScorecard(db, actorOf(m), input, kitSourceForRole);
      }),
  }),
};
