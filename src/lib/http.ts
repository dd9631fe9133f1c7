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

/**
 * Security headers on every response. CSP: scripts and styles from this origin
 * only (Astro bundles them); JSON-LD is data, not script, so it is unaffected.
 */
export function securityHeaders(headers: Headers, production: boolean): void {
  headers.set('X-Content-Type-Options', 'nosniff');
  headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  headers.set('X-Frame-Options', 'DENY');
  headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  if (!headers.has('Content-Security-Policy')) {
    headers.set(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
    );
  }
  if (production) headers.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
}
