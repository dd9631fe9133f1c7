import { errInfo, log } from '#lib/log';

/**
 * Feeds and sitemaps are read by machines that retry: when the database cannot
 * answer, say "try again later" (503 with Retry-After) rather than a bare 500.
 */
export function feedUnavailable(what: string, err: unknown): Response {
  log.error({ feed: what, err: errInfo(err) }, 'feed unavailable');
  return new Response(`${what} is temporarily unavailable. Try again in a few minutes.\n`, {
    status: 503,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '300', 'cache-control': 'no-store' },
  });
}

export const XML_HEADERS = {
  'content-type': 'application/xml; charset=utf-8',
  'cache-control': 'public, max-age=3600',
};
