import { INTERVIEW_SCHEDULERS } from '#lib/domain/roles';
import { askOtherTimes, pickSlot } from '#lib/interviews/scheduling';
import { cancelSchema, otherTimesSchema, outcomeSchema, pickSchema, proposeFormSchema, rescheduleFormSchema } from '#lib/interviews/schema';
import { cancelInterview, proposeInterview, recordOutcome, rescheduleInterview } from '#lib/interviews/service';
import { applicationTeamAction, formAction, interviewTeamAction } from './_shared';

/**
 * Interviews: the hiring team proposes, reschedules, cancels and records outcomes (organization
 * taken from the row, never the form); the candidate picks a time or asks for other times through
 * the emailed link, signed in or not (the token is the only key).
 */
export const interviews = {
  propose: applicationTeamAction(proposeFormSchema, INTERVIEW_SCHEDULERS, async ({ db, mail }, actor, input) => {
    const r = await proposeInterview(db, mail, actor, input);
    return { interviewId: r.interviewId };
  }),

  reschedule: interviewTeamAction(rescheduleFormSchema, INTERVIEW_SCHEDULERS, ({ db, mail }, actor, input) => rescheduleInterview(db, mail, actor, input)),
  cancel: interviewTeamAction(cancelSchema, INTERVIEW_SCHEDULERS, ({ db, mail }, actor, input) => cancelInterview(db, mail, actor, input)),

  outcome: interviewTeamAction(outcomeSchema, INTERVIEW_SCHEDULERS, async ({ db }, actor, input) => {
    const r = await recordOutcome(db, actor, input);
    return { ...r, outcome: input.outcome };
  }),

  pick: formAction(pickSchema, async ({ db, mail }, input) => {
    const r = await pickSlot(db, mail, input);
    return { interviewId: r.interviewId };
  }),

  otherTimes: formAction(otherTimesSchema, ({ db, mail }, input) => askOtherTimes(db, mail, input)),
};
