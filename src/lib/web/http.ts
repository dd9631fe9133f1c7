import { constants as zlibConstants } from 'node:zlib';

/** Small response helpers shared by API routes. */
export function json(data: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(data), {
    ...init,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(init.headers ?? {}) },
  });
}

export function problem(status: number, message: string, details?: string[]): Response {
  return json({ error: message, ...(details ? { details } : {}) }, { status });
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

/**
 * The security headers every response carries, pages, errors and static files alike.
 * CSP: scripts and styles from this origin only (Astro bundles them); JSON-LD is data,
 * not script, so it is unaffected.
 */
export function securityHeaderList(production: boolean): [name: string, value: string][] {
  const list: [string, string][] = [
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['X-Frame-Options', 'DENY'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=()'],
    ['Content-Security-Policy', CSP],
  ];
  if (production) list.push(['Strict-Transport-Security', 'max-age=63072000; includeSubDomains']);
  return list;
}

/** Applies securityHeaderList to a Fetch Headers object, keeping a page's own stricter CSP. */
export function securityHeaders(headers: Headers, production: boolean): void {
  for (const [name, value] of securityHeaderList(production)) {
    if (name === 'Content-Security-Policy' && headers.has(name)) continue;
    headers.set(name, value);
  }
}

/** If-None-Match against an ETag, compared weakly (RFC 9110 §13.1.2): a list, or `*`. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const ours = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === ours;
  });
}

/**
 * How the edge compresses text, for live responses and the micro-cache's stored ones alike: bodies over 1 KB;
 * brotli quality 4 costs about what gzip 6 does and saves more.
 */
export const COMPRESSION = { thresholdBytes: 1024, brotliParams: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 }, gzipLevel: 6 } as const;
