import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { applications, interviewLinks, interviews } from '#db/schema';
import { linkView } from '#lib/interviews/scheduling';
import { proposeInterview } from '#lib/interviews/service';
import { createSession } from '#lib/auth/session';
import { hasChromium, launchBrowser, pageProblems } from '../helpers/browser';
import { makeJob, makeTeam, makeUser, type Job, type Team } from '../helpers/factories';
import { calendarAttachment, parseIcs } from '../helpers/ics';
import { fakeMail } from '../helpers/mail';
import { waitForMail } from '../helpers/mailbox';
import { useServerDb } from '../helpers/test-db';

/**
 * The interview journey in Chromium against the built server, on a phone (390×844) and a laptop
 * (1280×900): a hiring manager proposes times on the application page, the candidate opens the
 * emailed link signed out and picks one, and both then see the interview scheduled. axe-core finds
 * nothing on any page and no page scrolls sideways.
 */
const base = inject('serverUrl');
const dataDir = inject('serverDataDir');
const SHOTS = path.resolve('tests/e2e/screenshots');
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

function context(browser: Browser, size: (typeof SIZES)[number], cookie?: string): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: size.width, height: size.height }, extraHTTPHeaders: cookie ? { cookie: `__Host-session=${cookie}` } : {} });
}

/** "YYYY-MM-DD" n days from now (the form's times are wall-clock times in the job's zone). */
const day = (n: number) => new Date(Date.now() + n * 24 * 3600_000).toISOString().slice(0, 10);

