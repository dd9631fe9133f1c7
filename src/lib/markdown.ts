import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown written by employers is untrusted: rendered with marked, then
 * sanitized to a small allow-list (no raw HTML, scripts, styles or event handlers;
 * links only http(s)/mailto and marked rel="nofollow ugc").
 */
const marked = new Marked({ gfm: true, breaks: false, async: false });

export function renderUntrustedMarkdown(md: string): string {
  const html = marked.parse(md) as string;
  return sanitizeHtml(html, {
    allowedTags: ['h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'code', 'pre', 'br', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
    allowedAttributes: { a: ['href', 'rel'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: {
      // A posting's own h1 would compete with the page title.
      h1: 'h2',
      a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener' }),
    },
  });
}
