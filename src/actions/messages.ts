import { defineAction } from 'astro:actions';
import { actorOf, teamForApplication, teamForJob } from '#lib/applications/access';
import { messageSchema, sendCandidateMessage, sendTeamMessage } from '#lib/messages/service';
import { followSchema, setFollow } from '#lib/team-notify/follows';
import { run, userOf } from './_shared';

/** The thread with the candidate (both sides) and following a job's new applications. */
export const messages = {
  /** A team member writes to the candidate (application page). */
  send: defineAction({
    accept: 'form',
    input: messageSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const m = await teamForApplication(db, ctx.locals, input.applicationId);
        return sendTeamMessage(db, mail, actorOf(m), input);
      }),
  }),

  /** The candidate answers in their account. */
  reply: defineAction({
    accept: 'form',
    input: messageSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const user = userOf(ctx);
        return sendCandidateMessage(db, mail, user.id, input);
      }),
  }),

  follow: defineAction({
    accept: 'form',
    input: followSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForJob(db, ctx.locals, input.jobId);
        return setFollow(db, { userId: m.userId, orgId: m.orgId }, input);
      }),
  }),
};