describe.skipIf(!base || !hasChromium)(
  `interview scheduling in Chromium (${inject('unavailable') || (hasChromium ? 'services available' : 'no /usr/bin/chromium')})`,
  () => {
    const h = useServerDb();
    let browser: Browser;
    let team: Team;
    let job: Job;
    let managerCookie: string;
    beforeAll(async () => {
      browser = await launchBrowser();
      team = await makeTeam(h.db);
      job = await makeJob(h.db, team.org.id, { state: 'PA', title: 'Group Therapist – Adolescent IOP' });
      managerCookie = (await createSession(h.db, team.hiringManager.id, { activeOrgId: team.org.id })).token;
    });
    afterAll(async () => {
      await browser?.close();
    });

    for (const [i, size] of SIZES.entries()) {
      it(`at ${size.width}×${size.height}: manager proposes, the candidate picks from the emailed link, both see it scheduled; axe finds nothing`, async () => {
        const failures: string[] = [];
        const candidate = await makeUser(h.db, { name: `Jordan Rivera ${size.name}` });
        const [app] = await h.db
          .insert(applications)
          .values({ jobId: job.id, candidateId: candidate.id, stage: 'interview' })
          .returning({ id: applications.id });
        const since = Date.now();

        // The hiring manager proposes two times on the application page.
        const mgr = await context(browser, size, managerCookie);
        const page = await mgr.newPage();
        await page.goto(`${base}/employer/applications/${app!.id}`);
        failures.push(...(await pageProblems(page, 'application page (no interviews)')));
        await page.locator('#interviews').screenshot({ path: path.join(SHOTS, `interviews-propose-${size.name}.png`) });
        const section = page.getByRole('region', { name: 'Interviews' });
        await section.getByLabel('Kind').selectOption('clinical_interview');
        await section.getByLabel('Where').selectOption('video');
        await section.getByLabel('Address, phone or link').fill('https://meet.example.org/iop-interview');
        await section
          .getByLabel('Time 1', { exact: false })
          .first()
          .fill(`${day(20 + i)}T10:00`);
        await section.getByLabel(/^Time 2/).fill(`${day(21 + i)}T14:30`);
        await section.getByRole('button', { name: 'Send the times to the candidate' }).click();
        // The session rides as a header here (a __Host- cookie cannot be planted on a plain-http origin), and Chromium
        // drops that header when it follows the 303 after a POST; so wait for the redirect, then open the page again.
        await page.waitForURL(/notice=interview-proposed|sign-in/);
        await page.goto(`${base}/employer/applications/${app!.id}`);
        await expect.poll(() => section.getByText('Waiting for the candidate to pick a time').count()).toBe(1);
        failures.push(...(await pageProblems(page, 'application page (proposed)')));

        // The candidate opens the link from the email, signed out, and books the second time.
        const mail = await waitForMail(dataDir, candidate.email, { subject: /Choose a time/, since, timeoutMs: 20_000 });
        const link = mail.links.find((l) => l.includes('/interviews/schedule/'));
        expect(link).toBeDefined();
        const anon = await context(browser, size);
        const cpage = await anon.newPage();
        await cpage.goto(link!.replace(/^https?:\/\/[^/]+/, base));
        await expect.poll(() => cpage.getByText('Eastern Time (America/New_York)').count()).toBeGreaterThan(0);
        failures.push(...(await pageProblems(cpage, 'scheduling page')));
        await cpage.screenshot({ path: path.join(SHOTS, `interview-pick-${size.name}.png`), fullPage: true });
        await cpage.getByRole('radio').nth(1).check();
        await cpage.getByRole('button', { name: 'Book this time' }).click();
        await cpage.waitForURL(/notice=picked/);
        await expect.poll(() => cpage.getByText('You are booked.').count()).toBe(1);
        failures.push(...(await pageProblems(cpage, 'scheduling page (booked)')));
        // The used link now refuses politely.
        const reused = await cpage.goto(link!.replace(/^https?:\/\/[^/]+/, base));
        expect(reused?.status()).toBe(410);
        await expect.poll(() => cpage.getByText('A time was already picked with this link.').count()).toBe(1);

        // Both see it scheduled: the manager's application page and the candidate's account.
        await page.goto(`${base}/employer/applications/${app!.id}`);
        await expect.poll(() => section.getByText('Scheduled', { exact: true }).count()).toBe(1);
        await expect.poll(() => section.getByText('2:30 PM', { exact: false }).count()).toBeGreaterThan(0);
        failures.push(...(await pageProblems(page, 'application page (scheduled)')));
        await page.locator('#interviews').screenshot({ path: path.join(SHOTS, `interviews-team-${size.name}.png`) });
        const mine = await context(browser, size, (await createSession(h.db, candidate.id)).token);
        const mpage = await mine.newPage();
        await mpage.goto(`${base}/account/applications/${app!.id}`);
        const interviews = mpage.getByRole('region', { name: 'Interviews' });
        await expect.poll(() => interviews.getByText('Clinical interview').count()).toBe(1);
        await expect.poll(() => interviews.getByText(/2:30 PM/).count()).toBeGreaterThan(0);
        failures.push(...(await pageProblems(mpage, 'candidate account page')));
        // The invitation reached the interviewer too.
        const invite = await waitForMail(dataDir, team.hiringManager.email, { subject: /picked/, since, timeoutMs: 20_000 });
        // As sent over the wire: a text/calendar; method=REQUEST attachment, which a real parser reads back.
        const ics = calendarAttachment(fs.readFileSync(invite.file, 'utf8'));
        expect(ics).not.toBeNull();
        expect(parseIcs(ics!)).toMatchObject({ method: 'REQUEST', tzid: 'America/New_York', localStart: '14:30', sequence: 0 });
        await Promise.all([mgr.close(), anon.close(), mine.close()]);
        expect(failures).toEqual([]);
      }, 120_000);
    }

    it('refuses scheduling links with a clear 4xx page: another interview’s time (400), expired (410), unknown (404)', async () => {
      const mail = fakeMail(h.db);
      const mk = async () => {
        const c = await makeUser(h.db);
        const [a] = await h.db.insert(applications).values({ jobId: job.id, candidateId: c.id }).returning({ id: applications.id });
        const r = await proposeInterview(h.db, mail, team.actors.hiring_manager, {
          applicationId: a!.id,
          kind: 'phone_screen',
          durationMinutes: 30,
          place: 'phone',
          placeDetail: '412-555-0100',
          timeZone: 'America/New_York',
          interviewerIds: [team.recruiter.id],
          slots: [`${day(30)}T09:00`],
        });
        const v = await linkView(h.db, r.token);
        if (v.state === 'unknown') throw new Error('unknown');
        return { ...r, slotId: v.slots[0]!.id, version: v.interview.version };
      };
      const one = await mk();
      const two = await mk();
      const post = (token: string, form: Record<string, string>) =>
        fetch(`${base}/interviews/schedule/${token}?_action=interviews.pick`, {
          method: 'POST',
          headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form),
          redirect: 'manual',
        });
      const cross = await post(one.token, { token: one.token, slotId: two.slotId, version: String(one.version) });
      expect(cross.status).toBe(400);
      expect(await cross.text()).toContain('Choose one of the times offered on this page.');
      await h.db
        .update(interviewLinks)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(interviewLinks.interviewId, one.interviewId));
      const expired = await fetch(`${base}/interviews/schedule/${one.token}`);
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain('This scheduling link has expired.');
      const late = await post(one.token, { token: one.token, slotId: one.slotId, version: String(one.version) });
      expect(late.status).toBe(409);
      expect((await h.db.select().from(interviews).where(eq(interviews.id, one.interviewId)))[0]!.status).toBe('proposed');
      expect((await fetch(`${base}/interviews/schedule/${'c'.repeat(32)}`)).status).toBe(404);
    });
  },
);
