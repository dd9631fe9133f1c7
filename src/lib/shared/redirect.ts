/**
 * The one check for every `next` (where to go after signing in, signing up,
 * editing the profile, switching organization, accepting an invitation).
 *
 * Browsers read a Location or href more loosely than a plain string compare
 * suggests: they drop tabs and newlines inside URLs, treat `\` as `/`, and
 * resolve `/..//host` to `//host`. So the value is refused outright when it
 * holds anything a browser would rewrite, then parsed with the WHATWG URL
 * parser (the one browsers use) against the site's origin, and only the
 * normalized path, query and fragment of a same-origin result is returned.
 */

/** Longer `next` values are not links we made (ours are a page path and its query). */
export const MAX_NEXT_LENGTH = 2048;

// C0 controls, DEL, C1 controls and the backslash: browsers strip or rewrite all of them in URLs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const REWRITTEN = /[\u0000-\u001F\u007F-\u009F\\]/;

/** Percent-decoding that never throws (a lone `%` is just a character). */
function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A path that would leave the site (`//host`) or that a decoding hop could turn into one. */
function unsafePath(path: string): boolean {
  const plain = decoded(path);
  return path.startsWith('//') || plain.startsWith('//') || plain.startsWith('/\\') || REWRITTEN.test(plain);
}

export function safeRedirect(next: string | null | undefined, site: string | URL): string | undefined;
export function safeRedirect(next: string | null | undefined, site: string | URL, fallback: string): string;
export function safeRedirect(next: string | null | undefined, site: string | URL, fallback?: string): string | undefined {
  if (typeof next !== 'string' || next === '' || next.length > MAX_NEXT_LENGTH) return fallback;
  if (REWRITTEN.test(next)) return fallback;
  const origin = new URL(site).origin;
  // Relative values must be a path from the root; anything else must name this site's own origin.
  const absolute = !next.startsWith('/');
  if (!absolute && next.startsWith('//')) return fallback;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin) return fallback;
  // An absolute value must spell the origin out (`http:evil` also resolves onto this origin, but is no link of ours).
  if (absolute && !`${next.toLowerCase()}/`.startsWith(`${origin.toLowerCase()}/`)) return fallback;
  // Dot segments can collapse `/..//host` into `//host`: check what the browser would actually get.
  if (unsafePath(url.pathname)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
