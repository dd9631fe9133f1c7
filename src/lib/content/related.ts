import { COMPACT_NAMES, COMPACT_STATES } from '#lib/licensure/compacts';
import { CREDENTIALS, credentialByCode, type Compact } from '#lib/domain/taxonomy';
import { paths } from '#lib/paths';
import type { CredentialData, GuideData, RoleData } from './schemas';

/**
 * How content pages point at each other: pure functions over front matter, so the
 * rules are tested without Astro. Entries are `{ id, data }` as the collections give them.
 */
export interface Entry<T> {
  id: string;
  data: T;
}

export interface TocItem {
  slug: string;
  text: string;
  children: { slug: string; text: string }[];
}

/** The table of contents: h2 entries with their h3 children (deeper headings are left out). */
export function tableOfContents(headings: readonly { depth: number; slug: string; text: string }[]): TocItem[] {
  const out: TocItem[] = [];
  for (const h of headings) {
    if (h.depth === 2) out.push({ slug: h.slug, text: h.text, children: [] });
    else if (h.depth === 3 && out.length) out[out.length - 1]!.children.push({ slug: h.slug, text: h.text });
  }
  return out;
}

/** A credential code's page (codes and slugs both come from the taxonomy). */
export function credentialPath(code: string): string {
  return paths.credential(credentialByCode(code)?.slug ?? code.toLowerCase());
}

const byTitle = <T extends { title: string }>(a: Entry<T>, b: Entry<T>) => a.data.title.localeCompare(b.data.title);

/** Guides for a role: its interview guide first, then the general guides that list the role. */
export function guidesForRole(role: Entry<RoleData>, guides: Entry<GuideData>[]): Entry<GuideData>[] {
  const interview = guides.find((g) => g.id === role.data.interviewGuide);
  const general = guides.filter((g) => g.id !== role.data.interviewGuide && g.data.kind !== 'interview' && g.data.roles.includes(role.data.role)).sort(byTitle);
  return interview ? [interview, ...general] : general;
}

/** Credentials of the same class (LCSW with LICSW and LMSW), in taxonomy order. */
export function relatedCredentialCodes(code: string): string[] {
  const def = credentialByCode(code);
  if (!def) return [];
  return CREDENTIALS.filter((c) => c.class === def.class && c.code !== code).map((c) => c.code);
}

/** Guides for a credential: licensure first (for licenses), then the interview guides of the roles it qualifies for. */
export function guidesForCredential(cred: Entry<CredentialData>, guides: Entry<GuideData>[]): Entry<GuideData>[] {
  const licensure = cred.data.kind === 'license' ? guides.filter((g) => g.data.kind === 'licensure') : [];
  const interview = guides.filter((g) => g.data.kind === 'interview' && g.data.roles.some((r) => cred.data.roles.includes(r))).sort(byTitle);
  return [...licensure, ...interview];
}

/** Other guides worth reading after this one: general guides first, then interview prep for the same roles. */
export function guidesForGuide(guide: Entry<GuideData>, guides: Entry<GuideData>[]): Entry<GuideData>[] {
  const others = guides.filter((g) => g.id !== guide.id);
  const general = others.filter((g) => g.data.kind !== 'interview').sort(byTitle);
  const interview = others
    .filter((g) => g.data.kind === 'interview' && (guide.data.kind !== 'interview' || g.data.roles.some((r) => guide.data.roles.includes(r))))
    .sort(byTitle);
  return [...general, ...interview];
}

/**
 * Credentials a guide's readers hold: those the guide's roles require, in taxonomy
 * order. Empty for guides that serve many roles (the page links the credentials index).
 */
export function credentialsForGuide(guide: Entry<GuideData>, roles: Entry<RoleData>[], maxRoles = 4): string[] {
  if (guide.data.roles.length === 0 || guide.data.roles.length > maxRoles) return [];
  const wanted = new Set(roles.filter((r) => guide.data.roles.includes(r.data.role)).flatMap((r) => r.data.requiredCredentials));
  return CREDENTIALS.filter((c) => wanted.has(c.code)).map((c) => c.code);
}

/** What each compact allows, in a sentence a candidate can act on. */
export const COMPACT_SUMMARIES: Record<Compact, string> = {
  nlc: 'A multistate license issued by a member home state lets the nurse practice in every other member state, in person or by telehealth, without a separate license.',
  counseling:
    'An independently licensed counselor whose home state is a member can apply for a privilege to practice in other member states, in person or by telehealth, once the compact commission issues privileges.',
  psypact:
    'A psychologist licensed in a member state can apply for authority to practice telepsychology with clients in other member states; it does not cover ongoing in-person work.',
};

export function compactInfo(compact: Compact): { name: string; summary: string; memberCount: number } {
  return {
    name: COMPACT_NAMES[compact],
    summary: COMPACT_SUMMARIES[compact],
    memberCount: COMPACT_STATES[compact].size,
  };
}

/** Pay percentiles as the page shows them. */
export interface PayRange {
  hourly?: [number, number, number];
  yearly?: [number, number, number];
  count: number;
}
