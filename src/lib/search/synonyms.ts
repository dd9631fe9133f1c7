import { CREDENTIALS } from '#lib/domain/taxonomy';

/**
 * Synonym groups for the field's vocabulary. Every member of a group finds every
 * other (Meilisearch synonyms are one-way, so `buildSynonyms` writes each
 * direction). The PostgreSQL fallback expands queries with the same groups.
 */
const DOMAIN_GROUPS: string[][] = [
  ['php', 'partial hospitalization', 'partial hospitalization program', 'partial hospital'],
  ['iop', 'intensive outpatient', 'intensive outpatient program'],
  ['therapist', 'clinician', 'counselor', 'psychotherapist'],
  ['telehealth', 'remote', 'virtual', 'telemedicine'],
  ['sud', 'substance use', 'addiction', 'substance abuse'],
  ['np', 'nurse practitioner'],
  ['psychiatrist', 'psychiatric physician'],
  ['peer', 'peer support', 'peer recovery'],
  ['case manager', 'care coordinator', 'care manager'],
  ['tech', 'technician', 'mental health technician', 'behavioral health technician', 'mht', 'bht'],
];

/**
 * Credentials that are the same license under another state's title search as one:
 * the independent professional-counselor titles, and the independent clinical
 * social-work titles. Associate tiers stay apart (an LMSW is not an LCSW).
 */
const MERGED_CREDENTIALS: string[][] = [
  ['LPC', 'LMHC', 'LPCC', 'LCPC', 'LCMHC'],
  ['LCSW', 'LICSW'],
];

export function synonymGroups(): string[][] {
  const groups: string[][] = [];
  const merged = new Map<string, string[]>();
  for (const codes of MERGED_CREDENTIALS) {
    const words = new Set<string>();
    for (const code of codes) {
      const c = CREDENTIALS.find((x) => x.code === code);
      if (!c) continue;
      words.add(c.code.toLowerCase());
      words.add(c.name.toLowerCase());
      for (const a of c.aliases) words.add(a.toLowerCase());
      merged.set(code, []);
    }
    groups.push([...words]);
  }
  for (const c of CREDENTIALS) {
    if (merged.has(c.code)) continue;
    groups.push([c.code.toLowerCase(), c.name.toLowerCase(), ...c.aliases.map((a) => a.toLowerCase())]);
  }
  return [...groups, ...DOMAIN_GROUPS];
}

/** Meilisearch's synonyms object: each term maps to every other term of its groups. */
export function buildSynonyms(groups: string[][] = synonymGroups()): Record<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const group of groups) {
    for (const term of group) {
      const set = map.get(term) ?? new Set<string>();
      for (const other of group) if (other !== term) set.add(other);
      map.set(term, set);
    }
  }
  return Object.fromEntries([...map].map(([k, v]) => [k, [...v].sort()]));
}

/** Credential codes must never be typo-matched: LPN is not LPC, LICSW is not LCSW. */
export function typoExemptWords(): string[] {
  const words = new Set<string>();
  for (const c of CREDENTIALS) {
    words.add(c.code.toLowerCase());
    for (const a of c.aliases) if (/^[A-Z-]{2,8}$/.test(a)) words.add(a.toLowerCase());
  }
  return [...words].sort();
}
