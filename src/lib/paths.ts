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
  /** A logo by its content-hash key (immutable: a new image is a new URL). */
  logo: (key: string) => `/logos/${key}.webp`,
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
  accountExport: () => '/account/export',
  accountDelete: () => '/account/delete',
  resumes: () => '/account/resumes',
  myApplications: () => '/account/applications',
  savedJobs: () => '/account/saved',
  myApplication: (id: string) => `/account/applications/${enc(id)}`,
  resumeDownload: (id: string) => `/resumes/${enc(id)}`,
  pipeline: (jobId: string, qs?: string) => withQs(`/employer/jobs/${enc(jobId)}/pipeline`, qs),
  application: (id: string) => `/employer/applications/${enc(id)}`,
  interviewKit: (jobId: string) => `/employer/jobs/${enc(jobId)}/kit`,
  emailTemplates: (org?: string) => withQs('/employer/applications/email-templates', org ? `org=${enc(org)}` : ''),
  screening: (qs?: string) => withQs('/employer/screening', qs),
  screeningCsv: (qs?: string) => withQs('/employer/screening.csv', qs),
  /** The candidate's scheduling link (signed out works; the token is the only key). */
  interviewSchedule: (token: string) => `/interviews/schedule/${enc(token)}`,
  /** The candidate's answer page behind the offer email's signed link. */
  offer: (id: string) => `/offers/${enc(id)}`,
};

/** Absolute URL on the public site (canonical links, feeds, emails). */
export function absolute(site: string, path: string): string {
  return new URL(path, site).toString();
}
