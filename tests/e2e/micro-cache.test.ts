import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { jobs } from '#db/schema';
import { createSession } from '#lib/auth/session';
import { makeJob, makeOrg, makeUser } from '../helpers/factories';
import { startBuiltServer, type ServerProcess } from '../helpers/server-process';
import { useTestDb } from '../helpers/test-db';

/**
 * The edge's micro-cache (src/lib/web/micro-cache.ts) on the built server: anonymous
 * job pages are answered from memory for PAGE_CACHE_TTL_MS, never a signed-in page,
 * and a write through this instance clears it. The job's title is changed behind the
 * app's back (straight in the database) to see which answers came from memory.
 */
const COOKIE = '__Host-session';

describe.skipIf(!inject('serverUrl'))('micro-cache for anonymous public pages', () => {
  const h = useTestDb();
  const tag = crypto.randomBytes(3).toString('hex');
  let app: ServerProcess;
  let dataDir = '';
  let slug = '';
  let jobId = '';

  beforeAll(async () => {
    const org = await makeOrg(h.db);
    const job = await makeJob(h.db, org.id, { title: `Cached Therapist ${tag}` });
    slug = job.slug;
    jobId = job.id;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'micro-'));
    app = await startBuiltServer({
      DATABASE_URL: h.url,
      MEILI_URL: inject('meiliUrl'),
      MEILI_INDEX: `jobs_micro_${tag}`,
      DATA_DIR: dataDir,
      WORKERS: 'off',
      PAGE_CACHE_TTL_MS: '60000',
    });
  });
  afterAll(async () => {
    await app?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const retitle = async (title: string) => {
    await h.db
      .update(jobs)
      .set({ title, version: sql`${jobs.version} + 1` })
      .where(eq(jobs.id, jobId));
  };
  const titleOf = async (r: Response) => /<h1[^>]*>([^<]*)<\/h1>/.exec(await r.text())?.[1]?.trim();

  it('answers a repeated anonymous job page from memory (same body, compressed, 304 on its ETag), and never a signed-in one', async () => {
    const first = await fetch(`${app.url}/jobs/${slug}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toMatch(/public/);
    const etag = first.headers.get('etag');
    const firstBody = await first.text();
    await retitle(`Renamed Therapist ${tag}`);

    const again = await fetch(`${app.url}/jobs/${slug}`);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(again.headers.get('content-security-policy')).toBeTruthy();

    // Compressed from memory: node's fetch asks for br/gzip and decodes; ask raw to see the encoding.
    const raw = await new Promise<{ enc?: string; body: Buffer }>((resolve, reject) => {
      import('node:http').then(({ get }) =>
        get(`${app.url}/jobs/${slug}`, { headers: { 'accept-encoding': 'br' } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve({ enc: res.headers['content-encoding'], body: Buffer.concat(parts) }));
        }).on('error', reject),
      );
    });
    expect(raw.enc).toBe('br');
    expect(brotliDecompressSync(raw.body).toString('utf8')).toBe(firstBody);

    const notModified = await fetch(`${app.url}/jobs/${slug}`, { headers: { 'if-none-match': etag ?? '' } });
    expect(notModified.status).toBe(304);

    // Signed in: the page is built for this person, from the database as it is now.
    const u = await makeUser(h.db);
    const token = (await createSession(h.db, u.id)).token;
    const signedIn = await fetch(`${app.url}/jobs/${slug}`, { headers: { cookie: `${COOKIE}=${token}` } });
    expect(await titleOf(signedIn)).toBe(`Renamed Therapist ${tag}`);
  });

  it('forgets everything after a write through this instance', async () => {
    await retitle(`Third Title ${tag}`);
    expect(await titleOf(await fetch(`${app.url}/jobs/${slug}`))).not.toBe(`Third Title ${tag}`);
    // Any successful write clears it: here, signing out (a POST from the site itself).
    const out = await fetch(`${app.url}/sign-out`, {
      method: 'POST',
      headers: { origin: app.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      redirect: 'manual',
    });
    expect(out.status).toBeLessThan(400);
    expect(await titleOf(await fetch(`${app.url}/jobs/${slug}`))).toBe(`Third Title ${tag}`);
  });
});
