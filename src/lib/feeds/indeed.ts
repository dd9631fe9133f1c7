import { formatPay, programLabel, roleName, settingLabel } from '#lib/domain/format';
import { renderUntrustedMarkdown } from '#lib/markdown';
import { paths } from '#lib/paths';
import { buildEach, newTally, skippedComment } from './items';
import type { FeedJob } from './queries';
import { withSource } from '#lib/domain/sources';
import { XML_DECLARATION, el, elCdata, rfc822 } from './xml';

/**
 * The XML job feed aggregators read (Indeed's format, which most others accept):
 * <source> with publisher details, then one <job> per open posting, every value
 * in CDATA.
 */
export function indeedHeader(opts: { publisher: string; publisherUrl: string; lastBuildDate: Date }): string {
  return [
    XML_DECLARATION,
    '<source>',
    el('publisher', opts.publisher),
    el('publisherurl', opts.publisherUrl),
    el('lastBuildDate', rfc822(opts.lastBuildDate)),
    '',
  ].join('\n');
}

export const INDEED_FOOTER = '</source>\n';

const JOB_TYPES: Record<string, string> = {
  full_time: 'fulltime',
  part_time: 'parttime',
  // Per diem (PRN) shifts are part-time work with no set hours; aggregators have no closer type.
  per_diem: 'parttime',
  contract: 'contract',
};

export function indeedJobType(employmentType: string): string {
  return JOB_TYPES[employmentType] ?? 'fulltime';
}

export function indeedJob(job: FeedJob, site: string, descriptionHtml: string): string {
  const url = withSource(new URL(paths.job(job.slug), site).toString(), 'feed');
  const facts = `<p>${[roleName(job.role), programLabel(job.programType), settingLabel(job.setting)].join(' · ')}. Accepted credentials: ${job.credentials.join(', ') || 'see description'}.</p>`;
  return [
    '<job>',
    elCdata('title', job.title),
    elCdata('date', rfc822(job.postedAt)),
    elCdata('referencenumber', job.id),
    elCdata('url', url),
    elCdata('company', job.organization),
    elCdata('city', job.city),
    elCdata('state', job.state),
    elCdata('country', 'US'),
    elCdata('postalcode', job.zip),
    elCdata('description', facts + descriptionHtml),
    elCdata('salary', formatPay(job.payMin, job.payMax, job.payPeriod)),
    elCdata('jobtype', indeedJobType(job.employmentType)),
    elCdata('category', roleName(job.role)),
    elCdata('expirationdate', rfc822(job.validThrough)),
    '</job>',
    '',
  ].join('\n');
}

/**
 * The whole feed as chunks of XML: the first chunk is the header with the first
 * page of jobs, so reading the database's first page happens before anything is
 * sent (a failure there can still be answered with a 503). A job whose
 * description cannot be rendered (a row saved before the save-time check) is
 * left out, logged and counted; the feed ends with a comment giving the count.
 */
export async function* indeedFeed(
  pages: AsyncIterable<FeedJob[]>,
  opts: { site: string; publisher: string; lastBuildDate: Date },
): AsyncGenerator<string, void, undefined> {
  const tally = newTally();
  let head = indeedHeader({ publisher: opts.publisher, publisherUrl: opts.site, lastBuildDate: opts.lastBuildDate });
  for await (const page of pages) {
    const items = buildEach(
      'jobs.xml',
      page,
      (j) => `job ${j.id}`,
      (j) => indeedJob(j, opts.site, renderUntrustedMarkdown(j.descriptionMd)),
      tally,
    );
    yield head + items.join('');
    head = '';
  }
  yield head + skippedComment(tally, ['job', 'jobs']) + INDEED_FOOTER;
}
