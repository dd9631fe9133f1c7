import { describe, expect, it } from 'vitest';
import { applyFormSchema } from '#lib/applications/schema';
import { indeedJob } from '#lib/feeds/indeed';
import type { FeedJob } from '#lib/feeds/queries';
import { jobRssItem } from '#lib/feeds/jobs-rss';
import { isBot, visitMark, visitorDigest } from '#lib/jobs/visitors';
import { barChart } from '#lib/reports/charts';
import { funnelSteps, parseReportParams, selectionRates } from '#lib/reports/figures';
import { parseSource, sourceOfVisit, withSource } from '#lib/domain/sources';
import type { JobHit } from '#lib/search/types';

/** The reports' pure parts: sources, bot filter, visitor marks, the small-number rule, the four-fifths ratio, periods, charts. */
describe('sources', () => {
  const site = 'https://jobs.example.org';
  const visit = (qs: string, ref: string | null = null) => sourceOfVisit(new URLSearchParams(qs), ref, site);

  it('reads the marks the site puts on its own links', () => {
    expect(visit(new URL(withSource('/jobs/x', 'alert'), site).search)).toBe('alert');
    expect(visit(new URL(withSource('/jobs/x', 'rss'), site).search)).toBe('rss');
    expect(visit(new URL(withSource('/jobs/x', 'feed'), site).search)).toBe('feed');
    expect(visit(new URL(withSource('/jobs/x', 'search'), site).search)).toBe('search');
    expect(visit(new URL(withSource('/jobs/x', 'organization'), site).search)).toBe('organization');
    expect(withSource('https://a.test/jobs/x?y=1', 'rss')).toBe('https://a.test/jobs/x?y=1&utm_source=phpiopjobs&utm_medium=rss');
  });

  it('falls back to the referrer, then direct; someone else’s utm is another website', () => {
    expect(visit('utm_source=newsletter&utm_medium=email')).toBe('other');
    expect(visit('', 'https://jobs.example.org/jobs?q=lcsw')).toBe('search');
    expect(visit('', 'https://jobs.example.org/organizations/riverbend')).toBe('organization');
    expect(visit('', 'https://www.google.com/')).toBe('other');
    expect(visit('', 'not a url')).toBe('direct');
    expect(visit('')).toBe('direct');
    expect(parseSource('rss')).toBe('rss');
    expect(parseSource('<script>')).toBe('direct');
  });

  it('the apply form carries the source; anything else is direct', () => {
    const fd = (source: string) => {
      const f = new FormData();
      f.set('jobId', '00000000-0000-4000-8000-000000000001');
      f.set('resumeChoice', '00000000-0000-4000-8000-000000000002');
      f.set('source', source);
      return f;
    };
    expect(applyFormSchema.parse(fd('rss')).source).toBe('rss');
    expect(applyFormSchema.parse(fd('bogus')).source).toBe('direct');
  });

  it('marks RSS item links and XML feed URLs (the RSS guid stays the plain URL)', () => {
    const hit = {
      id: '1',
      slug: 'therapist-a-b',
      title: 'T',
      organization: 'O',
      role: 'therapist',
      program: 'PHP',
      credentials: ['LCSW'],
      city: 'Erie',
      state: 'PA',
      setting: 'onsite',
      payMin: 1,
      payMax: 2,
      payPeriod: 'year',
      postedAt: '2026-01-01T00:00:00Z',
    } as unknown as JobHit;
    const item = jobRssItem(hit, 'https://jobs.example.org');
    expect(item.link).toBe('https://jobs.example.org/jobs/therapist-a-b?utm_source=phpiopjobs&utm_medium=rss');
    expect(item.guid).toBe('https://jobs.example.org/jobs/therapist-a-b');
    const job = {
      id: 'j',
      slug: 'x-y',
      title: 'T',
      organization: 'O',
      role: 'therapist',
      programType: 'PHP',
      setting: 'onsite',
      city: 'Erie',
      state: 'PA',
      zip: '16501',
      credentials: [],
      postedAt: new Date(),
      validThrough: new Date(),
      employmentType: 'full_time',
      payMin: 1,
      payMax: 2,
      payPeriod: 'year',
      descriptionMd: 'x',
    } as unknown as FeedJob;
    expect(indeedJob(job, 'https://jobs.example.org', '<p>x</p>')).toContain('https://jobs.example.org/jobs/x-y?utm_source=phpiopjobs&utm_medium=job-feed');
  });
});

