import { Lexer, Marked, type MarkedOptions, type Token, type TokensList } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '#lib/mail';

/**
 * Markdown written by employers is untrusted: rendered with marked, then
 * sanitized to a small allow-list (no raw HTML, scripts, styles or event handlers;
 * links only http(s)/mailto and marked rel="nofollow ugc").
 *
 * Rendering is also bounded. marked lexes nested blocks (quotes, list items) and
 * nested inline spans (emphasis, strikethrough, link text) by recursion, each level
 * re-scanning what is left of its text: 19,000 `>` in a row overflowed the stack
 * (and `- - - … x` took 11 s of CPU first). So the lexer refuses to go deeper than
 * MARKDOWN_LIMITS.maxDepth and the input is capped in size; the job service runs
 * the same render when a posting is saved, so what was saved renders.
 */
export const MARKDOWN_LIMITS = {
  /** The longest Markdown rendered (a posting's description limit). */
  maxChars: 20_000,
  /** Quotes and lists nested deeper than this are refused; so are emphasis and links nested deeper. */
  maxDepth: 8,
} as const;

export type MarkdownProblem =
  | { reason: 'too_long'; chars: number; message: string }
  /** depth: the nesting measured line by line (blockNestingDepth); at least maxDepth + 1. */
  | { reason: 'too_deep'; depth: number; message: string }
  | { reason: 'inline_too_deep'; message: string };

/** Thrown by renderUntrustedMarkdown for input it will not render. */
export class UnrenderableMarkdownError extends Error {
  readonly problem: MarkdownProblem;
  constructor(problem: MarkdownProblem) {
    super(problem.message);
    this.name = 'UnrenderableMarkdownError';
    this.problem = problem;
  }
}

function tooDeep(md: string): MarkdownProblem {
  const depth = Math.max(blockNestingDepth(md), MARKDOWN_LIMITS.maxDepth + 1);
  return {
    reason: 'too_deep',
    depth,
    message: `This description nests quotes or lists too deeply (${depth} levels); use at most ${MARKDOWN_LIMITS.maxDepth}.`,
  };
}

/** Signals from inside the lexer; turned into a MarkdownProblem by the caller, who has the whole text. */
class DepthExceeded extends Error {
  constructor(readonly kind: 'block' | 'inline') {
    super(`Markdown nested deeper than ${MARKDOWN_LIMITS.maxDepth} levels (${kind})`);
  }
}

/**
 * marked's lexer with a depth count. Every nested block (a quote's or a list
 * item's content) is lexed by a nested blockTokens call, every nested inline span
 * by a nested inlineTokens call, so counting the calls on the stack counts the
 * nesting, whichever tokenizer recursed. The outermost call of each is depth 0.
 */
class BoundedLexer extends Lexer {
  #block = -1;
  #inline = -1;

  override blockTokens(src: string, tokens?: Token[], lastParagraphClipped?: boolean): Token[];
  override blockTokens(src: string, tokens?: TokensList, lastParagraphClipped?: boolean): TokensList;
  override blockTokens(src: string, tokens?: Token[] | TokensList, lastParagraphClipped?: boolean): Token[] | TokensList {
    if (this.#block + 1 > MARKDOWN_LIMITS.maxDepth) throw new DepthExceeded('block');
    this.#block++;
    try {
      return super.blockTokens(src, tokens as Token[], lastParagraphClipped);
    } finally {
      this.#block--;
    }
  }

  override inlineTokens(src: string, tokens?: Token[]): Token[] {
    if (this.#inline + 1 > MARKDOWN_LIMITS.maxDepth) throw new DepthExceeded('inline');
    this.#inline++;
    try {
      return super.inlineTokens(src, tokens);
    } finally {
      this.#inline--;
    }
  }
}

/** Lexer.lex with the depth count (marked's hook wants its generic signature; this instance only makes strings). */
function boundedLex<P = string, R = string>(src: string, options?: MarkedOptions<P, R>): TokensList {
  return new BoundedLexer(options as MarkedOptions | undefined).lex(src);
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  hooks: {
    provideLexer: () => boundedLex,
  },
});

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h2',
    'h3',
    'h4',
    'p',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'a',
    'blockquote',
    'code',
    'pre',
    'br',
    'hr',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: {
    // A posting's own h1 would compete with the page title.
    h1: 'h2',
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener' }),
  },
};

