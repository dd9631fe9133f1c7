import crypto from 'node:crypto';
import http from 'node:http';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createSession } from '#lib/auth/session';
import { makeTeam, makeUser } from '../helpers/factories';
import { useServerDb } from '../helpers/test-db';

/**
 * Issue 9, items 3 and 4: hostile input against the built server answers 4xx with a
 * sentence a person can act on (never a 500), and every response — refusals, errors,
 * static files — carries the security headers.
 */
const base = inject('serverUrl');
const COOKIE = '__Host-session';

/** node:http, because fetch refuses methods like TRACE and always sets a length. */
function raw(opts: {
  method: string;
  path: string;
  headers?: Record<string, string>;
  chunks?: Buffer[];
}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: opts.method, path: opts.path, headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    // The server may answer (413) and close before the upload ends: that is the point.
    req.on('error', (err) =>
      (err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err),
    );
    for (const c of opts.chunks ?? []) req.write(c);
    req.end();
  });
}

function post(path: string, form: Record<string, string>, cookie?: string) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      origin: base,
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie ? { cookie: `${COOKIE}=${cookie}` } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
}

function expectSecurityHeaders(h: Headers | http.IncomingHttpHeaders, what: string) {
  const get = (k: string) => (h instanceof Headers ? h.get(k) : (h[k] as string | undefined));
  expect(get('x-content-type-options'), what).toBe('nosniff');
  expect(get('x-frame-options'), what).toBe('DENY');
  expect(get('content-security-policy'), what).toContain("frame-ancestors 'none'");
  expect(get('x-request-id'), what).toMatch(/^[\w.:-]{8,}$/);
}

describe.skipIf(!base)(`hostile input over HTTP (${inject('unavailable') || 'services available'})`, () => {
  const h = useServerDb();
  let candidate: string;
  let admin: string;
  let orgSlug: string;

  beforeAll(async () => {
    const u = await makeUser(h.db, { name: 'Hostile Input Candidate' });
    candidate = (await createSession(h.db, u.id)).token;
    const o = await makeTeam(h.db, `Hostile Input Org ${crypto.randomBytes(2).toString('hex')}`);
    admin = (await createSession(h.db, o.admin.id, { activeOrgId: o.org.id })).token;
    orgSlug = o.org.slug;
  });

  it('refuses NUL and control characters in the address with 400 and a message', async () => {
    for (const path of ['/jobs/a%00b', '/jobs?q=a%00b', '/sign-in?next=/%00/x', '/roles/%E0%A4%A', '/jobs/%C0%AF', '/jobs/a%0Bb']) {
      const r = await fetch(`${base}${path}`, { redirect: 'manual' });
      expect(r.status, path).toBe(400);
      expect(await r.text(), path).toMatch(/address|query/i);
      expectSecurityHeaders(r.headers, path);
    }
  });

  it('answers TRACE and other odd methods with 405 and Allow', async () => {
    for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'PROPFIND']) {
      const r = await raw({ method, path: '/' });
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD, POST');
      expect(r.body).toMatch(/answers GET, HEAD, POST/);
      expectSecurityHeaders(r.headers, method);
    }
  });

  it('answers invalid JSON sent to an action with 400, not 500', async () => {
    const r = await fetch(`${base}/_actions/jobs.preview`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json' },
      body: '{bad json',
    });
    expect(r.status).toBe(400);
    expect((await r.json()).error).toMatch(/not valid JSON/);
  });

  it('refuses a 7 MB chunked upload without Content-Length with 413 and a message', async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const r = await raw({
      method: 'POST',
      path: '/account/resumes?_action=applications.uploadResume',
      headers: {
        origin: base,
        'content-type': 'multipart/form-data; boundary=x',
        'transfer-encoding': 'chunked',
        cookie: `${COOKIE}=${candidate}`,
      },
      chunks: Array.from({ length: 28 }, () => chunk),
    });
    expect(r.status).toBe(413);
    expect(r.body).toMatch(/larger than the 6 MB/);
    expectSecurityHeaders(r.headers, 'chunked 413');
  });

  it('a small chunked form post still reaches the app', async () => {
    const r = await raw({
      method: 'POST',
      path: '/_actions/auth.signIn',
      headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' },
      chunks: [Buffer.from('email=nobody%40example.com&'), Buffer.from('password=not-the-password')],
    });
    expect([400, 401]).toContain(r.status);
  });

  it('refuses NUL in form fields with 400 and a message on the field, signed in or not', async () => {
    const cases: [string, Record<string, string>, string | undefined][] = [
      ['/_actions/auth.signIn', { email: 'a\u0000b@x.io', password: 'whatever-it-is' }, undefined],
      [
        '/_actions/auth.signUp',
        {
          name: 'Nul\u0000Name',
          email: `nul-${crypto.randomBytes(3).toString('hex')}@example.com`,
          password: 'long enough password',
        },
        undefined,
      ],
      ['/_actions/applications.saveProfile', { name: 'Pat\u0000 Doe' }, candidate],
      ['/_actions/applications.addNote', { applicationId: crypto.randomUUID(), body: 'note \u0000 text' }, admin],
      ['/_actions/alerts.save', { name: 'My\u0000search', query: 'q=therapist', frequency: 'daily' }, candidate],
      ['/_actions/orgs.update', { org: orgSlug, name: 'Renamed\u0000 Org' }, admin],
    ];
    for (const [path, form, cookie] of cases) {
      const r = await post(path, form, cookie);
      expect(r.status, path).toBe(400);
      expect(await r.text(), path).toMatch(/invisible control characters/);
    }
  });

  it('puts the security headers on static files, 404s and edge refusals', async () => {
    const jobs = await (await fetch(`${base}/jobs`)).text();
    const script = jobs.match(/src="(\/[^"]+\.js)"/)?.[1];
    expect(script, 'the jobs page loads a static script').toBeTruthy();
    for (const path of [script!, '/favicon.svg', '/no-such-page', '/_astro/missing.js']) {
      const r = await fetch(`${base}${path}`);
      if (path === script || path === '/favicon.svg') expect(r.status, path).toBe(200);
      expectSecurityHeaders(r.headers, path);
    }
  });
});
