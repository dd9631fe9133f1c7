import crypto from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureKit } from '#lib/scorecards/kits';
import { submitScorecard } from '#lib/scorecards/scorecards';
import { hasChromium, launchBrowser, pageProblems, signIn } from '../helpers/browser';
import { makeApplication, makeJob, makeMember, makeTeam, makeUser, type Team } from '../helpers/factories';
import { guideKitLoader, makeInterview } from '../helpers/scorecards';
import { useServerDb } from '../helpers/test-db';

/**
 * The scorecard form and the summary in Chromium against the built server, at the reference
 * phone (390×844) and a laptop (1280×900): an interviewer fills in the kit's competencies
 * (generated from the therapist interview guide), submits without JavaScript-only controls,
 * and then sees the colleague's scorecard she could not see before; nothing scrolls sideways
 * and axe-core finds nothing, on the form, the summary and the kit page.
 */
const base = inject('serverUrl');
const SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
] as const;

describe.skipIf(!base || !hasChromium)(
  `scorecard form and summary in Chromium (${inject('unavailable') || (hasChromium ? 'services available' : 'no /usr/bin/chromium')})`,
  () => {
    const h = useServerDb();
    let browser: Browser;
    let team: Team;
    let jobId: string;

    beforeAll(async () => {
      browser = await launchBrowser();
      team = await makeTeam(h.db, `Juniper Recovery ${crypto.randomBytes(2).toString('hex')}`);
      jobId = (await makeJob(h.db, team.org.id, { title: 'Primary Therapist – Adult IOP', role: 'therapist' })).id;
    });
    afterAll(async () => {
      await browser?.close();
    });

    for (const size of SIZES) {
      it(`at ${size.width}×${size.height}: an interviewer submits her scorecard, then sees the panel’s summary; axe finds nothing`, async () => {
        const load = guideKitLoader();
        const { id: app } = await makeApplication(h.db, jobId, (await makeUser(h.db, { name: `Sam Candidate ${size.width}` })).id);
        const colleague = await makeMember(h.db, team.org.id, 'hiring_manager', `Quinn Colleague ${size.width}`);
        const iv = await makeInterview(h.db, {
          orgId: team.org.id,
          applicationId: app,
          interviewers: [team.hiringManager.id, colleague.id],
          status: 'completed',
          endedHoursAgo: size.width === 390 ? 3 : 6,
        });
        const kit = await ensureKit(h.db, team.actors.admin, jobId, load);
        await submitScorecard(
          h.db,
          { userId: colleague.id, orgId: team.org.id, role: 'hiring_manager' },
          {
            applicationId: app,
            interviewId: iv,
            overall: 'no',
            notes: 'Quinn: vague on safety planning.',
            ratings: Object.fromEntries(kit.competencies.map((c) => [c.id, 'no'])),
          },
          load,
        );
        const { ctx, page } = await signIn(browser, base, size, team.hiringManager.email, `/employer/applications/${app}`);
        try {
          // Independent: the colleague's scorecard is in, but not shown yet.
          expect(await page.getByText('1 scorecard is in from colleagues').count()).toBe(1);
          expect(await page.getByText('Quinn: vague on safety planning.').count()).toBe(0);
          const form = page.locator('form.scorecard-form');
          await form.scrollIntoViewIfNeeded();
          expect(await pageProblems(page, `scorecard form ${size.width}`)).toEqual([]);

          for (const [i, c] of kit.competencies.entries()) {
            await form
              .getByRole('group', { name: c.name })
              .getByLabel(i === 0 ? 'Not assessed' : 'Strong yes', { exact: true })
              .check();
          }
          await form.getByRole('group', { name: 'Overall recommendation' }).getByLabel('Yes', { exact: true }).check();
          await form.getByLabel(/^Notes/).fill('Clear, structured risk assessment; strong group skills.');
          await Promise.all([page.waitForURL(/notice=scored/), form.getByRole('button', { name: 'Submit scorecard' }).click()]);

          expect(await page.getByText('Your scorecard was submitted.').count()).toBe(1);
          const table = page.getByRole('table', { name: /Ratings per competency and interviewer/ });
          expect(await table.getByRole('columnheader').allTextContents()).toEqual([
            'Competency',
            `${colleague.name}Clinical interview`,
            `${team.hiringManager.name}Clinical interview`,
            'Tally',
          ]);
          const second = table.getByRole('row', { name: new RegExp(`^${kit.competencies[1]!.name}`) });
          expect(await second.getByRole('cell').allTextContents()).toEqual(['No', 'Strong yes', '1 strong yes, 1 no · 50% yes']);
          const first = table.getByRole('row', { name: new RegExp(`^${kit.competencies[0]!.name}`) });
          expect(await first.getByRole('cell').allTextContents()).toEqual(['No', 'Not assessed', '1 no · 0% yes']);
          expect(await page.getByText('Quinn: vague on safety planning.').count()).toBe(1);
          expect(await page.locator('form.scorecard-form').count()).toBe(0);
          await table.scrollIntoViewIfNeeded();
          expect(await pageProblems(page, `scorecard summary ${size.width}`)).toEqual([]);

          await page.goto(`${base}/employer/jobs/${jobId}/kit`);
          expect(await pageProblems(page, `interview kit ${size.width}`)).toEqual([]);
          expect(await page.locator('.kit h2').allTextContents()).toEqual(kit.competencies.map((c) => c.name));
          expect(await page.getByRole('heading', { name: 'Add a competency' }).count()).toBe(1);
        } finally {
          await ctx.close();
        }
      });
    }
  },
);
