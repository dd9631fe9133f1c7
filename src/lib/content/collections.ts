import { getCollection, getEntry, render, type CollectionEntry } from 'astro:content';
import { CREDENTIALS, ROLES } from '#lib/domain/taxonomy';

/**
 * The edge between Astro's content collections and the rest of the app: pages
 * and sitemaps read content through here. Everything else in src/lib/content is
 * framework-free.
 */
export type RoleEntry = CollectionEntry<'roles'>;
export type CredentialEntry = CollectionEntry<'credentials'>;
export type GuideEntry = CollectionEntry<'guides'>;

const roleOrder = new Map<string, number>(ROLES.map((r, i) => [r.slug, i]));
const credentialOrder = new Map<string, number>(CREDENTIALS.map((c, i) => [c.code, i]));

/** Roles in taxonomy order (the order of the site's navigation). */
export async function allRoles(): Promise<RoleEntry[]> {
  const all = await getCollection('roles');
  return all.sort((a, b) => (roleOrder.get(a.data.role) ?? 99) - (roleOrder.get(b.data.role) ?? 99));
}

/** Credentials in taxonomy order (grouped by class, associate before independent). */
export async function allCredentials(): Promise<CredentialEntry[]> {
  const all = await getCollection('credentials');
  return all.sort((a, b) => (credentialOrder.get(a.data.code) ?? 99) - (credentialOrder.get(b.data.code) ?? 99));
}

const guideKindOrder = { interview: 0, 'levels-of-care': 1, licensure: 2, resume: 3 } as const;
export async function allGuides(): Promise<GuideEntry[]> {
  const all = await getCollection('guides');
  return all.sort((a, b) => guideKindOrder[a.data.kind] - guideKindOrder[b.data.kind] || a.data.title.localeCompare(b.data.title));
}

/** Slugs in URLs are looked up as given: only lowercase slugs exist, anything else is a 404. */
const SLUG = /^[a-z0-9-]{1,80}$/;

export async function findRole(slug: string | undefined): Promise<RoleEntry | undefined> {
  return slug && SLUG.test(slug) ? getEntry('roles', slug) : undefined;
}
export async function findCredential(slug: string | undefined): Promise<CredentialEntry | undefined> {
  return slug && SLUG.test(slug) ? getEntry('credentials', slug) : undefined;
}
export async function findGuide(slug: string | undefined): Promise<GuideEntry | undefined> {
  return slug && SLUG.test(slug) ? getEntry('guides', slug) : undefined;
}

export { render };