/**
 * Untrusted Markdown to safe HTML. Throws UnrenderableMarkdownError for text over
 * MARKDOWN_LIMITS (too long, or nested too deeply); pages that show stored text
 * use renderMarkdownOrText instead.
 */
export function renderUntrustedMarkdown(md: string): string {
  if (md.length > MARKDOWN_LIMITS.maxChars) {
    throw new UnrenderableMarkdownError({
      reason: 'too_long',
      chars: md.length,
      message: `This description is too long to show (${md.length.toLocaleString('en-US')} characters); use at most ${MARKDOWN_LIMITS.maxChars.toLocaleString('en-US')}.`,
    });
  }
  let html: string;
  try {
    html = marked.parse(md) as string;
  } catch (err) {
    if (err instanceof DepthExceeded) {
      throw new UnrenderableMarkdownError(
        err.kind === 'block'
          ? tooDeep(md)
          : {
              reason: 'inline_too_deep',
              message: `This description nests bold, italic, strikethrough or links too deeply; use at most ${MARKDOWN_LIMITS.maxDepth} levels.`,
            },
      );
    }
    throw err;
  }
  return sanitizeHtml(html, SANITIZE);
}

/** Why this Markdown would not render (the save-time check), or null when it renders. */
export function markdownProblem(md: string): MarkdownProblem | null {
  try {
    renderUntrustedMarkdown(md);
    return null;
  } catch (err) {
    if (err instanceof UnrenderableMarkdownError) return err.problem;
    throw err;
  }
}

/** Text shown as it was typed: escaped, paragraphs at blank lines, line breaks kept. */
export function plainTextHtml(text: string): string {
  return text
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .filter((p) => p.trim())
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');
}

/**
 * For pages showing Markdown: rows saved before the save-time check (or anything
 * else marked refuses) are shown as escaped plain text rather than failing the
 * page. `stored` names a stored row, which is logged (text just typed is not:
 * the form already tells its author).
 */
export function renderMarkdownOrText(md: string, stored?: string): string {
  try {
    return renderUntrustedMarkdown(md);
  } catch (err) {
    if (stored) console.error(`[markdown] ${stored} shown as plain text:`, err instanceof Error ? err.message : err);
    return plainTextHtml(md);
  }
}

/**
 * How deeply quotes and list items nest, measured line by line in one pass (for
 * the save-time message: "N levels"). It keeps CommonMark's stack of open
 * containers: each line continues the quotes (">") and list items (indented to
 * their content) it can, then opens the markers it starts with; fenced and
 * indented code open nothing. Close enough to marked for a message; the bound
 * itself is the lexer's (BoundedLexer).
 */
type Container = { kind: 'quote' } | { kind: 'item'; content: number };

