import { z } from 'zod';
import { currentPasswordField } from '#lib/auth/schema';
import { orgRefField } from '#lib/orgs/schema';

/** The data-rights forms' schemas: defined once, used by the form, the action and the service. */

/** Deleting an account: the password again, nothing else (the page says what happens). */
export const deleteAccountSchema = z.object({
  password: currentPasswordField,
});

/** The periods an organization can choose between for ended applications. */
export const RETENTION_CHOICES = [6, 12, 18, 24, 36, 48, 60, 84] as const;

export const retentionSchema = z.object({
  months: z.coerce
    .number({ error: 'Choose how long to keep ended applications.' })
    .int()
    .refine((n) => (RETENTION_CHOICES as readonly number[]).includes(n), 'Choose one of the periods offered.'),
});

export const retentionFormSchema = retentionSchema.extend({ org: orgRefField });
