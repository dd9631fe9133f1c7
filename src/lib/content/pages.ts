import { paths } from '#lib/paths';
import { allCredentials, allGuides, allRoles } from './collections';

/** Every public page the pages sitemap lists, with its last review date where content has one. */
export async function allContentPages(): Promise<{ path: string; lastmod?: Date }[]> {
  const [roles, credentials, guides] = await Promise.all([allRoles(), allCredentials(), allGuides()]);
  const newest = (xs: { data: { lastReviewed: Date } }[]) =>
    xs.reduce<Date | undefined>((m, x) => (!m || x.data.lastReviewed > m ? x.data.lastReviewed : m), undefined);
  return [
    { path: paths.home() },
    { path: paths.jobs() },
    { path: paths.roles(), lastmod: newest(roles) },
    ...roles.map((e) => ({ path: paths.role(e.id), lastmod: e.data.lastReviewed })),
    { path: paths.credentials(), lastmod: newest(credentials) },
    ...credentials.map((e) => ({ path: paths.credential(e.id), lastmod: e.data.lastReviewed })),
    { path: paths.guides(), lastmod: newest(guides) },
    ...guides.map((e) => ({ path: paths.guide(e.id), lastmod: e.data.lastReviewed })),
  ];
}
