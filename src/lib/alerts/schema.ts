import { z } from 'zod';
import { text } from '#lib/shared/text';

/** The "save this search" form: defined once, used by the action and the service. */
export const SaveSearchSchema = z.object({
  name: text({ error: 'Give the search a name.' }).trim().min(1, 'Give the search a name.').max(80, 'Keep the name under 80 characters.'),
  query: text({ error: 'That search could not be saved. Run it again, then save it.' }).max(2000, 'That search is too long to save.'),
  frequency: z.enum(['daily', 'weekly'], { error: 'Choose daily or weekly emails.' }),
});
export type SaveSearchInput = z.infer<typeof SaveSearchSchema>;

export const FREQUENCY_MS = { daily: 86_400_000, weekly: 7 * 86_400_000 } as const;
