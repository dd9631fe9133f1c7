/** Every route URL the app links to, built in one place. */
export const paths = {
  home: () => '/',
  jobs: (qs = '') => (qs ? `/jobs?${qs}` : '/jobs'),
  job: (slug: string) => `/jobs/${encodeURIComponent(slug)}`,
  apiJobs: (qs = '') => (qs ? `/api/jobs?${qs}` : '/api/jobs'),
  role: (slug: string) => `/roles/${slug}`,
  roles: () => '/roles',
  credential: (slug: string) => `/credentials/${slug}`,
  credentials: () => '/credentials',
  guide: (slug: string) => `/guides/${slug}`,
  guides: () => '/guides',
  organization: (slug: string) => `/organizations/${slug}`,
  signIn: (next?: string) => (next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in'),
  signUp: () => '/sign-up',
  rss: () => '/rss.xml',
};

/** Absolute URL on the public site (canonical links, feeds, emails). */
export function absolute(site: string, path: string): string {
  return new URL(path, site).toString();
}