describe('visitors', () => {
  it('leaves out bots, HTTP libraries and empty user agents, not browsers', () => {
    for (const ua of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'curl/8.5.0',
      'python-requests/2.32',
      'facebookexternalhit/1.1',
      '',
      null,
      'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/140.0',
    ])
      expect(isBot(ua), String(ua)).toBe(true);
    expect(isBot('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1')).toBe(false);
  });

  it('marks a visitor per day salt: the same person, job and kind match only under the same salt', () => {
    const d = visitorDigest('203.0.113.7', 'Firefox');
    expect(visitMark('salt-1', d, 'job', 'view')).toBe(visitMark('salt-1', d, 'job', 'view'));
    expect(visitMark('salt-2', d, 'job', 'view')).not.toBe(visitMark('salt-1', d, 'job', 'view'));
    expect(visitMark('salt-1', d, 'job', 'apply')).not.toBe(visitMark('salt-1', d, 'job', 'view'));
    expect(visitMark('salt-1', d, 'job', 'view')).not.toContain('203.0.113.7');
  });
});

describe('figures', () => {
  it('converts each funnel step from the one before', () => {
    const s = funnelSteps({ views: 200, applyStarts: 50, applications: 40, screening: 20, interview: 0, offer: 0, hired: 0 });
    expect(s.map((x) => x.conversion)).toEqual([null, 0.25, 0.8, 0.5, 0, null, null]);
  });

  it('hides any figure about 1–4 people, in the pool, the selected or the not selected, and compares the rest to the highest', () => {
    const r = selectionRates([
      { group: 'A', entered: 20, selected: 10 },
      { group: 'B', entered: 10, selected: 3 },
      { group: 'C', entered: 4, selected: 4 },
      { group: 'D', entered: 12, selected: 9 },
      { group: 'E', entered: 25, selected: 15 },
      { group: 'F', entered: 0, selected: 0 },
    ]);
    expect(r.map((x) => x.group)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(r[0]).toMatchObject({ entered: 20, selected: 10, rate: 0.5, suppressed: false });
    expect(r[0]!.ratio).toBeCloseTo(0.5 / 0.6);
    expect(r[0]!.belowFourFifths).toBe(false);
    expect(r[1]).toMatchObject({ entered: 10, selected: null, rate: null, ratio: null, suppressed: true });
    expect(r[2]).toMatchObject({ entered: null, suppressed: true });
    expect(r[3]).toMatchObject({ entered: 12, selected: null, suppressed: true }); // 3 not selected
    expect(r[4]).toMatchObject({ rate: 0.6, ratio: 1, highest: true });
    const low = selectionRates([
      { group: 'X', entered: 10, selected: 10 },
      { group: 'Y', entered: 20, selected: 15 },
    ]);
    expect(low[1]).toMatchObject({ rate: 0.75, ratio: 0.75, belowFourFifths: true });
  });

  it('parses the period and refuses bad dates with a message', () => {
    const now = new Date('2026-06-30T12:00:00Z');
    expect(parseReportParams(new URLSearchParams(), now)).toMatchObject({
      params: { from: '2026-04-02', to: '2026-06-30', job: null, format: 'html' },
      error: null,
    });
    expect(parseReportParams(new URLSearchParams('from=2026-02-30'), now).error).toBe('Enter a real date.');
    expect(parseReportParams(new URLSearchParams('from=2026-07-01&to=2026-06-01'), now).error).toBe('The start date must be on or before the end date.');
    expect(parseReportParams(new URLSearchParams('job=nope'), now).error).toBe('Choose a job from the list.');
    expect(parseReportParams(new URLSearchParams('section=payroll&format=csv'), now)).toMatchObject({
      params: { format: 'csv', section: null },
      error: 'Unknown report section.',
    });
  });
});

describe('charts', () => {
  it('renders SVG on the server with the text alternative, token colours in style, and no ARIA on inner groups', () => {
    const svg = barChart(
      [
        { label: 'Views', value: 120 },
        { label: 'Applications', value: 30 },
      ],
      { alt: 'Funnel: views 120, applications 30.', xLabel: 'People' },
    );
    expect(svg.startsWith('<svg role="img" aria-label="Funnel: views 120, applications 30."')).toBe(true);
    expect(svg).toContain('style="fill: var(--color-brand)"');
    expect(svg.match(/aria-label=/g)).toHaveLength(1);
    expect(svg).toContain('>120<');
  });
});
