import { z } from 'zod';
import { text } from '#lib/shared/text';
import { CREDENTIAL_CODES, EMPLOYMENT_TYPES, POPULATIONS, PROGRAM_TYPES, ROLE_SLUGS, SCHEDULES, SETTINGS, STATE_CODES } from '#lib/domain/taxonomy';

/**
 * The /jobs and /api/jobs query contract, defined once. Repeated parameters are
 * OR within a facet; different parameters AND. Values are checked against the
 * taxonomy here, so nothing a user types reaches an engine's filter syntax.
 */
export const PAGE_SIZE = 20;
export const SORTS = ['relevance', 'newest', 'pay', 'distance'] as const;

const upper = (s: string) => s.trim().toUpperCase();
const lower = (s: string) => s.trim().toLowerCase();

function multi<T extends readonly [string, ...string[]]>(values: T, normalize: (s: string) => string, label: string) {
  return z
    .array(text())
    .default([])
    .transform((arr) => [
      ...new Set(
        arr
          .flatMap((v) => v.split(','))
          .map(normalize)
          .filter(Boolean),
      ),
    ])
    .pipe(
      z.array(
        z.enum(values, {
          error: (iss) => `Unknown ${label} "${String(iss.input)}". Use one of: ${values.join(', ')}.`,
        }),
      ),
    );
}

const intParam = (label: string, min: number, max: number) =>
  text()
    .trim()
    .regex(/^\d+$/, `${label} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${label} must be at least ${min}`).max(max, `${label} must be at most ${max}`));

export const SearchParamsSchema = z
  .object({
    q: text().trim().max(200, 'The search text is too long (200 characters at most).').default(''),
    role: multi(ROLE_SLUGS, lower, 'role'),
    program: multi(PROGRAM_TYPES as unknown as [string, ...string[]], upper, 'program'),
    credential: multi(CREDENTIAL_CODES as [string, ...string[]], upper, 'credential'),
    state: multi(STATE_CODES, upper, 'state'),
    setting: multi(SETTINGS as unknown as [string, ...string[]], lower, 'setting'),
    schedule: multi(SCHEDULES as unknown as [string, ...string[]], lower, 'schedule'),
    type: multi(EMPLOYMENT_TYPES as unknown as [string, ...string[]], lower, 'employment type'),
    population: multi(POPULATIONS as unknown as [string, ...string[]], lower, 'population'),
    supervision: z.enum(['1'], { error: 'supervision takes the value 1' }).optional(),
    pay_min: intParam('pay_min', 0, 1_000_000).optional(),
    posted: intParam('posted', 1, 365).optional(),
    near: text()
      .trim()
      .regex(/^\d{5}$/, 'near must be a 5-digit ZIP code')
      .optional(),
    radius: intParam('radius', 1, 500).optional(),
    qualified: z.enum(['1'], { error: 'qualified takes the value 1' }).optional(),
    sort: z.enum(SORTS, { error: `sort must be one of: ${SORTS.join(', ')}` }).default('relevance'),
    page: intParam('page', 1, 10_000).default(1),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.sort === 'distance' && !p.near) ctx.addIssue({ code: 'custom', path: ['sort'], message: 'Sorting by distance needs a ZIP code in near.' });
  })
  // The plain-HTML form always sends its radius select; without a ZIP it means nothing, so it is dropped rather than refused.
  .transform((p) => (p.near ? p : { ...p, radius: undefined }));

export type SearchParams = z.output<typeof SearchParamsSchema>;

const MULTI_KEYS = new Set(['role', 'program', 'credential', 'state', 'setting', 'schedule', 'type', 'population']);

/** Marketing and analytics tags that links carry; ignored rather than refused. */
const IGNORED = /^(utm_[a-z]+|fbclid|gclid|ref)$/;

export class SearchParamsError extends Error {
  constructor(readonly issues: string[]) {
    super(issues.join(' '));
    this.name = 'SearchParamsError';
  }
}

/** URLSearchParams → validated params, or a SearchParamsError listing what to fix. */
export function parseSearchParams(sp: URLSearchParams): SearchParams {
  const raw: Record<string, string | string[]> = {};
  for (const key of new Set(sp.keys())) {
    if (IGNORED.test(key)) continue;
    const all = sp.getAll(key);
    if (MULTI_KEYS.has(key)) raw[key] = all;
    else if (all.length > 1) throw new SearchParamsError([`${key} may be given only once.`]);
    else if (all[0] !== '') raw[key] = all[0]!;
  }
  const parsed = SearchParamsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new SearchParamsError(
      parsed.error.issues.map((i) => {
        if (i.code === 'unrecognized_keys') return `Unknown parameter${i.keys.length > 1 ? 's' : ''}: ${i.keys.join(', ')}.`;
        return i.message;
      }),
    );
  }
  return parsed.data;
}

/** Validated params → canonical query string (sorted, defaults dropped): shareable URLs and saved searches. */
export function toQueryString(p: Partial<SearchParams>, overrides: Partial<Record<keyof SearchParams, unknown>> = {}): string {
  const merged = { ...p, ...overrides } as Record<string, unknown>;
  const sp = new URLSearchParams();
  for (const key of Object.keys(merged).sort()) {
    const v = merged[key];
    if (v === undefined || v === null || v === '') continue;
    if (key === 'sort' && v === 'relevance') continue;
    if (key === 'page' && v === 1) continue;
    if (Array.isArray(v)) for (const x of v) sp.append(key, String(x));
    else sp.set(key, String(v));
  }
  return sp.toString();
}

/** PHP_IOP programs match a PHP filter and an IOP filter. */
export function expandPrograms(values: string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    out.add(v);
    if (v === 'PHP' || v === 'IOP') out.add('PHP_IOP');
  }
  return [...out];
}
