/**
 * Telling "a dependency is down" apart from a bug, so an outage answers a short 503
 * with Retry-After instead of a 500. Errors arrive wrapped (drizzle's query error
 * carries the driver's error as `cause`), so the whole cause chain is inspected.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // postgres.js
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now, too many connections
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: 'database' | 'search',
    cause?: unknown,
  ) {
    super(`${dependency} unavailable`, { cause });
    this.name = 'DependencyUnavailableError';
  }
}

export function isDependencyDown(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 8; depth++) {
    if (e instanceof DependencyUnavailableError) return true;
    if (typeof e !== 'object') return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    // AggregateError from a dual-stack connect attempt (both addresses refused).
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((x) => isDependencyDown(x))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Seconds a client should wait before retrying during an outage. */
export const RETRY_AFTER_S = 30;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Briefly unavailable · PHP/IOP Jobs</title><meta name="robots" content="noindex">
<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}</style>
</head><body><main><h1>We'll be right back</h1>
<p>Part of the site is briefly unavailable, so we could not finish this request. Nothing you sent was saved twice or lost: please try again in a minute.</p>
<p><a href="/jobs">Search jobs</a> may still work in the meantime.</p></main></body></html>
`;

/** The short 503 answered while a dependency is down: HTML for pages, JSON for APIs and actions. */
export function unavailableResponse(wantsJson: boolean): Response {
  const headers = { 'Retry-After': String(RETRY_AFTER_S), 'Cache-Control': 'no-store' };
  if (wantsJson) {
    return new Response(JSON.stringify({ error: 'The service is briefly unavailable. Try again in a minute.' }), {
      status: 503,
      headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
    });
  }
  return new Response(PAGE, { status: 503, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } });
}

/** PostgreSQL refused text it cannot store (NUL, invalid UTF-8): the client's input, not our fault. */
export function isUnstorableText(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === '22021' || code === '22P05') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
