import http from 'node:http';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createSession } from '#lib/auth/session';
import { hasChromium, launchBrowser } from '../helpers/browser';
import { applications } from '#db/schema';
import { makeJob, makeTeam, makeUser, TEST_PASSWORD } from '../helpers/factories';
import { useServerDb } from '../helpers/test-db';

/** Issue 10, "Rough edges found": the ones a person meets over HTTP and in the browser against the built server. */
const base = inject('serverUrl');
const COOKIE = '__Host-session';
const MB = 1024 * 1024;

function form(path: string, fields: Record<string, string> | [string, string][], cookie: string) {
  return fetch(new URL(path, base), {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', cookie: `${COOKIE}=${cookie}` },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A declared-length upload the edge answers before reading it (node:http: fetch would send all 12 MB). */
function declaredUpload(headers: Record<string, string>): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/account/resumes?_action=applications.uploadResume',
        headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      },
    );
    req.on('error', (err) =>
      (err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err),
    );
    req.write(Buffer.alloc(1024, 0x61));
    req.end();
  });
}

describe.skipIf(!base)(`rough edges over HTTP (${inject('unavailable') || 'services available'})`, () => {
  const h = useServerDb();
  let candidate: string;
  let email: string;

  beforeAll(async () => {
    const u = await makeUser(h.db, { name: 'Rough Edges Candidate' });
    email = u.email;
    candidate = (await createSession(h.db, u.id)).token;
  });

  it('#1 a job alert with an empty name: the error beside the form, the search and its results kept', async () => {
    const search = await (await fetch(`${base}/jobs?credential=LCSW`, { headers: { cookie: `${COOKIE}=${candidate}` } })).text();
    const action = /<form method="post" action="([^"]+)" class="save-form"/.exec(search)?.[1]?.replaceAll('&amp;', '&');
    expect(action).toBeDefined();
    const r = await form(action!, { query: 'credential=LCSW', name: '', frequency: 'daily' }, candidate);
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).not.toMatch(/expected string|Invalid input/);
    expect(html).toMatch(/<p class="error" id="f-name-error"[^>]*>Give the search a name\.<\/p>/);
    expect(html).toMatch(/id="results-heading"[^>]*>\s*[\d,]+ jobs?/);
    expect(html).toContain('value="credential=LCSW"');
    const ok = await form(action!, { query: 'credential=LCSW', name: 'LCSW jobs', frequency: 'weekly' }, candidate);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/alerts?notice=saved');
  });

  it('#4 a 12 MB resume posted without JavaScript: "This file is 12 MB; the limit is 5 MB" on a page with a way back', async () => {
    const r = await declaredUpload({
      origin: base,
      referer: `${base}/account/resumes`,
      accept: 'text/html,application/xhtml+xml',
      'content-type': 'multipart/form-data; boundary=x',
      'content-length': String(12 * MB + 300),
      cookie: `${COOKIE}=${candidate}`,
    });
    expect(r.status).toBe(413);
    expect(r.type).toMatch(/^text\/html/);
    expect(r.body).toContain('This file is 12 MB; the limit is 5 MB.');
    expect(r.body).toContain('<a href="/account/resumes">Go back to the form</a>');
    expect(r.body).not.toMatch(/6291456|exceeds/);
  });

  it('#9 a bulk reject without a reason keeps the selected applicants ticked and says what to add', async () => {
    const t = await makeTeam(h.db);
    const job = await makeJob(h.db, t.org.id);
    const people = await Promise.all([1, 2, 3].map((i) => makeUser(h.db, { name: `Bulk Applicant ${i}` })));
    const apps = await h.db
      .insert(applications)
      .values(people.map((p) => ({ jobId: job.id, candidateId: p.id })))
      .returning({ id: applications.id, version: applications.version });
    const chosen = apps.slice(0, 2).map((a) => `${a.id}:${a.version}`);
    const admin = (await createSession(h.db, t.admin.id, { activeOrgId: t.org.id })).token;
    const r = await form(
      `/employer/jobs/${job.id}/pipeline?_action=applications.bulkMove`,
      [['jobId', job.id], ...chosen.map((c): [string, string] => ['selected', c]), ['toStage', 'rejected'], ['reason', '']],
      admin,
    );
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain('Give a reason for rejecting');
    const ticked = [...html.matchAll(/<input type="checkbox" form="bulk" name="selected" value="([^"]+)" checked[\s>]/g)].map((m) => m[1]);
    expect(new Set(ticked)).toEqual(new Set(chosen));
    expect(html).toMatch(/<option value="rejected" selected[\s>]/);
  });

  it('#10 error responses carry their own reason phrase, not "OK"', async () => {
    const bad = await fetch(`${base}/jobs?sort=distance`);
    expect(bad.status).toBe(400);
    expect(bad.statusText).toBe('Bad Request');
    const missing = await fetch(`${base}/jobs/no-such-job-anywhere`);
    expect(missing.status).toBe(404);
    expect(missing.statusText).toMatch(/^Not found$/i);
    const ok = await fetch(`${base}/jobs`);
    expect(ok.statusText).toBe('OK');
  });

  it.skipIf(!hasChromium)('#4 with JavaScript the size is checked in the browser before upload', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/sign-in`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
      await page.goto(`${base}/account/resumes`);
      const uploads: string[] = [];
      page.on('request', (req) => req.method() === 'POST' && uploads.push(req.url()));
      // Chosen in the page (a 12 MB buffer through the DevTools protocol is slow on a busy machine).
      await page.getByLabel('Resume file (PDF or .docx)').evaluate((el, bytes) => {
        const input = el as HTMLInputElement;
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], 'big.pdf', { type: 'application/pdf' }));
        input.files = dt.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }, 12 * MB);
      await expect.poll(() => page.locator('#f-resume-size').textContent()).toBe('This file is 12 MB; the limit is 5 MB.');
      await page.getByRole('button', { name: 'Upload' }).click();
      expect(uploads).toEqual([]);
      expect(page.url()).toBe(`${base}/account/resumes`);
    } finally {
      await browser.close();
    }
  });
});
