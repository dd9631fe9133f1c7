import { createHash } from 'node:crypto';
import { postedAgo } from '#lib/domain/format';
import type { PublicJob } from './queries';

/**
 * HTTP caching of the public job page for anonymous visitors. The ETag names
 * everything the anonymous page is built from: the job's version (every edit,
 * publish, close and renew adds one) and updated_at (the expiry sweep sets it),
 * whether it is open now (valid-through can pass between sweeps), the organization
 * shown with it (name and logo), the "Posted 3 days ago" wording (it changes at midnight UTC
 * while the row does not), and the build (a deploy changes the markup). It is weak because
 * the edge may compress the body: the same page, different bytes.
 */
export function jobPageEtag(pj: PublicJob, build: string, now = new Date()): string {
  const h = createHash('sha1')
    .update(
      [
        pj.job.id,
        pj.job.version,
        pj.job.updatedAt.getTime(),
        pj.open ? 'open' : (pj.closedReason ?? 'closed'),
        pj.org.slug,
        pj.org.name,
        pj.org.logoPath ?? '',
        pj.job.postedAt ? postedAgo(pj.job.postedAt, now) : '',
        build,
      ].join('\n'),
    )
    .digest('base64url');
  return `W/"${h.slice(0, 22)}"`;
}

const MAX_AGE_S = 60;
const STALE_S = 600;

/**
 * Shared caches may keep an anonymous job page a minute and serve it stale while
 * revalidating for ten; an open posting is never kept past its valid-through, so a
 * cache does not offer "Apply now" on an expired posting.
 */
export function publicJobCacheControl(pj: PublicJob, now = new Date()): string {
  let maxAge = MAX_AGE_S;
  let stale = STALE_S;
  if (pj.open) {
    const left = Math.max(0, Math.floor((pj.job.validThrough.getTime() - now.getTime()) / 1000));
    maxAge = Math.min(maxAge, left);
    stale = Math.min(stale, left - maxAge);
  }
  return `public, max-age=${maxAge}, stale-while-revalidate=${stale}`;
}
