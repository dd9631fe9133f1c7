import { z } from 'zod';
import { teamForApplication } from '#lib/applications/access';
import { ALL_ROLES, ORG_ADMINS } from '#lib/domain/roles';
import { offers as offerRows } from '#db/schema';
import { eq } from 'drizzle-orm';
import { approveOffer, createOffer, respondToOffer, setOfferApproval, withdrawOffer } from '#lib/offers/service';
import { offerFormSchema, offerRefSchema, respondSchema } from '#lib/offers/schema';
import { notFound } from '#lib/shared/errors';
import { addReason, changeReason, reasonAddSchema, reasonChangeSchema } from '#lib/applications/rejection-reasons';
import { text } from '#lib/shared/text';
import type { Db } from '#db/client';
import type { MemberContext } from '#lib/web/guards';
import { applicationTeamAction, formAction, orgTeamAction, teamAction, userAction, type ActionEnv } from './_shared';

/** Offers: the team makes, approves and withdraws them; the candidate answers (signed in, or with the emailed link). */
async function applicationOfOffer(db: Db, offerId: string): Promise<string> {
  const [o] = await db.select({ applicationId: offerRows.applicationId }).from(offerRows).where(eq(offerRows.id, offerId));
  if (!o) throw notFound();
  return o.applicationId;
}

/** The team of the offer's application: the organization comes from the offer's row. */
async function offerTeam({ db, ctx }: ActionEnv, input: { offerId: string }): Promise<MemberContext> {
  return teamForApplication(db, ctx.locals, await applicationOfOffer(db, input.offerId), ALL_ROLES);
}

export const offers = {
  create: applicationTeamAction(offerFormSchema, ALL_ROLES, ({ db, mail }, actor, input) =>
    createOffer(db, mail, actor, { ...input, pay: String(input.pay / 100) }),
  ),
  approve: teamAction(offerRefSchema, offerTeam, ({ db, mail }, actor, input) => approveOffer(db, mail, actor, input.offerId)),
  withdraw: teamAction(offerRefSchema, offerTeam, ({ db }, actor, input) => withdrawOffer(db, actor, input.offerId)),

  /** The candidate, signed in, answers on their application page. */
  respond: userAction(respondSchema, ({ db, mail }, user, input) => respondToOffer(db, mail, { userId: user.id }, input)),

  /** The emailed link's page: the token is the authority, signed in or not. */
  respondWithLink: formAction(
    respondSchema.extend({ token: text({ error: 'This link is not valid.' }).min(1, 'This link is not valid.').max(300) }),
    ({ db, mail }, input) => respondToOffer(db, mail, { token: input.token }, input),
  ),

  addReason: orgTeamAction(reasonAddSchema, ORG_ADMINS, ({ db }, actor, input) => addReason(db, actor, input)),

  changeReason: orgTeamAction(reasonChangeSchema, ORG_ADMINS, async ({ db }, actor, input) => {
    await changeReason(db, actor, input.reasonId, input.op);
    return { op: input.op };
  }),

  setApproval: orgTeamAction(
    z.object({ org: text().min(1).max(200), required: z.enum(['yes', 'no'], { error: 'Choose whether offers need approval.' }) }),
    ORG_ADMINS,
    async ({ db }, actor, input) => {
      await setOfferApproval(db, actor, input.required === 'yes');
      return { required: input.required === 'yes' };
    },
  ),
};
