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
    ['page=0', /page must be at least 1/],
    ['page=abc', /page must be a whole number/],
    ['pay_min=-5', /pay_min must be a whole number/],
    ['sort=distance', /needs a ZIP/],
    ['near=123', /5-digit ZIP/],
    ['foo=bar', /Unknown parameter: foo/],
    ['q=a&q=b', /q may be given only once/],
    [`q=${'x'.repeat(201)}`, /too long/],
    ['program=PHP%22%20OR%20role%20%3D%20%22x', /Unknown program/],
  ])('%s is refused with a message', (qs, message) => {
    expect(() => parse(qs)).toThrow(SearchParamsError);
    expect(() => parse(qs)).toThrow(message);
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
