import { ALL_ROLES } from '#lib/domain/roles';
import { messageSchema, sendCandidateMessage, sendTeamMessage } from '#lib/messages/service';
import { followSchema, setFollow } from '#lib/team-notify/follows';
import { applicationTeamAction, jobTeamAction, userAction } from './_shared';

/** The thread with the candidate (both sides) and following a job's new applications. */
export const messages = {
  /** A team member writes to the candidate (application page). */
  send: applicationTeamAction(messageSchema, ALL_ROLES, ({ db, mail }, actor, input) => sendTeamMessage(db, mail, actor, input)),

  /** The candidate answers in their account. */
  reply: userAction(messageSchema, ({ db, mail }, user, input) => sendCandidateMessage(db, mail, user.id, input)),

  follow: jobTeamAction(followSchema, ALL_ROLES, ({ db }, actor, input) => setFollow(db, { userId: actor.userId, orgId: actor.orgId }, input)),
};
