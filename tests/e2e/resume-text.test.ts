import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resumes } from '#db/schema';
import { hasChromium, launchBrowser } from '../helpers/browser';
import { angleBracketDocx, inflatingPdf, makePdf } from '../helpers/documents';
import { makeUser, TEST_PASSWORD } from '../helpers/factories';
import { useServerDb } from '../helpers/test-db';

/**
 * Issue 9, item 1, against the built server (dist-test): resume text is read
 * in a worker there too (the worker file is the bundler's own chunk), a
 * hostile file never stalls other requests, the upload is kept, and the
 * candidate is told "We could not read the text of this file".
 */
const base = inject('serverUrl');

/** Fetches /favicon.svg (served by the same event loop, no database) every 25 ms until `until` settles; returns the slowest answer. */
async function slowestAnswerWhile(until: Promise<unknown>): Promise<number> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  let slowest = 0;
  while (!done) {
    const t0 = performance.now();
    const r = await fetch(`${base}/favicon.svg`, { cache: 'no-store' });
    await r.arrayBuffer();
    slowest = Math.max(slowest, performance.now() - t0);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return slowest;
}

describe.skipIf(!base || !hasChromium)(`resume text in the built server (${inject('unavailable') || 'services available'})`, () => {
  let browser: Browser;
  const h = useServerDb();
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    const user = await makeUser(h.db, { name: 'Rosa Quintero' });
    page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function upload(name: string, mimeType: string, bytes: Uint8Array): Promise<number> {
    await page.goto(`${base}/account/resumes`);
    await page.getByLabel('Resume file (PDF or .docx)').setInputFiles({ name, mimeType, buffer: Buffer.from(bytes) });
    const submitted = Promise.all([page.waitForURL((u) => u.searchParams.has('notice')), page.getByRole('button', { name: 'Upload' }).click()]);
    return slowestAnswerWhile(submitted);
  }

  it('reads a normal PDF in the worker', async () => {
    await upload('Rosa Quintero.pdf', 'application/pdf', makePdf(['Rosa Quintero, LPC', 'Adolescent partial hospitalization']));
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Your resume was uploaded.');
    const [row] = await h.db.select().from(resumes).where(eq(resumes.originalName, 'Rosa Quintero.pdf'));
    expect(row).toMatchObject({
      textStatus: 'ok',
      textContent: 'Rosa Quintero, LPC\nAdolescent partial hospitalization',
    });
  });

  it('keeps a DOCX of "<" and a PDF that inflates to 500 MB, says their text could not be read, and answers other requests meanwhile', async () => {
    const docxSlowest = await upload('brackets.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', angleBracketDocx(100));
    const docxNotice = await page.getByRole('status').first().textContent();
    const pdfSlowest = await upload('inflating.pdf', 'application/pdf', await inflatingPdf(500));
    console.info(`built server, slowest /favicon.svg during the uploads: DOCX ${docxSlowest.toFixed(0)} ms, PDF ${pdfSlowest.toFixed(0)} ms`);
    expect(docxSlowest).toBeLessThan(500);
    expect(pdfSlowest).toBeLessThan(500);
    expect(docxNotice).toMatch(/Your resume was uploaded.*We could not read the text of this file/);
    await expect.poll(() => page.getByRole('status').first().textContent()).toMatch(/Your resume was uploaded.*We could not read the text of this file/);

    for (const name of ['brackets.docx', 'inflating.pdf']) {
      const cell = page.getByRole('cell').filter({ has: page.getByRole('link', { name }) });
      await expect.poll(() => cell.textContent()).toContain('We could not read the text of this file.');
    }
    const normal = page.getByRole('cell').filter({ has: page.getByRole('link', { name: 'Rosa Quintero.pdf' }) });
    expect(await normal.textContent()).not.toContain('could not read');
    const rows = await h.db.select({ name: resumes.originalName, status: resumes.textStatus, failure: resumes.textFailure }).from(resumes);
    expect(rows).toEqual(
      expect.arrayContaining([
        { name: 'brackets.docx', status: 'failed', failure: 'unreadable' },
        { name: 'inflating.pdf', status: 'failed', failure: expect.stringMatching(/^(too_large|timeout)$/) },
      ]),
    );
  });
});
