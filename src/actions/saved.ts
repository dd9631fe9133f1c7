import { z } from 'zod';
import { env } from '#lib/env';
import { paths } from '#lib/paths';
import { setSaved } from '#lib/saved/service';
import { safeRedirect } from '#lib/shared/redirect';
import { userAction } from './_shared';

/** The heart on cards and job pages. Without JavaScript the form posts to /account/saved, which sends the person back to `next`. */
const saveJobSchema = z.object({
  jobId: z.uuid({ error: 'Unknown job.' }),
  saved: z.enum(['1', '0'], { error: 'Say whether to save or remove the job.' }).transform((v) => v === '1'),
  next: z.string().max(2048).optional(),
});

export const saved = {
  set: userAction(saveJobSchema, async ({ db }, user, input) => {
    const r = await setSaved(db, user.id, input.jobId, input.saved);
    return { saved: r.saved, jobId: input.jobId, next: safeRedirect(input.next, env().PUBLIC_SITE_URL, paths.savedJobs()) };
  }),
};
