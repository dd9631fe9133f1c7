import { ALL_ROLES, JOB_EDITORS } from '#lib/domain/roles';
import { kitSourceForRole } from '#lib/scorecards/guides';
import { addCompetency, removeCompetency, updateCompetency } from '#lib/scorecards/kits';
import { competencyRefSchema, competencySchema, competencyUpdateSchema, scorecardFormSchema } from '#lib/scorecards/schema';
import { submitScorecard } from '#lib/scorecards/scorecards';
import { applicationTeamAction, jobTeamAction } from './_shared';

/**
 * Interview kits (edited by the job's editors) and scorecards (submitted by the interview's
 * interviewers). The organization comes from the job or application row, never the form.
 */
export const scorecards = {
  addCompetency: jobTeamAction(competencySchema, JOB_EDITORS, ({ db }, actor, input) => addCompetency(db, actor, input, kitSourceForRole)),
  updateCompetency: jobTeamAction(competencyUpdateSchema, JOB_EDITORS, ({ db }, actor, input) => updateCompetency(db, actor, input)),
  removeCompetency: jobTeamAction(competencyRefSchema, JOB_EDITORS, ({ db }, actor, input) => removeCompetency(db, actor, input)),
  submit: applicationTeamAction(scorecardFormSchema, ALL_ROLES, ({ db }, actor, input) => submitScorecard(db, actor, input, kitSourceForRole)),
};
