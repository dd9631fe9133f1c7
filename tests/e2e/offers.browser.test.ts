import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applications } from '#db/schema';
import { hasChromium, launchBrowser, pageProblems, signIn } from '../helpers/browser';
import { makeApplication, makeJob, makeTeam, makeUser, type Team } from '../helpers/factories';
import { useServerDb } from '../helpers/test-db';

/**
 * The closing of the hiring loop in Chromium against the built server, at 390×844 and 1280×900:
 * a hiring manager writes to the candidate and sends an offer from the application page, the
 * candidate reads the message and accepts in their account, and the application is hired.
 * No page scrolls sideways and axe-core finds nothing on any page of the journey.
 */
const base = inject('serverUrl');
const SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
] as const;

describe.skipIf(!base || !hasChromium)(`offer journey in Chromium (${inject('unavailable') || (hasChromium ? 'services available' : 'no chromium')})`, () => {
  const h = useServerDb();
  let browser: Browser;
  let team: Team;

  beforeAll(async () => {
    browser = await launchBrowser();
    team = await makeTeam(h.db, `Juniper Behavioral ${crypto.randomBytes(2).toString('hex')}`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const size of SIZES) {
    it(`at ${size.width}×${size.height}: the manager messages and sends an offer; the candidate accepts in their account`, async () => {
      const job = await makeJob(h.db, team.org.id, { title: `Primary Therapist – Adult PHP ${size.width}` });
      const candidate = await makeUser(h.db, { name: `Robin Candidate ${size.width}` });
      const app = await makeApplication(h.db, job.id, candidate.id, 'interview');
      const failures: string[] = [];

      const { page: mp, ctx: managerCtx } = await signIn(browser, base, size, team.hiringManager.email);
      await mp.goto(`${base}/employer/applications/${app.id}`);
      failures.push(...(await pageProblems(mp, mp.url())));
      await mp.getByLabel(/Write to Robin Candidate/).fill('Thanks for the interview. An offer is on its way.');
      await mp.getByRole('button', { name: 'Send message' }).click();
      await expect.poll(() => mp.getByText('Message sent; the candidate gets it by email.').count()).toBe(1);
      await mp.getByLabel('Pay ($)').fill('90,000');
      await mp.getByLabel('Per', { exact: true }).selectOption('year');
      await mp.getByLabel('Start date').fill('2027-03-01');
      await mp.getByLabel('Schedule').fill('Mon–Fri 8:30–3:00, adult PHP');
      await mp.getByRole('button', { name: 'Send the offer' }).click();
      await expect.poll(() => mp.getByText(/^Offer sent to the candidate by email\. The pay is above the posted range\.$/).count()).toBe(1);
      // $90,000 is above the posted $60,000–$75,000: flagged.
      await expect.poll(() => mp.getByText(/Outside the posted range/).count()).toBeGreaterThan(0);
      await expect.poll(() => mp.getByRole('table').innerText()).toContain('Your offer for');
      failures.push(...(await pageProblems(mp, mp.url())));
      await managerCtx.close();

      const { page: cp, ctx: candidateCtx } = await signIn(browser, base, size, candidate.email);
      await cp.goto(`${base}/account/applications/${app.id}`);
      await expect.poll(() => cp.getByText('Thanks for the interview.').count()).toBe(1);
      await expect.poll(() => cp.getByText('$90,000 a year').count()).toBe(1);
      failures.push(...(await pageProblems(cp, cp.url())));
      await cp.getByRole('button', { name: 'Accept the offer' }).click();
      await expect.poll(() => cp.getByText('You accepted the offer. The hiring team has been told.').count()).toBe(1);
      failures.push(...(await pageProblems(cp, cp.url())));
      await candidateCtx.close();

      const [row] = await h.db.select().from(applications).where(eq(applications.id, app.id));
      expect(row?.stage).toBe('hired');

      // The one opening is filled: the pipeline asks whether to close the posting, one button does it.
      const { page: pp, ctx: pipelineCtx } = await signIn(browser, base, size, team.hiringManager.email);
      await pp.goto(`${base}/employer/jobs/${job.id}/pipeline`);
      await expect.poll(() => pp.getByText(/All 1 opening is filled/).count()).toBe(1);
      failures.push(...(await pageProblems(pp, pp.url())));
      await pp.getByRole('button', { name: 'Close the posting' }).click();
      await expect.poll(() => pp.getByText('The posting is closed; candidates can no longer apply.').count()).toBe(1);
      await pipelineCtx.close();

      // The admin's hiring settings (offer approval, rejection reasons) pass the same checks.
      const { page: sp, ctx: settingsCtx } = await signIn(browser, base, size, team.admin.email);
      await sp.goto(`${base}/employer/${team.org.slug}/settings`);
      await expect.poll(() => sp.getByRole('heading', { name: 'Rejection reasons' }).count()).toBe(1);
      failures.push(...(await pageProblems(sp, sp.url())));
      await settingsCtx.close();
      expect(failures).toEqual([]);
    }, 120_000);
  }
});
