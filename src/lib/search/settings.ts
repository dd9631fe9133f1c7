import type { Settings } from 'meilisearch';
import { buildSynonyms, typoExemptWords } from './synonyms';

/**
 * Index settings for the jobs index, applied idempotently at start and on every
 * reindex. Each choice is deliberate:
 */
export function jobIndexSettings(opts: { fresh?: boolean } = {}): Settings {
  return {
    // Ordered by importance: a hit in the title says more than one in the description.
    searchableAttributes: [
      'title',
      'roleName',
      'credentials',
      'credentialNames',
      'organization',
      'city',
      'stateName',
      'state',
      'populationNames',
      'description',
    ],
    // Every facet and filter the search page and API offer, plus _geo for "near ZIP".
    filterableAttributes: [
      'role',
      'program',
      'programs',
      'credentials',
      'credentialClasses',
      'state',
      'setting',
      'schedule',
      'track',
      'employmentType',
      'payMinAnnual',
      'postedAt',
      'populations',
      'supervisionOffered',
      'orgId',
      'validThrough',
      '_geo',
      // Searches keep the jobs the fresh index serves out of the main index by id (meili-search.ts).
      'id',
      // The fresh index's sweep finds what it may delete by these (fresh.ts).
      ...(opts.fresh ? ['rev', 'freshAt'] : []),
    ],
    sortableAttributes: ['postedAt', 'payMinAnnual', 'payMaxAnnual', '_geo'],
    // Default rules; "sort" after relevance rules keeps the typed query meaningful when sorting.
    rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
    displayedAttributes: ['*'],
    synonyms: buildSynonyms(),
    typoTolerance: {
      enabled: true,
      // Credential codes are short acronyms that differ by one letter (LPC/LPN, LCSW/LICSW): never fuzzy.
      disableOnWords: typoExemptWords(),
      // Codes also live in these attributes as exact tokens.
      disableOnAttributes: ['credentials', 'state'],
      minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    },
    // Totals must be exact (the contract), not capped at Meilisearch's default of 1,000.
    pagination: { maxTotalHits: 1_000_000 },
    faceting: { maxValuesPerFacet: 100 },
    // Word proximity by attribute rather than by word position: much faster indexing, and
    // job titles are short enough that in-attribute distance adds little.
    proximityPrecision: 'byAttribute',
    // The UI never searches inside facet values (facet lists are short and fixed by the taxonomy),
    // so the facet-search structures would only slow every indexing task.
    facetSearch: false,
  };
}
