/** Every route URL the app links to, built in one place. */
const enc = encodeURIComponent;
const withQs = (base: string, qs?: string) => (qs ? `${base}?${qs}` : base);

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
  signUp: (opts: { next?: string; email?: string } = {}) => {
    const qs = new URLSearchParams();
    if (opts.next) qs.set('next', opts.next);
    if (opts.email) qs.set('email', opts.email);
    const q = qs.toString();
    return q ? `/sign-up?${q}` : '/sign-up';
  },
  signUpSent: (next?: string) => (next ? `/sign-up/check-email?next=${encodeURIComponent(next)}` : '/sign-up/check-email'),
  signOut: () => '/sign-out',
  forgotPassword: () => '/forgot-password',
  resetPassword: (token?: string) => (token ? `/reset-password?token=${token}` : '/reset-password'),
  verifyEmail: (token?: string) => (token ? `/verify-email?token=${token}` : '/verify-email'),
  account: () => '/account',
  invitation: (token: string) => `/invitations/${token}`,
  employer: () => '/employer',
  employerNewOrg: () => '/employer/new',
  employerOrg: (org: string) => `/employer/${org}`,
  employerNewJob: (org: string) => `/employer/${org}/jobs/new`,
  employerJob: (org: string, jobId: string) => `/employer/${org}/jobs/${jobId}`,
  employerMembers: (org: string) => `/employer/${org}/members`,
  employerSettings: (org: string) => `/employer/${org}/settings`,
  employerAudit: (org: string) => `/employer/${org}/audit`,
  employerReports: (org: string, qs?: string) => withQs(`/employer/${org}/reports`, qs),
  rss: () => '/rss.xml',
  // Applications: the candidate's side, then the hiring team's.
  apply: (slug: string) => `/jobs/${enc(slug)}/apply`,
  applyConfirmation: (slug: string) => `/jobs/${enc(slug)}/apply/confirmation`,
  profile: () => '/account/profile',
  resumes: () => '/account/resumes',
  myApplications: () => '/account/applications',
  myApplication: (id: string) => `/account/applications/${enc(id)}`,
  resumeDownload: (id: string) => `/resumes/${enc(id)}`,
  pipeline: (jobId: string, qs?: string) => withQs(`/employer/jobs/${enc(jobId)}/pipeline`, qs),
  application: (id: string) => `/employer/applications/${enc(id)}`,
  emailTemplates: (org?: string) => withQs('/employer/applications/email-templates', org ? `org=${enc(org)}` : ''),
  screening: (qs?: string) => withQs('/employer/screening', qs),
  screeningCsv: (qs?: string) => withQs('/employer/screening.csv', qs),
};

/** Absolute URL on the public site (canonical links, feeds, emails). */
export function absolute(site: string, path: string): string {
  return new URL(path, site).toString();
}
