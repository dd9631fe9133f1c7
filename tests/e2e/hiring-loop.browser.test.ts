import crypto from 'node:crypto';
import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applications, interviews } from '#db/schema';
import { hasChromium, launchBrowser, pageProblems, signIn } from '../helpers/browser';
import { isoDay, makeApplication, makeJob, makeTeam, makeUser, type Team } from '../helpers/factories';
import { calendarAttachment, parseIcs } from '../helpers/ics';
import { waitForMail } from '../helpers/mailbox';
import { moveInterviewToPast } from '../helpers/scorecards';
import { useServerDb } from '../helpers/test-db';

/**
 * The whole hiring loop of issue 11 in Chromium against the built server, at the reference phone
 * (390×844) and a laptop (1280×900), every step through the site's own forms:
 *  1. a hiring manager, signed in through the sign-in form, proposes two times on the application
 *     page, with herself as the interviewer;
 *  2. the candidate opens the link from the email the app actually sent and books one; the
 *     interviewer's email carries the calendar invitation (read back by ical.js);
 *  3. once the interview is over (moved into the past in the database, as the scorecard tests
 *     arrange it), the interviewer submits her scorecard and sees the summary;
 *  4. the manager sends an offer, the candidate accepts it in their account, and the application
 *     is Hired.
 * axe-core finds nothing on any page visited and no page scrolls sideways.
 */
const base = inject('serverUrl');
const dataDir = inject('serverDataDir');
const SIZES = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
] as const;
const DAY = 86_400_000;

