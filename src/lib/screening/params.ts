import { z } from 'zod';
import { text } from '#lib/shared/text';
import { APPLICATION_STAGES, CREDENTIAL_CLASSES, CREDENTIAL_CODES, STATE_CODES } from '#lib/domain/taxonomy';
import { optionValues } from '#lib/shared/options';
import { choices } from '#lib/shared/forms';

/**
 * Recruiter screening filters, from and to a query string (so a filtered view
 * is a shareable URL and the CSV export gets exactly the same view).
 * License filters (credential, class, state, verified, expiring) describe one
 * license: "an LCSW in PA that we verified" means one license that is all three.
 */
export const SCREEN_SORT_LABELS = {
  newest: 'Newest applications first',
  oldest: 'Oldest applications first',
  name: 'Applicant name (A–Z)',
  rating: 'Highest team rating first',
  expiry: 'Soonest license expiry first',
} as const;
export const SCREEN_SORTS = optionValues(SCREEN_SORT_LABELS);
export const SCREEN_PAGE_SIZE = 25;

export const screeningSchema = z.object({
  q: text()
    .trim()
    .max(200, 'Keep the search under 200 characters.')
    .optional()
    .transform((v) => v || undefined),
  credential: choices(CREDENTIAL_CODES as [string, ...string[]], 'Unknown credential.').default([]),
  class: choices(CREDENTIAL_CLASSES, 'Unknown credential class.').default([]),
  state: z
    .array(
      text()
        .trim()
        .toUpperCase()
        .pipe(z.enum(STATE_CODES, { error: 'Unknown state.' })),
    )
    .max(STATE_CODES.length)
    .default([]),
  eligible: z.boolean().default(false),
  verified: z.enum(['yes', 'no'], { error: 'Verified is “yes” or “no”.' }).optional(),
  expiring: z.coerce
    .number({ error: 'Expiring within: enter a number of days.' })
    .int('Enter whole days.')
    .min(1, 'Enter at least 1 day.')
    .max(730, 'Enter at most 730 days.')
    .optional(),
  knockout: z.enum(['failed', 'passed'], { error: 'Knockout is “failed” or “passed”.' }).optional(),
  stage: choices(APPLICATION_STAGES, 'Unknown stage.').default([]),
  job: z.uuid({ error: 'Unknown job.' }).optional(),
  sort: z.enum(SCREEN_SORTS, { error: 'Unknown sort order.' }).default('newest'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type ScreeningFilters = z.output<typeof screeningSchema>;

const one = (sp: URLSearchParams, k: string) => {
  const v = sp.get(k);
  return v === null || v === '' ? undefined : v;
};
const all = (sp: URLSearchParams, k: string) => [...new Set(sp.getAll(k).filter((v) => v !== ''))];

export type ParsedScreening = { ok: true; filters: ScreeningFilters } | { ok: false; errors: string[]; filters: ScreeningFilters };

export function parseScreening(sp: URLSearchParams): ParsedScreening {
  const raw = {
    q: one(sp, 'q'),
    credential: all(sp, 'credential'),
    class: all(sp, 'class'),
    state: all(sp, 'state'),
    eligible: ['1', 'true', 'on', 'yes'].includes(sp.get('eligible') ?? ''),
    verified: one(sp, 'verified'),
    expiring: one(sp, 'expiring'),
    knockout: one(sp, 'knockout'),
    stage: all(sp, 'stage'),
    job: one(sp, 'job'),
    sort: one(sp, 'sort'),
    page: one(sp, 'page'),
  };
  const r = screeningSchema.safeParse(raw);
  if (r.success) return { ok: true, filters: r.data };
  return { ok: false, errors: [...new Set(r.error.issues.map((i) => i.message))], filters: screeningSchema.parse({}) };
}

/** The filters back to a query string (defaults left out), for links, pagination and the CSV export. */
export function screeningQuery(f: Partial<ScreeningFilters>, over: Partial<ScreeningFilters> = {}): string {
  const v = { ...f, ...over };
  const sp = new URLSearchParams();
  if (v.q) sp.set('q', v.q);
  for (const k of ['credential', 'class', 'state', 'stage'] as const) for (const x of v[k] ?? []) sp.append(k, x);
  if (v.eligible) sp.set('eligible', '1');
  if (v.verified) sp.set('verified', v.verified);
  if (v.expiring !== undefined) sp.set('expiring', String(v.expiring));
  if (v.knockout) sp.set('knockout', v.knockout);
  if (v.job) sp.set('job', v.job);
  if (v.sort && v.sort !== 'newest') sp.set('sort', v.sort);
  if (v.page && v.page > 1) sp.set('page', String(v.page));
  return sp.toString();
}
