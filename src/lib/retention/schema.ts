import { z } from 'zod';
import { text } from '#lib/shared/text';

/** The retention form's schema, defined once: the form, the action and the service use it. */

/** The periods an organization can choose between for ended applications. */
export const RETENTION_CHOICES = [6, 12, 18, 24, 36, 48, 60, 84] as const;

export const retentionSchema = z.object({
  months: z.coerce
    .number({ error: 'Choose how long to keep ended applications.' })
    .int()
    .refine((n) => (RETENTION_CHOICES as readonly number[]).includes(n), 'Choose one of the periods offered.'),
});

export const retentionFormSchema = retentionSchema.extend({ org: text({ error: 'Missing organization.' }).min(1).max(200) });
