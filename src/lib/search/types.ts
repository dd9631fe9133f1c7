import type { QualifyClause } from '#lib/licensure/eligibility';

export const FACETS = ['role', 'program', 'credential', 'state', 'setting'] as const;
export type FacetKey = (typeof FACETS)[number];
export type FacetCounts = Record<FacetKey, Record<string, number>>;

/** One job in results: the public contract's fields plus what the result card shows. */
export interface JobHit {
  id: string;
  slug: string;
  title: string;
  organization: string;
  orgSlug: string;
  /** The organization's logo key (src/lib/logos), or null: the card shows initials. */
  orgLogo: string | null;
  role: string;
  program: string;
  credentials: string[];
  city: string;
  state: string;
  setting: string;
  payMin: number;
  payMax: number;
  payPeriod: string;
  employmentType: string;
  schedule: string;
  supervisionOffered: boolean;
  postedAt: string;
}

export interface SearchResult {
  hits: JobHit[];
  facets: FacetCounts;
  total: number;
  page: number;
  pageSize: number;
  engine: 'meilisearch' | 'postgres';
}

/** Everything a search needs beyond the URL: resolved once by the service, used identically by both engines. */
export interface SearchContext {
  now: Date;
  geo?: { lat: number; lng: number; radiusMiles?: number };
  /** Present for "jobs I qualify for"; an empty list means nothing qualifies. */
  qualify?: QualifyClause[];
  /** Only jobs first posted after this instant (job-alert digests). */
  postedAfter?: Date;
}

export const METERS_PER_MILE = 1609.344;
