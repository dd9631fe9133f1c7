import { defineAction, ActionError } from 'astro:actions';
import { z } from 'zod';
import { text } from '#lib/shared/text';
import { AlertError, deleteSavedSearch, saveSearch, unsubscribe } from '#lib/alerts/service';
import { SaveSearchSchema } from '#lib/alerts/schema';
import { ServiceError } from '#lib/shared/errors';
import { SearchParamsError } from '#lib/search/params';
import { run, userOf } from './_shared';

/** Job alerts: save the current /jobs search, delete one, unsubscribe from an email link. */
export const alerts = {
  save: defineAction({
    accept: 'form',
    input: SaveSearchSchema,
    handler: (input, ctx) =>
      run(ctx, async (e) => {
        const user = userOf(ctx);
        try {
          const row = await saveSearch(e.db, user.id, input);
          return { id: row.id, name: row.name };
        } catch (err) {
          if (err instanceof AlertError || err instanceof SearchParamsError) throw new ServiceError('invalid', err.message);
          throw err;
        }
      }),
  }),

  remove: defineAction({
    accept: 'form',
    input: z.object({ id: z.uuid('Unknown saved search.') }),
    handler: (input, ctx) =>
      run(ctx, async (e) => {
        const user = userOf(ctx);
        if (!(await deleteSavedSearch(e.db, user.id, input.id))) throw new ServiceError('not_found', 'That saved search does not exist.');
        return { ok: true };
      }),
  }),

  /** No sign-in needed: the signed token in the emailed link is the permission. */
  unsubscribe: defineAction({
    accept: 'form',
    input: z.object({ token: text().min(10).max(200) }),
    handler: (input, ctx) =>
      run(ctx, async (e) => {
        const r = await unsubscribe(e.db, input.token);
        if (!r)
          throw new ActionError({
            code: 'NOT_FOUND',
            message: 'This unsubscribe link is not valid. Manage alerts from your account instead.',
          });
        return r;
      }),
  }),
};
