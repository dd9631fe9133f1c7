import { allGuides, allRoles, render, type CredentialEntry, type GuideEntry, type RoleEntry } from '#lib/content/collections';
import { notFoundResponse } from './page-guards';

/**
 * What a content page (a role, a credential, a guide) renders from: its entry rendered, and the
 * roles and guides it links to; the site's 404 when the slug named no entry.
 * Usage: `const page = await contentPage(await findRole(Astro.params.slug)); if (page instanceof Response) return page;`
 */
export async function contentPage<E extends RoleEntry | CredentialEntry | GuideEntry>(entry: E | undefined) {
  if (!entry) return notFoundResponse();
  const [{ Content, headings }, roles, guides] = await Promise.all([render(entry), allRoles(), allGuides()]);
  /** A role's title for a link to it; the slug itself if no role has it. */
  const roleTitle = (slug: string) => roles.find((r) => r.id === slug)?.data.title ?? slug;
  return { entry, Content, headings, roles, guides, roleTitle };
}
