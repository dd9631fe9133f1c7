import { credentialByCode, US_STATES } from '#lib/domain/taxonomy';
import type { PublicJob } from './queries';

const EMPLOYMENT: Record<string, string> = {
  full_time: 'FULL_TIME',
  part_time: 'PART_TIME',
  per_diem: 'PER_DIEM',
  contract: 'CONTRACTOR',
};

/**
 * schema.org JobPosting with Google's required properties (title, description,
 * datePosted, hiringOrganization, jobLocation or TELECOMMUTE + applicantLocationRequirements)
 * and its recommended ones (validThrough, employmentType, baseSalary, identifier, directApply).
 */
export function jobPostingJsonLd(pj: PublicJob, descriptionHtml: string, site: string, url: string): Record<string, unknown> {
  const { job, org } = pj;
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    title: job.title,
    description: descriptionHtml,
    url,
    identifier: { '@type': 'PropertyValue', name: org.name, value: job.id },
    datePosted: (job.postedAt ?? job.createdAt).toISOString(),
    validThrough: job.validThrough.toISOString(),
    employmentType: EMPLOYMENT[job.employmentType] ?? 'OTHER',
    hiringOrganization: {
      '@type': 'Organization',
      name: org.name,
      ...(org.website ? { sameAs: org.website } : {}),
      url: new URL(`/organizations/${org.slug}`, site).toString(),
    },
    jobLocation: {
      '@type': 'Place',
      address: {
        '@type': 'PostalAddress',
        addressLocality: job.city,
        addressRegion: job.state,
        postalCode: job.zip,
        addressCountry: 'US',
      },
      geo: { '@type': 'GeoCoordinates', latitude: job.lat, longitude: job.lng },
    },
    baseSalary: {
      '@type': 'MonetaryAmount',
      currency: 'USD',
      value: {
        '@type': 'QuantitativeValue',
        minValue: job.payMin,
        maxValue: job.payMax,
        unitText: job.payPeriod === 'hour' ? 'HOUR' : 'YEAR',
      },
    },
    directApply: true,
    qualifications: pj.credentials.map((c) => credentialByCode(c)?.name ?? c).join(', '),
    industry: 'Behavioral health',
  };
  if (job.setting === 'telehealth') {
    ld.jobLocationType = 'TELECOMMUTE';
    // Telehealth clinicians must be licensed where the patient is: the job's state.
    ld.applicantLocationRequirements = { '@type': 'State', name: US_STATES[job.state] ?? job.state };
  }
  return ld;
}
