import { deleteAccount } from '#lib/privacy/delete-account';
import { deleteAccountSchema } from '#lib/privacy/schema';
import { defaultStore } from '#lib/resumes/storage';
import { endSession } from '#lib/web/request-auth';
import { userAction } from './_shared';

/** The person's own data: deleting the account (the export is a GET download, src/pages/account/export.astro). */
export const account = {
  /** Only ever the signed-in user's own account: the id comes from the session, never from the form. */
  delete: userAction(deleteAccountSchema, async ({ db, ctx }, user, input) => {
    const r = await deleteAccount(db, defaultStore(), user.id, input);
    // The session rows went with the account; this clears the browser's cookie.
    await endSession(ctx, db);
    return { deleted: true, applications: r.applications };
  }),
};
