/** Words that make poor initials ("Center for the Arts" → "CA", not "CF"). */
const MINOR = new Set(['a', 'an', 'and', 'at', 'for', 'in', 'of', 'on', 'the', 'to', '&']);

/** Up to two letters standing for an organization when it has no logo: "Riverside Behavioral Health" → "RB". */
export function initials(name: string): string {
  const words = name
    .split(/[\s\-–—/]+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter(Boolean);
  const major = words.filter((w) => !MINOR.has(w.toLowerCase()));
  const picked = (major.length ? major : words).slice(0, 2);
  return picked.map((w) => Array.from(w)[0]!.toLocaleUpperCase('en-US')).join('') || '?';
}