// Sticky (matched exactly at lastIndex), so the scan never copies the rest of a line.
const FENCE_AT = /(`{3,}|~{3,})/y;
const LIST_MARKER_AT = /(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/y;

/**
 * Where a line's thematic break ("- - -", "***") could start: the tail made of one
 * of - * _ and blanks, with how many of that character remain from each position.
 * Computed once per line, so testing each marker stays linear ("- - - … x").
 */
function breakTail(line: string): (j: number) => boolean {
  let k = line.length - 1;
  while (k >= 0 && (line[k] === ' ' || line[k] === '\t')) k--;
  const ch = line[k];
  if (ch !== '-' && ch !== '*' && ch !== '_') return () => false;
  while (k >= 0 && (line[k] === ch || line[k] === ' ' || line[k] === '\t')) k--;
  const start = k + 1;
  const left = new Int32Array(line.length - start + 1);
  for (let x = line.length - 1; x >= start; x--) left[x - start] = left[x - start + 1]! + (line[x] === ch ? 1 : 0);
  return (j) => j >= start && left[j - start]! >= 3;
}

export function blockNestingDepth(md: string): number {
  let max = 0;
  const stack: Container[] = [];
  let fence: { char: string; len: number; depth: number } | null = null;
  let lastBlank = true;
  let start = 0;
  while (start <= md.length) {
    let end = md.indexOf('\n', start);
    if (end === -1) end = md.length;
    const line = md.charCodeAt(end - 1) === 13 ? md.slice(start, end - 1) : md.slice(start, end);
    start = end + 1;

    /** Past spaces and tabs from (i, col), at most `limit` columns (tabs stop every 4). */
    const skipWs = (i: number, col: number, limit = Infinity): [number, number] => {
      while (i < line.length && (line[i] === ' ' || line[i] === '\t')) {
        const w = line[i] === '\t' ? 4 - (col % 4) : 1;
        if (col + w - col > limit) break;
        limit -= w;
        col += w;
        i++;
      }
      return [i, col];
    };

    if (!line.trim()) {
      // A blank line keeps items open (they may continue after it); it never nests deeper.
      lastBlank = true;
      continue;
    }

    // Continue the open containers, outermost first; each one matched consumes at least a character.
    let i = 0;
    let col = 0;
    let matched = 0;
    for (const c of stack) {
      if (c.kind === 'quote') {
        const [j, jc] = skipWs(i, col, 3);
        if (line[j] !== '>') break;
        i = j + 1;
        col = jc + 1;
        if (line[i] === ' ') [i, col] = [i + 1, col + 1];
      } else {
        const [j, jc] = skipWs(i, col, c.content - col);
        if (jc < c.content) break;
        [i, col] = [j, jc];
      }
      matched++;
    }

    if (fence) {
      if (matched >= fence.depth) {
        FENCE_AT.lastIndex = skipWs(i, col, 3)[0];
        const f = FENCE_AT.exec(line);
        if (f && f[1]![0] === fence.char && f[1]!.length >= fence.len && !line.slice(FENCE_AT.lastIndex).trim()) fence = null;
        lastBlank = false;
        continue;
      }
      fence = null; // its container ended
    }

    // Open new containers.
    const isBreak = breakTail(line);
    const opened: Container[] = [];
    for (;;) {
      const [j, jc] = skipWs(i, col);
      if (jc - col >= 4) break; // indented code
      if (line[j] === '>') {
        opened.push({ kind: 'quote' });
        i = j + 1;
        col = jc + 1;
        if (line[i] === ' ') [i, col] = [i + 1, col + 1];
        continue;
      }
      FENCE_AT.lastIndex = j;
      const f = FENCE_AT.exec(line);
      if (f) {
        fence = { char: f[1]![0]!, len: f[1]!.length, depth: matched + opened.length };
        break;
      }
      if (isBreak(j)) break;
      LIST_MARKER_AT.lastIndex = j;
      const m = LIST_MARKER_AT.exec(line);
      if (!m) break;
      const markerEnd = jc + m[0].length;
      const [k, kc] = skipWs(j + m[0].length, markerEnd);
      // 1–4 spaces after the marker set the content column; none (end of line) or 5+ mean one.
      opened.push({ kind: 'item', content: k >= line.length || kc - markerEnd > 4 ? markerEnd + 1 : kc });
      [i, col] = [k, kc];
    }

    if (opened.length === 0 && matched < stack.length && !lastBlank && !fence) {
      // A lazy continuation line: the paragraph it continues (and its containers) stay open.
      max = Math.max(max, matched);
    } else {
      stack.length = matched;
      for (const c of opened) stack.push(c);
      max = Math.max(max, stack.length);
    }
    lastBlank = false;
  }
  return max;
}
