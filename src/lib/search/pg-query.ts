import { synonymGroups } from './synonyms';

/**
 * Turns what a person typed into a PostgreSQL tsquery string that applies the
 * same synonym groups as Meilisearch. Only [a-z0-9] survive tokenizing, so the
 * result is safe to hand to to_tsquery. Each word must match (AND), through
 * itself or any synonym (OR); the last word also matches as a prefix, as it
 * does in the live index while someone is still typing.
 */
export function toTsQuery(input: string, groups: string[][] = synonymGroups()): string {
  let text = ` ${input
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
  if (!text.trim()) return '';
  const clauses: string[] = [];
  // Multi-word synonyms first ("partial hospitalization", "licensed clinical social worker"), longest first.
  const phrases = groups
    .flatMap((g) => g.map((term) => ({ term: term.replace(/[^a-z0-9]+/g, ' ').trim(), group: g })))
    .filter((x) => x.term.includes(' '))
    .sort((a, b) => b.term.length - a.term.length);
  for (const { term, group } of phrases) {
    if (text.includes(` ${term} `)) {
      clauses.push(groupClause(group));
      text = text.replace(` ${term} `, ' ');
    }
  }
  const words = text.trim().split(/\s+/).filter(Boolean);
  words.forEach((w, i) => {
    const group = groups.find((g) => g.includes(w));
    const isLast = i === words.length - 1;
    if (group) clauses.push(groupClause(group));
    else clauses.push(isLast && w.length >= 2 ? `${w}:*` : w);
  });
  return clauses.join(' & ');
}

function groupClause(group: string[]): string {
  const alts = group.map((t) => {
    const words = t
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return words.length > 1 ? `(${words.join(' <-> ')})` : words[0]!;
  });
  return `(${[...new Set(alts)].join(' | ')})`;
}
