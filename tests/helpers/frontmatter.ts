import yaml from 'js-yaml';

/**
 * Splits a content file into its YAML front matter and Markdown body the way Astro's glob loader
 * reads `content/`: the same delimiters, the same YAML parser (js-yaml, so dates and lists come out
 * as the collection schemas receive them), and the body is what follows the closing `---`.
 * Astro's own helper lives in a private package (@astrojs/internal-helpers), so tests keep this copy.
 */
const FRONT_MATTER = /^\uFEFF?---([\s\S]*?\n)---/;

export function parseFrontmatter(source: string): { frontmatter: Record<string, unknown>; content: string } {
  const raw = FRONT_MATTER.exec(source)?.[1];
  if (raw === undefined) return { frontmatter: {}, content: source };
  const data = yaml.load(raw);
  return {
    frontmatter: data && typeof data === 'object' ? (data as Record<string, unknown>) : {},
    content: source.replace(`---${raw}---`, ''),
  };
}
