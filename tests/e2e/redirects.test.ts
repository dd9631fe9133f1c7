import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createSession } from '#lib/auth/session';
import { makeTeam, makeUser, TEST_PASSWORD, type Team } from '../helpers/factories';
import { useServerDb } from '../helpers/test-db';

/**
 * Issue 9, item 6: no `next` sends a browser to another origin, over HTTP against
 * the built server. Each payload is the raw query-string form an attacker puts in
 * a link; the page decodes it. A Location is judged the way a browser judges it:
 * resolved with the WHATWG URL parser (which drops tabs and newlines and reads
 * `\` as `/`) against the page that sent it.
 */
const base = inject('serverUrl');
const COOKIE = '__Host-session';

/** Raw (already percent-encoded) query values. */
const PAYLOADS = [
  '/%09/evil.example',
  '/%09%09/evil.example',
  '%09//evil.example',
  '/%0D%0A/evil.example',
  '/%0B/x',
  '/%5Cevil.example',
  '/%255Cevil.example',
  '%5C%5Cevil.example',
  '%2F%2Fevil.example',
  '//evil.example',
  '///evil.example',
  '/%252F%252Fevil.example',
  '/..//evil.example',
  'https://evil.example',
  'https:evil.example',
  'javascript:alert(1)',
  'data:text/html,x',
];

async function req(path: string, opts: { cookie?: string; form?: Record<string, string> } = {}) {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = `${COOKIE}=${opts.cookie}`;
  let body: string | undefined;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.origin = base;
  }
  return fetch(`${base}${path}`, { method: opts.form ? 'POST' : 'GET', headers, body, redirect: 'manual' });
}

/** Where a browser goes from `from` given this Location. */
function destination(res: Response, from: string): URL {
  const location = res.headers.get('location');
  expect(location, `Location from ${from}`).toBeTruthy();
  return new URL(location!, `${base}${from}`);
}

describe.skipIf(!base)(`redirects stay on the site (${inject('unavailable') || 'services available'})`, () => {
  const h = useServerDb();
  let signedIn: string;
  let org: Team;
  let adminCookie: string;

  beforeAll(async () => {
    const u = await makeUser(h.db);
    signedIn = (await createSession(h.db, u.id)).token;
    org = await makeTeam(h.db);
    adminCookie = (await createSession(h.db, org.admin.id, { activeOrgId: org.org.id })).token;
  });

  it.each(['/sign-in', '/sign-up'])('%s, signed in, sends every payload to the account page', async (page) => {
    for (const p of PAYLOADS) {
      const from = `${page}?next=${p}`;
      const r = await req(from, { cookie: signedIn });
      expect(r.status, from).toBe(303);
      const to = destination(r, from);
      expect(to.origin, from).toBe(base);
      expect(to.pathname, from).toBe('/account');
    }
    // A real path on the site is kept, query and fragment included.
    const r = await req(`${page}?next=${encodeURIComponent('/jobs?q=therapist#results')}`, { cookie: signedIn });
    expect(r.headers.get('location')).toBe('/jobs?q=therapist#results');
  });

  it('sign-in form posts follow only on-site `next` values', async () => {
    const u = await makeUser(h.db);
    for (const p of PAYLOADS) {
      const next = decodeURIComponent(p);
      const r = await req('/sign-in?_action=auth.signIn', { form: { email: u.email, password: TEST_PASSWORD, next } });
      expect(r.status, p).toBe(303);
      const to = destination(r, '/sign-in');
      expect(to.origin, p).toBe(base);
      expect(to.pathname, p).toBe('/account');
    }
    const ok = await req('/sign-in?_action=auth.signIn', {
      form: { email: u.email, password: TEST_PASSWORD, next: '/alerts' },
    });
    expect(ok.headers.get('location')).toBe('/alerts');
  });

  it('the organization switch follows only on-site `next` values', async () => {
    for (const p of PAYLOADS) {
      const r = await req('/account?_action=orgs.switch', {
        cookie: adminCookie,
        form: { org: org.org.id, next: decodeURIComponent(p) },
      });
      expect(r.status, p).toBe(303);
      const to = destination(r, '/account');
      expect(to.origin, p).toBe(base);
      expect(to.pathname, p).toBe(`/employer/${org.org.slug}`);
    }
  });

  it('the profile page links back only to paths on the site', async () => {
    for (const p of PAYLOADS) {
      const from = `/account/profile?next=${p}`;
      const r = await req(from, { cookie: signedIn });
      expect(r.status, from).toBe(200);
      const html = await r.text();
      expect(html, from).not.toContain('Back to your application');
      expect(html, from).not.toMatch(/href="[^"]*(evil\.example|javascript:|data:)/i);
    }
    const back = await req(`/account/profile?next=${encodeURIComponent('/jobs/some-job/apply')}`, { cookie: signedIn });
    expect(await back.text()).toContain('href="/jobs/some-job/apply"');
  });
});
