/**
 * Where an applicant came from, recorded on the application at apply time. Pure data and
 * functions (the schema imports this file). The site marks its own links with utm_* parameters
 * (withSource below): search results, saved-search alert emails, the RSS feed, the XML job feed and
 * organization pages. The job page turns them into `?source=` on its apply link, the apply form
 * carries it in a hidden field, and the application stores it. Nothing identifies the visitor.
 */
export const APPLICATION_SOURCES = ['search', 'alert', 'rss', 'feed', 'organization', 'direct', 'other'] as const;
export type ApplicationSource = (typeof APPLICATION_SOURCES)[number];

export const SOURCE_LABELS: Record<ApplicationSource, string> = {
  search: 'On-site search',
  alert: 'Saved-search alert email',
  rss: 'RSS feed',
  feed: 'XML job feed',
  organization: 'Organization page',
  direct: 'Direct (no referrer)',
  other: 'Another website',
};

/** The stages an application moves through in order; rejected and withdrawn end it without advancing. */
export const PIPELINE_STAGES = ['applied', 'screening', 'interview', 'offer', 'hired'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** Position in the pipeline; -1 for rejected and withdrawn (they never raise the furthest stage). */
export function pipelineRank(stage: string): number {
  return (PIPELINE_STAGES as readonly string[]).indexOf(stage);
}

/** The utm_medium the site sets on its own links, per source (utm_source is always UTM_SITE). */
const MEDIUM: Record<Exclude<ApplicationSource, 'direct' | 'other'>, string> = {
  search: 'search',
  alert: 'email',
  rss: 'rss',
  feed: 'job-feed',
  organization: 'organization-page',
};
export const UTM_SITE = 'phpiopjobs';

/** A site link marked with where it is shown: `/jobs/x` → `/jobs/x?utm_source=phpiopjobs&utm_medium=rss`. Works on absolute URLs too. */
export function withSource(href: string, source: keyof typeof MEDIUM): string {
  const sep = href.includes('?') ? '&' : '?';
  return `${href}${sep}utm_source=${UTM_SITE}&utm_medium=${MEDIUM[source]}`;
}

const BY_MEDIUM = new Map(Object.entries(MEDIUM).map(([s, m]) => [m, s as ApplicationSource]));

/**
 * The source of a visit to a job page: the site's own utm_* marks first, then the referrer
 * (a page of this site: search results or an organization page; another site: other), else direct.
 */
export function sourceOfVisit(params: URLSearchParams, referrer: string | null, siteOrigin: string): ApplicationSource {
  const medium = params.get('utm_medium');
  if (params.get('utm_source') === UTM_SITE && medium) return BY_MEDIUM.get(medium) ?? 'other';
  if (medium || params.get('utm_source')) return 'other';
  if (!referrer) return 'direct';
  let ref: URL;
  try {
    ref = new URL(referrer);
  } catch {
    return 'direct';
  }
  if (ref.origin !== siteOrigin) return 'other';
  if (ref.pathname === '/jobs' || ref.pathname === '/') return 'search';
  if (ref.pathname.startsWith('/organizations/')) return 'organization';
  return 'direct';
}

/** A `source` value from a form or query string; anything unknown is direct. */
export function parseSource(value: unknown): ApplicationSource {
  return typeof value === 'string' && (APPLICATION_SOURCES as readonly string[]).includes(value) ? (value as ApplicationSource) : 'direct';
}
