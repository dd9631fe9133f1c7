import { z } from 'zod';
import { currentPasswordField } from '#lib/auth/schema';

/** The data-rights forms' schemas: defined once, used by the form, the action and the service. */

/** Deleting an account: the password again, nothing else (the page says what happens). */
export const deleteAccountSchema = z.object({
  password: currentPasswordField,
});
