/**
 * Internal links in content Markdown. Pure functions: the content test uses them
 * to fail the suite on a link to a page that does not exist.
 */
export const CONTENT_COLLECTIONS = ['roles', 'credentials', 'guides'] as const;
export type ContentCollection = (typeof CONTENT_COLLECTIONS)[number];

export interface MarkdownLink {
  /** The URL as written. */
  href: string;
  /** 1-based line number in the Markdown body. */
  line: number;
}

const INLINE = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/;
const AUTOLINK = /<((?:https?:\/\/|\/)[^>\s]+)>/g;

/** Every link target in a Markdown body: inline, reference-style and autolinks. */
export function markdownLinks(md: string): MarkdownLink[] {
  const out: MarkdownLink[] = [];
  let inFence = false;
  md.split('\n').forEach((text, i) => {
    if (/^\s*(```|~~~)/.test(text)) inFence = !inFence;
    if (inFence) return;
    const line = i + 1;
    for (const m of text.matchAll(INLINE)) out.push({ href: m[1]!, line });
    const ref = REFERENCE.exec(text);
    if (ref) out.push({ href: ref[1]!, line });
    // Autolinks in what is left once inline links are removed (`[x](</path>)` is not an autolink).
    for (const m of text.replace(INLINE, '').matchAll(AUTOLINK)) out.push({ href: m[1]!, line });
  });
  return out;
}

export type LinkTarget =
  | { type: 'external' }
  | { type: 'content'; collection: ContentCollection; slug: string }
  | { type: 'page'; path: string; search: URLSearchParams }
  | { type: 'invalid'; reason: string };

/** Site pages content may link to besides content entries. */
const KNOWN_PAGES = new Set(['/', '/jobs', '/roles', '/credentials', '/guides']);

/** What a link points at, or why it is not allowed in content (relative links, unknown site paths). */
export function classifyLink(href: string): LinkTarget {
  if (/^(https?:|mailto:)/i.test(href)) return { type: 'external' };
  if (href.startsWith('#')) return { type: 'page', path: '', search: new URLSearchParams() };
  if (!href.startsWith('/') || href.startsWith('//')) return { type: 'invalid', reason: 'internal links must be absolute paths such as /roles/therapist' };
  const url = new URL(href, 'https://example.invalid');
  const path = url.pathname;
  const m = /^\/(roles|credentials|guides)\/([^/]+)$/.exec(path);
  if (m) return { type: 'content', collection: m[1] as ContentCollection, slug: decodeURIComponent(m[2]!) };
  if (KNOWN_PAGES.has(path)) return { type: 'page', path, search: url.searchParams };
  return { type: 'invalid', reason: `no page at ${path}` };
}
