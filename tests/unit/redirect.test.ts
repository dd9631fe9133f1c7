import { describe, expect, it } from 'vitest';
import { MAX_NEXT_LENGTH, safeRedirect } from '#lib/shared/redirect';

/**
 * The open-redirect payloads of issue 9, item 6, plus the usual catalogue. Each
 * `next` value is given as the page sees it (after the query string is decoded),
 * so `%09` in a URL arrives here as a real tab.
 */
const SITE = 'https://jobs.example';
const FALLBACK = '/account';

const OFF_SITE: string[] = [
  // control characters browsers strip inside URLs
  '/\t/evil.example',
  '/\t\t/evil.example',
  '\t//evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/\x0B/x',
  '/\x0C/evil.example',
  '/\x00/evil.example',
  '/\x7F/evil.example',
  '/\u0085/evil.example',
  '/ok\r\nSet-Cookie: x=1',
  // backslashes, which browsers read as slashes
  '/\\evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  '/\\/evil.example',
  '/jobs\\..\\..\\\\evil.example',
  // protocol-relative and extra slashes
  '//evil.example',
  '///evil.example',
  '////evil.example/x',
  '//evil.example/%2F..',
  // percent-encoded forms that a decoding hop could turn into the above
  '/%5Cevil.example',
  '/%5cevil.example',
  '/%2F%2Fevil.example',
  '/%2f/evil.example',
  '/%09/evil.example',
  '/%0D%0A/evil.example',
  '/%0B/x',
  '%2F%2Fevil.example',
  // dot segments collapsing into `//host`
  '/..//evil.example',
  '/.//evil.example',
  '/x/../..//evil.example',
  '/%2e%2e//evil.example',
  // other schemes and other origins
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'http://evil.example',
  'https://evil.example/jobs',
  'https://jobs.example.evil.example/',
  'https://jobs.example@evil.example/',
  'http://jobs.example/', // same host, other scheme: another origin
  'https://jobs.example:8443/',
  'https:evil.example',
  'http:evil.example',
  // not a path from the root
  'evil.example',
  'jobs',
  ' /jobs',
  '',
];

describe('safeRedirect', () => {
  it.each(OFF_SITE.map((p) => [JSON.stringify(p), p]))('refuses %s', (_label, payload) => {
    expect(safeRedirect(payload, SITE, FALLBACK)).toBe(FALLBACK);
    expect(safeRedirect(payload, SITE)).toBeUndefined();
  });

  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeRedirect('/jobs?q=x#a', SITE)).toBe('/jobs?q=x#a');
    expect(safeRedirect('/employer/acme', SITE)).toBe('/employer/acme');
    expect(safeRedirect('/', SITE)).toBe('/');
    expect(safeRedirect('/jobs/lcsw-php?next=%2F%2Fevil.example', SITE)).toBe('/jobs/lcsw-php?next=%2F%2Fevil.example');
    expect(safeRedirect('/search?q=a b&state=PA', SITE)).toBe('/search?q=a%20b&state=PA');
  });

  it('accepts the site’s own origin spelled out, and returns only the path', () => {
    expect(safeRedirect('https://jobs.example/jobs?q=x#a', SITE)).toBe('/jobs?q=x#a');
    expect(safeRedirect('https://jobs.example', SITE)).toBe('/');
    expect(safeRedirect('HTTPS://JOBS.EXAMPLE/alerts', SITE)).toBe('/alerts');
  });

  it('normalizes what the browser would normalize, so the check and the browser agree', () => {
    expect(safeRedirect('/jobs/../alerts', SITE)).toBe('/alerts');
    expect(safeRedirect('/a/./b', SITE)).toBe('/a/b');
  });

  it('refuses overlong values, and anything that is not a string', () => {
    expect(safeRedirect(`/${'a'.repeat(MAX_NEXT_LENGTH)}`, SITE, FALLBACK)).toBe(FALLBACK);
    expect(safeRedirect(null, SITE, FALLBACK)).toBe(FALLBACK);
    expect(safeRedirect(undefined, SITE)).toBeUndefined();
  });

  it('never returns something a browser would resolve to another origin', () => {
    // Whatever is accepted must stay on the site when a browser resolves it against any of our pages.
    const accepted = [...OFF_SITE, '/jobs?q=x#a', 'https://jobs.example/x'].map((p) => safeRedirect(p, SITE)).filter((v) => v !== undefined);
    for (const v of accepted) {
      for (const base of [`${SITE}/`, `${SITE}/employer/acme/jobs/1`]) expect(new URL(v, base).origin, v).toBe(SITE);
      expect(v).toMatch(/^\/(?![/\\])/);
    }
  });
});