describe.skipIf(!base || !hasChromium)(
  `the hiring loop in Chromium (${inject('unavailable') || (hasChromium ? 'services available' : 'no /usr/bin/chromium')})`,
  () => {
    const h = useServerDb();
    let browser: Browser;
    let team: Team;

    beforeAll(async () => {
      browser = await launchBrowser();
      team = await makeTeam(h.db, `Laurel Ridge ${crypto.randomBytes(2).toString('hex')}`);
    });
    afterAll(async () => {
      await browser?.close();
    });

    for (const [i, size] of SIZES.entries()) {
      it(`at ${size.width}×${size.height}: propose → candidate books from the email → scorecard → offer accepted → Hired; axe finds nothing`, async () => {
        const problems: string[] = [];
        const check = async (page: Page, what: string) => problems.push(...(await pageProblems(page, `${what} ${size.width}`)));
        const job = await makeJob(h.db, team.org.id, { title: `Primary Therapist – Adult IOP ${size.width}`, role: 'therapist' });
        const candidate = await makeUser(h.db, { name: `Avery Candidate ${size.width}` });
        const app = await makeApplication(h.db, job.id, candidate.id, 'interview');
        const appPath = `/employer/applications/${app.id}`;
        const since = Date.now();
        const manager = await signIn(browser, base, size, team.hiringManager.email, appPath);
        const person = await signIn(browser, base, size, candidate.email);
        const mp = manager.page;
        const cp = person.page;
        try {
          // 1. The manager proposes two times (in the job's zone), herself as the interviewer (checked for her).
          await check(mp, 'application page');
          const section = mp.getByRole('region', { name: 'Interviews' });
          await section.getByLabel('Kind').selectOption('clinical_interview');
          await section.getByLabel('Where').selectOption('video');
          await section.getByLabel('Address, phone or link').fill('https://meet.example.org/laurel-ridge');
          expect(await section.getByRole('checkbox', { name: team.hiringManager.name }).isChecked()).toBe(true);
          const day = isoDay(new Date(Date.now() + (10 + i) * DAY));
          await section.getByLabel(/^Time 1/).fill(`${day}T10:00`);
          await section.getByLabel(/^Time 2/).fill(`${day}T15:00`);
          await Promise.all([mp.waitForURL(/notice=interview-proposed/), section.getByRole('button', { name: 'Send the times to the candidate' }).click()]);
          expect(await section.getByText('Waiting for the candidate to pick a time').count()).toBe(1);
          await check(mp, 'application page, times proposed');

          // 2. The candidate opens the link in the email the app sent, and books the afternoon.
          const invite = await waitForMail(dataDir, candidate.email, { subject: /Choose a time/, since, timeoutMs: 20_000 });
          const link = invite.links.find((l) => l.includes('/interviews/schedule/'));
          expect(link, invite.text).toBeDefined();
          await cp.goto(link!.replace(/^https?:\/\/[^/]+/, base));
          await check(cp, 'scheduling page');
          await cp.getByRole('radio').nth(1).check();
          await Promise.all([cp.waitForURL(/notice=picked/), cp.getByRole('button', { name: 'Book this time' }).click()]);
          expect(await cp.getByText('You are booked.').count()).toBe(1);
          await check(cp, 'scheduling page, booked');
          // The interviewer's invitation: METHOD:REQUEST, in the job's zone, at the time booked, to her.
          const picked = await waitForMail(dataDir, team.hiringManager.email, { subject: /picked/, since, timeoutMs: 20_000 });
          const ics = calendarAttachment(fs.readFileSync(picked.file, 'utf8'));
          expect(ics, picked.text).not.toBeNull();
          const event = parseIcs(ics!);
          expect(event).toMatchObject({ method: 'REQUEST', tzid: 'America/New_York', localStart: '15:00', sequence: 0 });
          expect(event.attendees.map((a) => a.toLowerCase())).toContain(`mailto:${team.hiringManager.email}`);

          // 3. The interview took place (hours after booking, here moved into the past); the interviewer scores it.
          const [iv] = await h.db.select({ id: interviews.id, status: interviews.status }).from(interviews).where(eq(interviews.applicationId, app.id));
          expect(iv?.status).toBe('scheduled');
          await moveInterviewToPast(h.db, iv!.id, 2 + 3 * i);
          await mp.goto(`${base}${appPath}`);
          const form = mp.locator('form.scorecard-form');
          await form.scrollIntoViewIfNeeded();
          await check(mp, 'scorecard form');
          const groups = form.getByRole('group');
          const competencies = (await groups.locator('legend').allTextContents()).filter((n) => n !== 'Overall recommendation');
          expect(competencies.length).toBeGreaterThan(1);
          for (const name of competencies) await form.getByRole('group', { name, exact: true }).getByLabel('Strong yes', { exact: true }).check();
          await form.getByRole('group', { name: 'Overall recommendation' }).getByLabel('Strong yes', { exact: true }).check();
          await form.getByLabel(/^Notes/).fill('Thorough safety planning; runs a process group with warmth.');
          await Promise.all([mp.waitForURL(/notice=scored/), form.getByRole('button', { name: 'Submit scorecard' }).click()]);
          expect(await mp.getByText('Your scorecard was submitted.').count()).toBe(1);
          const summary = mp.getByRole('table', { name: /Ratings per competency and interviewer/ });
          expect(await summary.getByRole('columnheader').allTextContents()).toEqual(['Competency', `${team.hiringManager.name}Clinical interview`, 'Tally']);
          const firstRow = summary.getByRole('row').filter({ has: mp.getByRole('rowheader', { name: competencies[0], exact: true }) });
          expect(await firstRow.getByRole('cell').allTextContents()).toEqual(['Strong yes', '1 strong yes · 100% yes']);
          await summary.scrollIntoViewIfNeeded();
          await check(mp, 'scorecard summary');

          // 4. The manager sends an offer inside the posted range; the candidate accepts it in their account.
          await mp.getByLabel('Pay ($)').fill('72,000');
          await mp.getByLabel('Per', { exact: true }).selectOption('year');
          await mp.getByLabel('Start date').fill(isoDay(new Date(Date.now() + 30 * DAY)));
          await mp.getByLabel('Schedule').fill('Mon–Fri 9:00–3:30, adult IOP');
          await Promise.all([mp.waitForURL(/notice=offer-sent/), mp.getByRole('button', { name: 'Send the offer' }).click()]);
          expect(await mp.getByText(/^Offer sent to the candidate by email\.$/).count()).toBe(1);
          await check(mp, 'application page, offer sent');
          await waitForMail(dataDir, candidate.email, { subject: /Your offer for/, since, timeoutMs: 20_000 });
          await cp.goto(`${base}/account/applications/${app.id}`);
          expect(await cp.getByText('$72,000 a year').count()).toBe(1);
          await check(cp, 'account application, offer');
          await Promise.all([cp.waitForURL(/notice=offer-accepted/), cp.getByRole('button', { name: 'Accept the offer' }).click()]);
          expect(await cp.getByText('You accepted the offer. The hiring team has been told.').count()).toBe(1);
          await check(cp, 'account application, accepted');

          // Hired, in the database and on the team's page.
          const [row] = await h.db.select({ stage: applications.stage }).from(applications).where(eq(applications.id, app.id));
          expect(row?.stage).toBe('hired');
          await mp.goto(`${base}${appPath}`);
          expect(await mp.locator('.lead').getByText('Hired', { exact: true }).count()).toBe(1);
          await check(mp, 'application page, hired');
        } finally {
          await Promise.all([manager.ctx.close(), person.ctx.close()]);
        }
        expect(problems).toEqual([]);
      });
    }
  },
);
