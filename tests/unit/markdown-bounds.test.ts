import { Lexer, type Token } from 'marked';
import { describe, expect, it } from 'vitest';
import { jobInputSchema } from '#lib/jobs/schema';
import {
  blockNestingDepth,
  MARKDOWN_LIMITS,
  markdownProblem,
  plainTextHtml,
  renderMarkdownOrText,
  renderUntrustedMarkdown,
  UnrenderableMarkdownError,
} from '#lib/markdown';
import { jobInput } from '../helpers/factories';

/**
 * Rendering employers' Markdown is bounded: marked lexes nested quotes and list
 * items by recursion, so 19,000 `>` overflowed the stack (and broke the jobs feed
 * for every organization). Depth and size are capped in the lexer, the save-time
 * check refuses what would not render, and pages fall back to plain text.
 */

/** The nesting marked itself builds (unbounded lexer): quotes and list items, counted level by level. */
function markedDepth(tokens: Token[] | undefined, d = 0): number {
  let max = d;
  for (const t of tokens ?? []) {
    if (t.type === 'blockquote') max = Math.max(max, markedDepth(t.tokens, d + 1));
    else if (t.type === 'list') for (const item of t.items) max = Math.max(max, markedDepth(item.tokens, d + 1));
  }
  return max;
}

const nestedList = (levels: number) => Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}- level ${i + 1}`).join('\n');

describe('blockNestingDepth (one pass, line by line)', () => {
  it.each([
    ['plain text', 'Lead groups in our IOP.', 0],
    ['a quote', '> a', 1],
    ['quotes on one line', '>>> a', 3],
    ['spaced quotes', '> > > a', 3],
    ['19,000 quotes', `${'>'.repeat(19_000)} x`, 19_000],
    ['a list nested by indentation', nestedList(5), 5],
    ['list markers on one line', `${'- '.repeat(12)}x`, 12],
    ['ordered lists', '1. a\n   1. b\n      1. c', 3],
    ['quotes and lists mixed', '> - a\n>   - b\n>     > c', 4],
    ['a list item holding quotes', '+ a\n\n  > b\n  > > c', 3],
    ['a thematic break is not a list', '- - -\n* * *', 0],
    ['quotes inside fenced code do not count', '```\n>>>>>>>>>> not a quote\n```\n> one', 1],
    ['indented code does not count', '    >>>>>>>>>> code', 0],
    ['siblings at growing indents stay siblings', '- a\n - b\n  - c\n   - d', 1],
  ])('%s', (_name, md, depth) => {
    expect(blockNestingDepth(md)).toBe(depth);
  });

  it('agrees with the structure marked builds', () => {
    const samples = [
      '> a\nb',
      '- a\n\n  - b\n\n    > c',
      '- > a',
      '- - - x',
      '- a\n    - b',
      '- a\n     - b',
      '-\tb\n\t- c',
      '10) a\n    - b',
      '* a\n  + b\n    - c\n      * d',
      '> ```\n> > x\n> ```',
      '- ```\n  > > x\n  ```',
      '>\n> - a',
      '- a\n\n\n  - b',
      '> - a\n- b',
      nestedList(8),
      '1. one\n2. two\n   - a\n   - b\n     > quoted\n3. three',
      '> ## Heading\n> - item\n>   1. sub',
    ];
    for (const md of samples) expect(blockNestingDepth(md), JSON.stringify(md)).toBe(markedDepth(Lexer.lex(md, { gfm: true })));
  });
});

describe('renderUntrustedMarkdown bounds', () => {
  it('renders the deepest nesting allowed', () => {
    expect(MARKDOWN_LIMITS.maxDepth).toBe(8);
    const html = renderUntrustedMarkdown(`${'> '.repeat(8)}deep\n\n${nestedList(8)}`);
    expect(html.match(/<blockquote>/g)).toHaveLength(8);
    expect(html).toContain('level 8');
  });

  it('refuses one level more with the depth in the message', () => {
    expect(markdownProblem(`${'> '.repeat(9)}too deep`)).toEqual({
      reason: 'too_deep',
      depth: 9,
      message: 'This description nests quotes or lists too deeply (9 levels); use at most 8.',
    });
    expect(markdownProblem(nestedList(9))?.reason).toBe('too_deep');
  });

  it('refuses 19,000 nested quotes with an error it names, not a stack overflow', () => {
    let caught: unknown;
    try {
      renderUntrustedMarkdown(`Our IOP is hiring.\n\n${'>'.repeat(19_000)} hello`);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UnrenderableMarkdownError);
    expect((caught as UnrenderableMarkdownError).problem).toMatchObject({ reason: 'too_deep', depth: 19_000 });
  });

  it.each([
    ['list markers on one line', `${'- '.repeat(9_999)}x`],
    ['star bullets on one line', `${'* '.repeat(9_999)}x`],
    ['quote and list markers', `${'> - '.repeat(4_999)}x`],
    ['a list nested by indentation', nestedList(120)],
  ])('refuses %s (deep nesting within the size limit)', (_name, md) => {
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMITS.maxChars);
    expect(markdownProblem(md)?.reason).toBe('too_deep');
  });

  it('bounds nested emphasis too', () => {
    expect(markdownProblem(`${'**'.repeat(4_999)}x${'**'.repeat(4_999)}`)?.reason).toBe('inline_too_deep');
    expect(renderUntrustedMarkdown('***bold italic*** and ~~**struck bold**~~')).toContain('<strong>');
  });

  it('refuses text over the size limit', () => {
    expect(markdownProblem('a'.repeat(MARKDOWN_LIMITS.maxChars + 1))?.reason).toBe('too_long');
    expect(markdownProblem('a'.repeat(MARKDOWN_LIMITS.maxChars))).toBeNull();
  });
});

describe('stored text that cannot render', () => {
  it('is shown as escaped plain text, paragraphs and line breaks kept', () => {
    const md = `<script>alert(1)</script> & more\nsecond line\n\n${'>'.repeat(50)} quoted`;
    const html = renderMarkdownOrText(md);
    expect(html).toBe(plainTextHtml(md));
    expect(html).toBe(`<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more<br>second line</p>\n<p>${'&gt;'.repeat(50)} quoted</p>`);
    expect(renderMarkdownOrText('**fine**')).toBe('<p><strong>fine</strong></p>\n');
  });
});

describe('the posting schema checks that a description renders', () => {
  it('refuses a description nested too deeply, with the message on the field', () => {
    const r = jobInputSchema.safeParse(jobInput({ descriptionMd: `Our evening IOP is hiring.\n\n${'>'.repeat(19_000)} hello` }));
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['descriptionMd', 'This description nests quotes or lists too deeply (19000 levels); use at most 8.'],
    ]);
    expect(jobInputSchema.safeParse(jobInput()).success).toBe(true);
  });
});
