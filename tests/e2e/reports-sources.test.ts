import crypto from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { createSession } from '#lib/auth/session';
import { makeJob, makeTeam, makeUser } from '../helpers/factories';
import { useServerDb } from '../helpers/test-db';

/**
 * Sources over HTTP against the built server: the site's own links carry utm marks (search results,
 * organization pages, RSS, the XML feed), the job page turns them into the apply link's ?source=, the
 * apply form carries it, and a page whose source came from the Referer header is never shared by caches.
 */
const base = inject('serverUrl');

describe.skipIf(!base)(`sources over HTTP (${inject('unavailable') || 'services available'})`, () => {
  const h = useServerDb();

  it('marks links, carries the source to the apply form, and keeps referrer-based pages private', async () => {
    const tag = crypto.randomBytes(3).toString('hex');
    const team = await makeTeam(h.db, `Spruce Sources ${tag}`);
    const job = await makeJob(h.db, team.org.id, { title: `Sources Therapist ${tag}` });
    const org = await (await fetch(`${base}/organizations/${team.org.slug}`)).text();
    expect(org).toContain(`/jobs/${job.slug}?utm_source=phpiopjobs&amp;utm_medium=organization-page`);
    const rss = await (await fetch(`${base}/rss.xml`)).text();
    expect(rss).toMatch(/utm_medium=rss/);
    const feed = await (await fetch(`${base}/feeds/jobs.xml`)).text();
    expect(feed).toMatch(/utm_medium=job-feed/);

    const fromAlert = await (await fetch(`${base}/jobs/${job.slug}?utm_source=phpiopjobs&utm_medium=email`)).text();
    expect(fromAlert).toContain(`href="/jobs/${job.slug}/apply?source=alert"`);
    const fromGoogle = await fetch(`${base}/jobs/${job.slug}`, { headers: { referer: 'https://www.google.com/' } });
    expect(await fromGoogle.text()).toContain(`href="/jobs/${job.slug}/apply?source=other"`);
    expect(fromGoogle.headers.get('cache-control')).toBe('private, no-store');

    const candidate = await makeUser(h.db);
    const cookie = (await createSession(h.db, candidate.id)).token;
    const form = await (await fetch(`${base}/jobs/${job.slug}/apply?source=alert`, { headers: { cookie: `__Host-session=${cookie}` } })).text();
    expect(form).toContain('<input type="hidden" name="source" value="alert"');
  });
});
