import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { actorOf, teamForApplication, teamForOrg } from '#lib/applications/access';
import { offers as offerRows } from '#db/schema';
import { eq } from 'drizzle-orm';
import { approveOffer, createOffer, respondToOffer, setOfferApproval, withdrawOffer } from '#lib/offers/service';
import { offerFormSchema, offerRefSchema, respondSchema } from '#lib/offers/schema';
import { notFound } from '#lib/shared/errors';
import { addReason, changeReason, reasonAddSchema, reasonChangeSchema } from '#lib/applications/rejection-reasons';
import { text } from '#lib/shared/text';
import type { Db } from '#db/client';
import { run, userOf } from './_shared';

/** Offers: the team makes, approves and withdraws them; the candidate answers (signed in, or with the emailed link). */
async function applicationOfOffer(db: Db, offerId: string): Promise<string> {
  const [o] = await db.select({ applicationId: offerRows.applicationId }).from(offerRows).where(eq(offerRows.id, offerId));
  if (!o) throw notFound();
  return o.applicationId;
}

export const offers = {
  create: defineAction({
    accept: 'form',
    input: offerFormSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const m = await teamForApplication(db, ctx.locals, input.applicationId);
        return createOffer(db, mail, actorOf(m), { ...input, pay: String(input.pay / 100) });
      }),
  }),

  approve: defineAction({
    accept: 'form',
    input: offerRefSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const m = await teamForApplication(db, ctx.locals, await applicationOfOffer(db, input.offerId));
        return approveOffer(db, mail, actorOf(m), input.offerId);
      }),
  }),

  withdraw: defineAction({
    accept: 'form',
    input: offerRefSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForApplication(db, ctx.locals, await applicationOfOffer(db, input.offerId));
        return withdrawOffer(db, actorOf(m), input.offerId);
      }),
  }),

  /** The candidate, signed in, answers on their application page. */
  respond: defineAction({
    accept: 'form',
    input: respondSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db, mail }) => {
        const user = userOf(ctx);
        return respondToOffer(db, mail, { userId: user.id }, input);
      }),
  }),

  /** The emailed link's page: the token is the authority, signed in or not. */
  respondWithLink: defineAction({
    accept: 'form',
    input: respondSchema.extend({ token: text({ error: 'This link is not valid.' }).min(1, 'This link is not valid.').max(300) }),
    handler: (input, ctx) => run(ctx, async ({ db, mail }) => respondToOffer(db, mail, { token: input.token }, input)),
  }),

  addReason: defineAction({
    accept: 'form',
    input: reasonAddSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForOrg(db, ctx.locals, input.org, ['admin']);
        return addReason(db, actorOf(m), input);
      }),
  }),

  changeReason: defineAction({
    accept: 'form',
    input: reasonChangeSchema,
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForOrg(db, ctx.locals, input.org, ['admin']);
        await changeReason(db, actorOf(m), input.reasonId, input.op);
        return { op: input.op };
      }),
  }),

  setApproval: defineAction({
    accept: 'form',
    input: z.object({ org: text().min(1).max(200), required: z.enum(['yes', 'no'], { error: 'Choose whether offers need approval.' }) }),
    handler: (input, ctx) =>
      run(ctx, async ({ db }) => {
        const m = await teamForOrg(db, ctx.locals, input.org, ['admin']);
        await setOfferApproval(db, actorOf(m), input.required === 'yes');
        return { required: input.required === 'yes' };
      }),
  }),
};
