import crypto from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { submitApplication } from '#lib/applications/apply';
import { moveApplication } from '#lib/applications/moves';
import { createSession } from '#lib/auth/session';
import { axeViolations, describeViolations, hasChromium, launchBrowser } from '../helpers/browser';
import { makeJob, makeLicense, makeResume, makeTeam, makeUser, tempStore } from '../helpers/factories';
import { useServerDb } from '../helpers/test-db';

/**
 * The reports page in Chromium at the reference phone (390×844) and a laptop (1280×900): every
 * section with its chart (inline SVG from Observable Plot, with a text alternative) and table, no
 * sideways scroll of the page, axe-core finds nothing, and the print stylesheet hides the controls.
 */
const base = inject('serverUrl');
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

describe.skipIf(!base || !hasChromium)(
  `reports page in Chromium (${inject('unavailable') || (hasChromium ? 'services available' : 'no /usr/bin/chromium')})`,
  () => {
    const h = useServerDb();
    const store = tempStore();
    let browser: Browser;
    let orgSlug: string;
    let cookie: string;

    beforeAll(async () => {
      browser = await launchBrowser();
      const tag = crypto.randomBytes(2).toString('hex');
      const team = await makeTeam(h.db, `Cedar Reports ${tag}`);
      orgSlug = team.org.slug;
      const job = await makeJob(h.db, team.org.id, { title: `Group Therapist – Adolescent IOP ${tag}` });
      for (let i = 0; i < 12; i++) {
        const u = await makeUser(h.db, { name: `Applicant ${i}` });
        if (i % 2) await makeLicense(h.db, u.id, { credentialCode: 'LCSW', state: 'PA' });
        const r = await makeResume(h.db, store, u.id);
        const a = await submitApplication(h.db, { store }, u.id, {
          jobId: job.id,
          resumeId: r.id,
          source: i % 3 ? 'search' : 'alert',
          eeo: { gender: i % 2 ? 'female' : 'male', ethnicity: 'decline', veteran: 'decline', disability: 'decline' },
        });
        if (i < 8)
          await moveApplication(h.db, undefined, team.actors.admin, { applicationId: a.applicationId, version: 1, toStage: 'screening', reason: null });
      }
      cookie = (await createSession(h.db, team.admin.id, { activeOrgId: team.org.id })).token;
    });
    afterAll(async () => {
      await browser?.close();
      store.cleanup();
    });

    for (const size of SIZES) {
      it(`shows every section with charts and tables at ${size.name} size, accessibly`, async () => {
        const ctx = await browser.newContext({
          viewport: { width: size.width, height: size.height },
          extraHTTPHeaders: { cookie: `__Host-session=${cookie}` },
        });
        const page = await ctx.newPage();
        const res = await page.goto(`${base}/employer/${orgSlug}/reports`);
        expect(res?.status()).toBe(200);
        for (const name of ['Funnel', 'Sources', 'Speed', 'Licensure mix', 'Fairness'])
          await expect(page.getByRole('heading', { name, level: 2 }).count()).resolves.toBe(1);
        const charts = await page
          .locator('figure svg[role="img"]')
          .evaluateAll((svgs) => svgs.map((s) => ({ label: s.getAttribute('aria-label') ?? '', w: s.getBoundingClientRect().width })));
        expect(charts.length).toBeGreaterThanOrEqual(3);
        for (const c of charts) {
          expect(c.label.length).toBeGreaterThan(20);
          expect(c.w).toBeGreaterThan(100);
        }
        expect(await page.locator('table').count()).toBeGreaterThanOrEqual(5);
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
        expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
        const v = await axeViolations(page);
        expect(v, describeViolations(v)).toEqual([]);
        // Without JavaScript the period form is a plain GET; printing hides it.
        await page.emulateMedia({ media: 'print' });
        expect(await page.locator('form.filters').isVisible()).toBe(false);
        await ctx.close();
      });
    }
  },
);
