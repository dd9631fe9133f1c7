import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createSession } from '#lib/auth/session';
import { closeJob, createJob, updateJob } from '#lib/jobs/service';
import { jobInput, makeTeam, type Team } from '../helpers/factories';
import { useServerDb } from '../helpers/test-db';

/**
 * The job page's HTTP caching against the built server: anonymous visitors get a
 * shared-cacheable page with an ETag and a 304 when it is unchanged; an edit or a
 * close changes the ETag; signed-in pages are private.
 */
const base = inject('serverUrl');

describe.skipIf(!base)(`job page caching over HTTP (${inject('unavailable') || 'services available'})`, () => {
  const h = useServerDb();
  let t: Team;
  let job: { id: string; slug: string; version: number };
  const get = (slug: string, headers: Record<string, string> = {}) => fetch(`${base}/jobs/${slug}`, { headers, redirect: 'manual' });

  beforeAll(async () => {
    t = await makeTeam(h.db, 'Cache Creek Behavioral');
    job = await createJob(h.db, t.actors.admin, jobInput({ title: 'Group Therapist – Evening IOP' }), {
      publish: true,
    });
  });

  it('gives anonymous visitors an ETag and a public Cache-Control, and a 304 with no body when unchanged', async () => {
    const first = await get(job.slug);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('Apply now');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=600');

    const again = await get(job.slug, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    // A list that names it matches too; another ETag does not.
    expect((await get(job.slug, { 'if-none-match': `W/"other", ${etag}` })).status).toBe(304);
    expect((await get(job.slug, { 'if-none-match': 'W/"other"' })).status).toBe(200);
  });

  it('changes the ETag when the job is edited, and again when it is closed (noindex, no apply button)', async () => {
    const before = (await get(job.slug)).headers.get('etag')!;
    const edited = await updateJob(h.db, t.actors.admin, job.id, jobInput({ title: 'Group Therapist – Evening IOP (edited)' }), { version: job.version });
    const after = await get(job.slug, { 'if-none-match': before });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('(edited)');
    const editedTag = after.headers.get('etag')!;
    expect(editedTag).not.toBe(before);

    await closeJob(h.db, t.actors.admin, edited.id);
    const closed = await get(job.slug, { 'if-none-match': editedTag });
    expect(closed.status).toBe(200);
    expect(closed.headers.get('etag')).not.toBe(editedTag);
    const html = await closed.text();
    expect(html).toMatch(/<meta name="robots" content="noindex/);
    expect(html).toContain('This posting is closed and no longer takes applications.');
    expect(html).not.toContain('Apply now');
  });

  it('keeps signed-in pages private: no-store, no ETag, no 304', async () => {
    const token = (await createSession(h.db, t.recruiter.id)).token;
    const cookie = `__Host-session=${token}`;
    const anon = (await get(job.slug)).headers.get('etag')!;
    const r = await get(job.slug, { cookie, 'if-none-match': anon });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('private, no-store');
    expect(r.headers.get('etag')).toBeNull();
  });

  it("lets an anonymous search answered by Meilisearch be shared for the search cache's TTL (so the edge micro-cache can answer its repeats), never a signed-in or refused one", async () => {
    const api = await fetch(`${base}/api/jobs?q=therapist`);
    expect(api.status).toBe(200);
    expect(((await api.json()) as { engine: string }).engine).toBe('meilisearch');
    expect(api.headers.get('cache-control')).toBe('public, max-age=3, stale-while-revalidate=3');
    expect(api.headers.get('vary')).toMatch(/cookie/i);
    expect(api.headers.get('x-search-engine')).toBe('meilisearch');
    const page = await fetch(`${base}/jobs?q=therapist`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('public, max-age=3, stale-while-revalidate=3');
    expect(page.headers.get('x-search-engine')).toBe('meilisearch');

    const cookie = `__Host-session=${(await createSession(h.db, t.recruiter.id)).token}`;
    expect((await fetch(`${base}/jobs?q=therapist`, { headers: { cookie } })).headers.get('cache-control')).toBe('private, no-store');
    expect((await fetch(`${base}/api/jobs?q=therapist`, { headers: { cookie } })).headers.get('cache-control')).toBe('private, no-store');

    const refused = await fetch(`${base}/jobs?pay_min=lots`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('cache-control') ?? '').not.toMatch(/public/);
  });
});
