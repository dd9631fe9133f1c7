import { ActionError } from 'astro:actions';
import { z } from 'zod';
import { text } from '#lib/shared/text';
import { AlertError, deleteSavedSearch, saveSearch, unsubscribe } from '#lib/alerts/service';
import { SaveSearchSchema } from '#lib/alerts/schema';
import { ServiceError } from '#lib/shared/errors';
import { SearchParamsError } from '#lib/search/params';
import { formAction, userAction } from './_shared';

/** Job alerts: save the current /jobs search, delete one, unsubscribe from an email link. */
export const alerts = {
  save: userAction(SaveSearchSchema, async ({ db }, user, input) => {
    try {
      const row = await saveSearch(db, user.id, input);
      return { id: row.id, name: row.name };
    } catch (err) {
      if (err instanceof AlertError || err instanceof SearchParamsError) throw new ServiceError('invalid', err.message);
      throw err;
    }
  }),

  remove: userAction(z.object({ id: z.uuid('Unknown saved search.') }), async ({ db }, user, input) => {
    if (!(await deleteSavedSearch(db, user.id, input.id))) throw new ServiceError('not_found', 'That saved search does not exist.');
    return { ok: true };
  }),

  /** No sign-in needed: the signed token in the emailed link is the permission. */
  unsubscribe: formAction(z.object({ token: text().min(10).max(200) }), async ({ db }, input) => {
    const r = await unsubscribe(db, input.token);
    if (!r)
      throw new ActionError({
        code: 'NOT_FOUND',
        message: 'This unsubscribe link is not valid. Manage alerts from your account instead.',
      });
    return r;
  }),
};
