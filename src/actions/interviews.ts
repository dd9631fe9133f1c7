import { defineAction } from 'astro:actions';
import { actorOf, teamForApplication, teamForInterview } from '#lib/applications/access';
import { INTERVIEW_SCHEDULERS } from '#lib/domain/roles';
import { askOtherTimes, pickSlot } from '#lib/interviews/scheduling';
import { cancelSchema, otherTimesSchema, outcomeSchema, pickSchema, proposeFormSchema, rescheduleFormSchema } from '#lib/interviews/schema';
import { cancelInterview, proposeInterview, recordOutcome, rescheduleInterview } from '#lib/interviews/service';
import { run } from './_shared';

/**
 * Interviews: the hiring team proposes, reschedules, cancels and records outcomes (organization
 * taken from the row, never the form); the candidate picks a time or asks for other times through
 * the emailed link, signed in or not (the token is the only key).
 */
export const interviews = {
  propose: defineAction({
    accept: 'form',
    input: proposeFormSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const m = await teamForApplication(db, ctx.locals, input.applicationId, INTERVIEW_SCHEDULERS);
        const r = await proposeInterview(db, mail, actorOf(m), input);
        return { interviewId: r.interviewId };
      }),
  }),

  reschedule: defineAction({
    accept: 'form',
    input: rescheduleFormSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const m = await teamForInterview(db, ctx.locals, input.interviewId, INTERVIEW_SCHEDULERS);
        return rescheduleInterview(db, mail, actorOf(m), input);
      }),
  }),

  cancel: defineAction({
    accept: 'form',
    input: cancelSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const m = await teamForInterview(db, ctx.locals, input.interviewId, INTERVIEW_SCHEDULERS);
        return cancelInterview(db, mail, actorOf(m), input);
      }),
  }),

  outcome: defineAction({
    accept: 'form',
    input: outcomeSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForInterview(db, ctx.locals, input.interviewId, INTERVIEW_SCHEDULERS);
        const r = await recordOutcome(db, actorOf(m), input);
        return { ...r, outcome: input.outcome };
      }),
  }),

  pick: defineAction({
    accept: 'form',
    input: pickSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const r = await pickSlot(db, mail, input);
        return { interviewId: r.interviewId };
      }),
  }),

  otherTimes: defineAction({
    accept: 'form',
    input: otherTimesSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        return askOtherTimes(db, mail, input);
      }),
  }),
};
