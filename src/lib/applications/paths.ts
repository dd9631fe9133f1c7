/**
 * URLs of the application pages, built in one place. (The lead may fold these
 * into src/lib/paths.ts; every page and email here uses these builders.)
 */
const enc = encodeURIComponent;
const withQs = (base: string, qs?: string) => (qs ? `${base}?${qs}` : base);

export const appPaths = {
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
