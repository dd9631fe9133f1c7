import { describe, expect, inject, it } from 'vitest';

/** The built server over HTTP: the public contract in DESIGN.md. */
const base = inject('serverUrl');

describe.skipIf(!base)(`built server over HTTP (${inject('unavailable') || 'services available'})`, () => {
  const get = (path: string, init?: RequestInit) => fetch(`${base}${path}`, { redirect: 'manual', ...init });

  it('reports health', async () => {
    const r = await get('/api/health');
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ db: 'ok', search: 'ok' });
  });

  it('serves the home page and the jobs list as HTML with security headers', async () => {
    for (const path of ['/', '/jobs']) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/text\/html/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(r.headers.get('strict-transport-security')).toMatch(/max-age/);
    }
  });

  it('answers /api/jobs in the contract shape', async () => {
    const r = await get('/api/jobs?role=therapist&role=group-therapist&sort=newest');
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ page: 1, pageSize: 20, engine: 'meilisearch' });
    expect(body.total).toBeGreaterThan(0);
    expect(Object.keys(body.facets).sort()).toEqual(['credential', 'program', 'role', 'setting', 'state']);
    const hit = body.hits[0];
    for (const key of ['id', 'slug', 'title', 'organization', 'role', 'program', 'credentials', 'city', 'state', 'setting', 'payMin', 'payMax', 'postedAt']) {
      expect(hit, key).toHaveProperty(key);
    }
    expect(Array.isArray(hit.credentials)).toBe(true);
    expect(['therapist', 'group-therapist']).toContain(hit.role);
    const dates = body.hits.map((h: { postedAt: string }) => Date.parse(h.postedAt));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('refuses bad parameters with a 400 and a message, never a 500', async () => {
    for (const qs of ['credential=NOPE', 'page=-1', 'sort=sideways', 'bogus=1', 'near=abcde', 'near=00000', 'state=PA%22%20OR%201%3D1']) {
      const api = await get(`/api/jobs?${qs}`);
      expect(api.status, qs).toBe(400);
      const body = await api.json();
      expect(body.error, qs).toMatch(/\w/);
      const page = await get(`/jobs?${qs}`);
      expect(page.status, qs).toBe(400);
      expect(await page.text()).toContain("We couldn't run that search");
    }
  });

  it('shows a job with JobPosting JSON-LD, and 404s for unknown slugs', async () => {
    const { hits } = await (await get('/api/jobs?setting=telehealth')).json();
    const r = await get(`/jobs/${hits[0].slug}`);
    expect(r.status).toBe(200);
    const html = await r.text();
    const ld = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]!));
    const posting = ld.find((x) => x['@type'] === 'JobPosting');
    expect(posting).toBeDefined();
    for (const key of ['title', 'description', 'datePosted', 'validThrough', 'hiringOrganization', 'jobLocation', 'baseSalary', 'employmentType'])
      expect(posting, key).toHaveProperty(key);
    expect(posting.jobLocationType).toBe('TELECOMMUTE');
    expect(posting.applicantLocationRequirements['@type']).toBe('State');
    expect(html).toContain('Apply now');
    expect(html).not.toContain('noindex');
    expect((await get('/jobs/no-such-job')).status).toBe(404);
  });

  it('serves robots.txt pointing at the sitemap', async () => {
    const r = await get('/robots.txt');
    expect(await r.text()).toMatch(/Sitemap: http:\/\/127\.0\.0\.1:\d+\/sitemap-index\.xml/);
  });
});
