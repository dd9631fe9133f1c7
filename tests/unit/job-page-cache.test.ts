import { describe, expect, it } from 'vitest';
import { jobPageEtag, publicJobCacheControl } from '#lib/jobs/page-cache';
import { etagMatches } from '#lib/web/http';
import type { PublicJob } from '#lib/jobs/queries';

const now = new Date('2026-06-01T12:00:00Z');
function page(over: Partial<PublicJob['job']> = {}, open = true): PublicJob {
  return {
    job: {
      id: '00000000-0000-4000-8000-000000000001',
      version: 3,
      updatedAt: new Date('2026-05-30T00:00:00Z'),
      validThrough: new Date('2026-06-30T00:00:00Z'),
      ...over,
    } as PublicJob['job'],
    org: { id: 'o', slug: 'summit', name: 'Summit', website: null, description: null } as PublicJob['org'],
    credentials: [],
    questions: [],
    open,
    closedReason: open ? null : 'closed',
  };
}

describe('job page caching', () => {
  it('names the version, the open state and the build in a weak ETag', () => {
    const tag = jobPageEtag(page(), 'b1');
    expect(tag).toMatch(/^W\/"[\w-]+"$/);
    expect(jobPageEtag(page(), 'b1')).toBe(tag);
    expect(jobPageEtag(page({ version: 4 }), 'b1')).not.toBe(tag);
    expect(jobPageEtag(page({}, false), 'b1')).not.toBe(tag);
    expect(jobPageEtag(page(), 'b2')).not.toBe(tag);
  });

  it('matches If-None-Match weakly, in lists and with *', () => {
    const tag = 'W/"abc"';
    expect(etagMatches(null, tag)).toBe(false);
    expect(etagMatches('"abc"', tag)).toBe(true);
    expect(etagMatches('W/"x", W/"abc"', tag)).toBe(true);
    expect(etagMatches('*', tag)).toBe(true);
    expect(etagMatches('W/"abd"', tag)).toBe(false);
  });

  it('never lets a shared cache keep an open posting past its valid-through', () => {
    expect(publicJobCacheControl(page(), now)).toBe('public, max-age=60, stale-while-revalidate=600');
    const soon = page({ validThrough: new Date(now.getTime() + 300_000) });
    expect(publicJobCacheControl(soon, now)).toBe('public, max-age=60, stale-while-revalidate=240');
    const closed = page({ validThrough: new Date(now.getTime() + 30_000) }, false);
    expect(publicJobCacheControl(closed, now)).toBe('public, max-age=60, stale-while-revalidate=600');
  });
});
