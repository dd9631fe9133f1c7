import { CREDENTIALS, PROGRAM_TYPES, ROLES, SETTINGS, US_STATES } from '#lib/domain/taxonomy';
import { employmentLabel, programLabel, roleName, scheduleLabel, settingLabel, stateName } from '#lib/domain/format';
import { paths } from '#lib/paths';
import { toQueryString, type SearchParams } from './params';
import type { FacetKey, SearchResult } from './types';

/**
 * What the results page shows around the hits, built from the parsed query and the
 * result alone (pure, so it is unit-tested): facet options with counts, the active
 * filters as removable chips, sort labels and page links.
 */
export const SORT_LABELS: Record<SearchParams['sort'], string> = {
  relevance: 'Best match',
  newest: 'Newest',
  pay: 'Highest pay',
  distance: 'Distance',
};

const FACET_LABELS: Record<FacetKey, (v: string) => string> = {
  role: roleName,
  program: programLabel,
  credential: (v) => v,
  state: stateName,
  setting: settingLabel,
};

const FACET_ORDER: Record<FacetKey, readonly string[]> = {
  role: ROLES.map((r) => r.slug),
  program: PROGRAM_TYPES,
  credential: CREDENTIALS.map((c) => c.code),
  state: Object.keys(US_STATES),
  setting: SETTINGS,
};

export interface FacetOption {
  value: string;
  label: string;
  count: number;
}

/** Every value of a facet with its count, in taxonomy order; states by count, since fifty in alphabetical order bury the useful ones. */
export function facetOptions(result: Pick<SearchResult, 'facets'> | undefined, key: FacetKey): FacetOption[] {
  const counts = result?.facets[key] ?? {};
  const opts = FACET_ORDER[key].map((v) => ({ value: v, label: FACET_LABELS[key](v), count: counts[v] ?? 0 }));
  return key === 'state' ? opts.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)) : opts;
}

const MULTI_KEYS = ['role', 'program', 'credential', 'state', 'setting', 'schedule', 'type', 'population'] as const;
const CHIP_LABELS: Record<(typeof MULTI_KEYS)[number], (v: string) => string> = {
  ...FACET_LABELS,
  schedule: scheduleLabel,
  type: employmentLabel,
  population: (v) => v,
};

export interface Chip {
  label: string;
  /** The same search without this filter, back on page 1. */
  href: string;
}

/** The active filters, each with the link that removes it. */
export function activeChips(p: SearchParams): Chip[] {
  const without = (over: Partial<Record<keyof SearchParams, unknown>>) => paths.jobs(toQueryString(p, { ...over, page: 1 }));
  const chips: Chip[] = MULTI_KEYS.flatMap((k) =>
    (p[k] as string[]).map((v) => ({
      label: CHIP_LABELS[k](v),
      href: without({ [k]: (p[k] as string[]).filter((x) => x !== v) }),
    })),
  );
  if (p.q) chips.push({ label: `“${p.q}”`, href: without({ q: '' }) });
  if (p.pay_min !== undefined)
    chips.push({
      label: `Pay at least $${p.pay_min.toLocaleString('en-US')}/yr`,
      href: without({ pay_min: undefined }),
    });
  if (p.posted !== undefined) chips.push({ label: `Posted in the last ${p.posted} days`, href: without({ posted: undefined }) });
  if (p.near) {
    chips.push({
      label: `Within ${p.radius ?? 25} miles of ${p.near}`,
      href: without({ near: undefined, radius: undefined, sort: p.sort === 'distance' ? 'relevance' : p.sort }),
    });
  }
  if (p.supervision) chips.push({ label: 'Supervision offered', href: without({ supervision: undefined }) });
  if (p.qualified) chips.push({ label: 'Jobs I qualify for', href: without({ qualified: undefined }) });
  return chips;
}

/** Pages of results, capped where deep paging stops being useful to a person. */
export function pageCount(result: Pick<SearchResult, 'total' | 'pageSize'> | undefined): number {
  return result ? Math.min(Math.ceil(result.total / result.pageSize), 10_000) : 0;
}
