import { describe, expect, it } from 'vitest';
import { annualizedPay, postedAgo } from '#lib/domain/format';
import { jobPageEtag } from '#lib/jobs/page-cache';
import type { PublicJob } from '#lib/jobs/queries';

const now = new Date('2026-06-10T12:00:00Z');
const page = (postedAt: Date, logoPath: string | null = null): PublicJob =>
  ({
    job: { id: '00000000-0000-4000-8000-000000000001', version: 1, updatedAt: postedAt, postedAt, validThrough: new Date('2026-07-30T00:00:00Z') },
    org: { id: 'o', slug: 'org', name: 'Org', website: null, description: null, logoPath },
    credentials: [],
    questions: [],
    open: true,
    closedReason: null,
  }) as unknown as PublicJob;

describe('job cards: pay and posted-ago', () => {
  it('gives hourly pay its full-time yearly equivalent (× 2,080), and yearly pay none', () => {
    expect(annualizedPay(30, 38, 'hour')).toBe('about $62,400–$79,040 a year full time');
    expect(annualizedPay(45, 45, 'hour')).toBe('about $93,600 a year full time');
    expect(annualizedPay(60000, 75000, 'year')).toBeNull();
  });

  it('says when a job was posted in words', () => {
    expect(postedAgo(new Date('2026-06-10T01:00:00Z'), now)).toBe('today');
    expect(postedAgo(new Date('2026-06-09T08:00:00Z'), now)).toBe('yesterday');
    expect(postedAgo(new Date('2026-06-07T12:00:00Z'), now)).toBe('3 days ago');
  });

  it('a cached anonymous job page is revalidated when "Posted … ago" or the logo changes', () => {
    const posted = new Date('2026-06-07T12:00:00Z');
    const today = jobPageEtag(page(posted), 'b', now);
    expect(jobPageEtag(page(posted), 'b', new Date(now.getTime() + 3_600_000))).toBe(today);
    expect(jobPageEtag(page(posted), 'b', new Date(now.getTime() + 86_400_000))).not.toBe(today);
    expect(jobPageEtag(page(posted, '0123456789abcdef0123456789abcdef'), 'b', now)).not.toBe(today);
  });
});
