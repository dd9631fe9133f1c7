import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '#lib/search/local-meili';
import { axeViolations, describeViolations, hasChromium, launchBrowser } from '../helpers/browser';
import { startBuiltServer, type ServerProcess } from '../helpers/server-process';

/**
 * Issue 13: a search refused for load answers at once with 503 + Retry-After; the /jobs page
 * says "Search is busy, try again" and keeps the query and filters in its form. The server's
 * Meilisearch is unreachable (killed) and its PostgreSQL fallback has no capacity
 * (SEARCH_FALLBACK_CONCURRENCY=0), so every search is shed.
 */
const databaseUrl = inject('serverDatabaseUrl');
const meiliIndex = inject('serverMeiliIndex');

describe.skipIf(!databaseUrl)('search shed for load', () => {
  let server: ServerProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'search-busy-'));
    server = await startBuiltServer(
      {
        DATABASE_URL: databaseUrl,
        MEILI_URL: `http://127.0.0.1:${await freePort()}`, // nothing listens: the engine is down
        MEILI_INDEX: meiliIndex,
        SEARCH_FALLBACK_CONCURRENCY: '0',
        DATA_DIR: dataDir,
        WORKERS: 'off',
      },
      { stdio: 'ignore' },
    );
  });
  afterAll(async () => {
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /api/jobs with a quick JSON 503 and Retry-After', async () => {
    const t0 = performance.now();
    const r = await fetch(`${server.url}/api/jobs?q=therapist&state=PA`);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.status).toBe(503);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await r.json()).toEqual({ error: 'Search is busy, try again in a few seconds.' });
  });

  it('answers /jobs with 503, says search is busy, and keeps the query and filters in the form', async () => {
    const r = await fetch(`${server.url}/jobs?q=family+therapist&state=PA&credential=LCSW&near=19104`);
    expect(r.status).toBe(503);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await r.text();
    expect(html).toContain('Search is busy, try again');
    expect(html).toMatch(/<input[^>]*name="q"[^>]*value="family therapist"/);
    expect(html).toMatch(/<input[^>]*name="near"[^>]*value="19104"/);
    expect(html).toMatch(/<input[^>]*name="state"[^>]*value="PA"[^>]*checked/);
    expect(html).toMatch(/<input[^>]*name="credential"[^>]*value="LCSW"[^>]*checked/);
  });

  it.skipIf(!hasChromium)('the busy page passes axe at phone size without sideways scroll', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const res = await page.goto(`${server.url}/jobs?q=therapist&state=PA`);
      expect(res?.status()).toBe(503);
      expect(await page.getByRole('alert').innerText()).toContain('Search is busy');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const v = await axeViolations(page);
      expect(v, describeViolations(v)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
