import { describe, expect, it } from 'vitest';
import { parseSearchParams, SearchParamsError, toQueryString, expandPrograms } from '#lib/search/params';

const parse = (qs: string) => parseSearchParams(new URLSearchParams(qs));

describe('search parameters', () => {
  it('defaults', () => {
    expect(parse('')).toMatchObject({ q: '', role: [], sort: 'relevance', page: 1 });
  });
  it('repeated values collect, normalize case and de-duplicate', () => {
    const p = parse('credential=lcsw&credential=LPC&credential=LCSW&state=pa&role=Therapist');
    expect(p.credential).toEqual(['LCSW', 'LPC']);
    expect(p.state).toEqual(['PA']);
    expect(p.role).toEqual(['therapist']);
  });
  it.each([
    ['credential=ABC', /Unknown credential "ABC"/],
    ['state=XX', /Unknown state/],
    ['page=0', /page number must be a whole number from 1/],
    ['page=abc', /page number must be a whole number/],
    ['foo=bar', /Unknown parameter: foo/],
    ['q=a&q=b', /“What and where” may be given only once/],
    [`q=${'x'.repeat(201)}`, /too long/],
    ['program=PHP%22%20OR%20role%20%3D%20%22x', /Unknown program/],
  ])('%s is refused with a message', (qs, message) => {
    expect(() => parse(qs)).toThrow(SearchParamsError);
    expect(() => parse(qs)).toThrow(message);
  });
  // issue 10 #7 and #11: every message names the field as the /jobs page labels it, in words a person uses.
  it.each([
    ['pay_min=-5', '“Yearly pay at least” takes a whole number of dollars, like 60000.'],
    ['posted=0', '“Posted” takes a number of days from 1 to 365.'],
    ['near=19103&radius=9999', '“Within” takes a number of miles from 1 to 500.'],
    ['sort=distance', 'To sort by distance, enter your 5-digit ZIP code in “Near ZIP”.'],
    ['near=123', 'Enter a 5-digit ZIP code in “Near ZIP”, like 19103.'],
    ['sort=cheapest', '“Sort by” takes Best match, Newest, Highest pay or Distance.'],
  ])('%s is refused naming the field as the page labels it', (qs, message) => {
    expect(() => parse(qs)).toThrow(message);
    try {
      parse(qs);
    } catch (err) {
      for (const issue of (err as SearchParamsError).issues) expect(issue).not.toMatch(/pay_min|radius|in near\b|sort must|posted must/);
    }
  });
  it('ignores tracking tags', () => {
    expect(parse('utm_source=newsletter&q=rn').q).toBe('rn');
  });
  it('round-trips to a canonical query string', () => {
    const p = parse('state=PA&q=lcsw&credential=LCSW&page=1&sort=relevance');
    expect(toQueryString(p)).toBe('credential=LCSW&q=lcsw&state=PA');
    expect(parse(toQueryString(p))).toEqual(p);
  });
  it('PHP and IOP filters include programs that run both', () => {
    expect(expandPrograms(['PHP']).sort()).toEqual(['PHP', 'PHP_IOP']);
    expect(expandPrograms(['PHP_IOP'])).toEqual(['PHP_IOP']);
  });
});
