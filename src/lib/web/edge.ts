/**
 * Checks on a request's method and address made before any routing, shared by the
 * Node server (src/lib/web/node-server.ts) and the Astro middleware (so `astro dev`
 * behaves the same). Pure: no I/O, no framework.
 */

/** Methods the site answers. Everything else (TRACE, PUT, CONNECT, …) gets 405. */
export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST'] as const;

export interface EdgeRefusal {
  status: 400 | 405 | 413;
  message: string;
  headers?: Record<string, string>;
}

export function checkMethod(method: string | undefined): EdgeRefusal | null {
  if ((ALLOWED_METHODS as readonly string[]).includes(method ?? '')) return null;
  return {
    status: 405,
    message: `This address answers ${ALLOWED_METHODS.join(', ')} requests only.`,
    headers: { Allow: ALLOWED_METHODS.join(', ') },
  };
}

// C0 controls (NUL, tab, CR, LF, vertical tab, …) and DEL: never part of an address this site makes.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A request target (path + query) is refused when it holds control characters raw or
 * percent-encoded, broken percent-encoding, or bytes that are not UTF-8. Such input
 * cannot be a link of ours, and NUL in particular makes PostgreSQL reject the query,
 * which used to surface as a 500.
 */
export function checkTarget(target: string | undefined): EdgeRefusal | null {
  const raw = target ?? '/';
  const refuse = (why: string): EdgeRefusal => ({
    status: 400,
    message: `This address ${why}. Check the link, or search from the home page.`,
  });
  if (CONTROL.test(raw)) return refuse('contains characters that are not allowed');
  const [path = '', ...rest] = raw.split('?');
  const query = rest.join('?');
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(path);
  } catch {
    return refuse('is not valid: it has broken %-escapes or bytes that are not UTF-8');
  }
  if (CONTROL.test(decodedPath)) return refuse('contains characters that are not allowed');
  for (const part of query.split('&')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return refuse('has a query that is not valid: broken %-escapes or bytes that are not UTF-8');
    }
    // Only NUL here: other control characters in a value are the field schemas' to judge
    // (a stray tab in `next` is dropped, in a search it gets a message on the field).
    if (decoded.includes('\u0000')) return refuse('has a query with characters that are not allowed');
  }
  return null;
}

/** Plain-text body for an edge refusal: short, no markup, nothing echoed back. */
export function refusalText(r: EdgeRefusal): string {
  return `${r.message}\n`;
}
