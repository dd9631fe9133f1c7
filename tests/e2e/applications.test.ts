import fs from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rows } from '#db/client';
import { applicationEvents, applications, organizations, resumes, users } from '#db/schema';
import { axeViolations, describeViolations, hasChromium, launchBrowser } from '../helpers/browser';
import { makePdf } from '../helpers/documents';
import { makeJob, makeQuestions } from '../helpers/factories';
import { waitForMail } from '../helpers/mailbox';
import { useServerDb } from '../helpers/test-db';

/**
 * The applicant journey in real Chromium against the built server, signed in
 * through the sign-in form as the demo users:
 *   candidate: profile with two licenses → resume upload → apply with screening answers
 *   recruiter: screening filtered by license state → verify a license → move to Interview
 *   candidate: sees the new status;  hiring manager: exports CSV, runs the board by keyboard;
 *   another organization's admin: 404 on every applicant URL, download, export and action.
 * axe-core checks every page on the way.
 */
const base = inject('serverUrl');
const dataDir = inject('serverDataDir');
const PASSWORD = 'demo-password-1';
const JOB_TITLE = 'Primary Therapist – Adult IOP (Cherry Hill)';

describe.skipIf(!base || !hasChromium)(`applications in Chromium (${inject('unavailable') || 'services available'})`, () => {
  let browser: Browser;
  const h = useServerDb();
  let job: { id: string; slug: string };
  const contexts: Record<string, BrowserContext> = {};

  async function expectAccessible(p: Page, label: string) {
    const v = await axeViolations(p);
    expect(v, `${label}: ${describeViolations(v)}`).toEqual([]);
  }

  async function signedIn(email: string): Promise<Page> {
    contexts[email] ??= await browser.newContext({ acceptDownloads: true });
    const page = await contexts[email]!.newPage();
    if ((await contexts[email]!.cookies()).some((c) => c.name.includes('session'))) return page;
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
    return page;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    const [org] = await h.db.select().from(organizations).where(eq(organizations.slug, 'riverbend-behavioral-health'));
    const j = await makeJob(h.db, org!.id, {
      title: JOB_TITLE,
      state: 'NJ',
      city: 'Cherry Hill',
      zip: '08002',
      credentials: ['LPC', 'LCSW'],
    });
    await makeQuestions(h.db, j.id, [
      { kind: 'yes_no', prompt: 'Do you hold an active license to practice in New Jersey?', knockoutAnswer: 'no' },
      { kind: 'single_choice', prompt: 'Which track can you work?', options: ['Day', 'Evening', 'Either'] },
      { kind: 'short_text', prompt: 'Years of experience in PHP or IOP', required: false },
    ]);
    job = { id: j.id, slug: j.slug };
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a candidate completes a profile with two licenses', async () => {
    const page = await signedIn('candidate@demo.test');
    await page.goto(`${base}/account/profile`);
    await expectAccessible(page, '/account/profile');
    await page.getByLabel('Headline').fill('LPC and LCSW with six years in adult PHP and IOP');
    await page.getByLabel('Phone').fill('215-555-0134');
    await page
      .getByRole('group', { name: /Modalities/ })
      .getByLabel('Trauma-informed care')
      .check();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Your profile was saved.');

    const add = page.getByRole('form', { name: 'Add a license or certification' });
    // A mistake first: a state license without its state gets a message beside the field.
    await add.getByLabel('Credential').selectOption('LPC');
    await add.getByLabel('License number').fill('37PC00912300');
    await add.getByRole('button', { name: 'Add license' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/choose the state that issued it/);
    await expectAccessible(page, 'license form with an error');

    await add.getByLabel('Credential').selectOption('LPC');
    await add.getByLabel('Issuing state').selectOption('NJ');
    await add.getByLabel('License number').fill('37PC00912300');
    await add.getByLabel('Expiration date').fill('2031-03-31');
    await add.getByLabel('Multistate license or compact privilege').check();
    await add.getByRole('button', { name: 'Add license' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('The license was added.');

    await add.getByLabel('Credential').selectOption('LMFT');
    await add.getByLabel('Issuing state').selectOption('PA');
    await add.getByLabel('License number').fill('MF-4471');
    await add.getByLabel('Expiration date').fill(new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10));
    await add.getByRole('button', { name: 'Add license' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('The license was added.');

    await expect.poll(() => page.getByRole('heading', { level: 3, name: 'LPC · NJ' }).count()).toBe(1);
    const lmft = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'LMFT · PA' }) });
    await expect.poll(() => lmft.textContent()).toMatch(/Expires in (19|20) days/);
    await expectAccessible(page, '/account/profile with licenses');
  });

  it('uploads a resume, then applies with screening answers', async () => {
    const page = await signedIn('candidate@demo.test');
    await page.goto(`${base}/account/resumes`);
    await expectAccessible(page, '/account/resumes');
    // A renamed HTML file is refused with a message the person can act on.
    await page.getByLabel('Resume file (PDF or .docx)').setInputFiles({
      name: 'resume.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('<html><script>alert(1)</script></html>'),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not a PDF/);
    await page.getByLabel('Resume file (PDF or .docx)').setInputFiles({
      name: 'Alicia Moreno CV.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(makePdf(['Alicia Moreno, LPC, LCSW', 'Dialectical behavior therapy skills groups'])),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Your resume was uploaded.');
    await expect.poll(() => page.getByRole('link', { name: 'Alicia Moreno CV.pdf' }).count()).toBe(1);

    await page.goto(`${base}/jobs/${job.slug}`);
    await page.getByRole('link', { name: 'Apply now' }).click();
    await page.waitForURL(`${base}/jobs/${job.slug}/apply`);
    await expectAccessible(page, 'apply page');
    await page.getByLabel(/Alicia Moreno CV\.pdf/).check();
    // Submitting without the required answers: told which ones.
    await page.locator('form.apply-form').evaluate((f) => f.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Submit application' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Answer “Do you hold an active license.*Answer “Which track/);
    await expectAccessible(page, 'apply page with errors');
    await page
      .getByRole('group', { name: /active license to practice in New Jersey/ })
      .getByLabel('Yes')
      .check();
    await page
      .getByRole('group', { name: /Which track/ })
      .getByLabel('Either')
      .check();
    await page.getByLabel(/Years of experience in PHP or IOP/).fill('6');
    await page.getByLabel(/Cover note/).fill('I lead DBT skills groups in an adult IOP.');
    await page.getByLabel('Veteran status').selectOption('not_protected_veteran');
    await page.getByRole('button', { name: 'Submit application' }).click();
    await page.waitForURL(`${base}/jobs/${job.slug}/apply/confirmation`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Application sent');
    await expectAccessible(page, 'confirmation');
    const mail = await waitForMail(dataDir, 'candidate@demo.test', { subject: /We received your application/ });
    expect(mail.text).toContain(JOB_TITLE);

    // Applying again (back button, second tab) yields the same one application.
    await page.goto(`${base}/jobs/${job.slug}/apply`);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/You already applied/);
    const [{ n }] = (await rows<{ n: number }>(h.db, sql`select count(*)::int as n from applications where job_id = ${job.id}`)) as [{ n: number }];
    expect(n).toBe(1);

    await page.goto(`${base}/account/applications`);
    await expect.poll(() => page.getByRole('main').textContent()).toContain('Application received');
    await expectAccessible(page, '/account/applications');
  });

  it('a recruiter filters by license state, verifies a license and moves the candidate to Interview', async () => {
    const page = await signedIn('recruiter@demo.test');
    await page.goto(`${base}/employer/screening`);
    await expectAccessible(page, '/employer/screening');
    await page.getByLabel('License state').selectOption('NJ');
    await page.getByLabel('Search profiles and resumes').fill('dialectical');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/state=NJ/);
    const row = page.getByRole('row').filter({ hasText: 'Alicia Moreno' }).filter({ hasText: JOB_TITLE });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.textContent()).toMatch(/Eligible \(LPC\)/);
    await expectAccessible(page, 'screening results');
    await row.getByRole('link', { name: 'Alicia Moreno' }).click();
    await page.waitForURL(/\/employer\/applications\//);
    await expectAccessible(page, 'application page');

    await page.getByLabel('State board lookup page for LPC · NJ').fill('https://newjersey.mylicense.com/verification/');
    await page.getByRole('button', { name: 'Mark LPC · NJ verified' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('License marked as verified');
    await expect.poll(() => page.getByText(/Verified by Priya Raman on/).count()).toBe(1);

    await page.getByLabel('Move Alicia Moreno to').selectOption('interview');
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Moved to Interview');
    await expect.poll(() => page.getByRole('region', { name: 'History' }).textContent()).toMatch(/Moved from Applied to Interview.*Priya Raman/s);
    await expectAccessible(page, 'application page after changes');
    const mail = await waitForMail(dataDir, 'candidate@demo.test', { subject: /an interview/ });
    // (The .eml reader leaves a space where encoded words were folded: compare words, not spacing.)
    expect(mail.subject.split(/\s+/)).toEqual(`Next step for ${JOB_TITLE}: an interview`.split(/\s+/));
  });

  it('the candidate sees the status change', async () => {
    const page = await signedIn('candidate@demo.test');
    await page.goto(`${base}/account/applications`);
    const item = page.getByRole('listitem').filter({ hasText: JOB_TITLE });
    await expect.poll(() => item.textContent()).toContain('Interviewing');
    await item.getByRole('link', { name: JOB_TITLE }).click();
    await expect.poll(() => page.getByRole('region', { name: 'History' }).textContent()).toMatch(/Status changed to “Interviewing”/);
    // Internal notes, ratings and verifications never reach the candidate.
    expect(await page.getByRole('main').textContent()).not.toMatch(/verified|Priya/i);
    await expectAccessible(page, 'candidate application page');
  });

  it('the hiring manager exports the filtered view as CSV', async () => {
    const page = await signedIn('manager@demo.test');
    await page.goto(`${base}/employer/screening?state=NJ&verified=yes`);
    const link = page.getByRole('link', { name: /Export these \d+ as CSV/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^applicants-riverbend-behavioral-health-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe(
      '"Applicant","Email","Phone","City","State","Job","Job state","Stage","Applied","Knockout failed","Eligibility in job state","Licenses","Average rating","Application ID"',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"Alicia Moreno","candidate@demo.test"');
    expect(lines[1]).toContain('"Interview"');
    expect(lines[1]).toMatch(/LPC NJ, #37PC00912300, multistate, Valid through .*, verified \d{4}-\d{2}-\d{2} by Priya Raman/);
  });

  it('the board works with the keyboard alone, in both views, with no axe findings', async () => {
    const page = await signedIn('manager@demo.test');
    await page.goto(`${base}/employer/jobs/${job.id}/pipeline`);
    await expectAccessible(page, 'board');
    const interview = page.getByRole('region', { name: /^Interview/ });
    await expect.poll(() => interview.getByRole('link', { name: 'Alicia Moreno' }).count()).toBe(1);
    // Keyboard only: Tab until the card's "Move … to…" menu button has focus, open it, arrows to Offer, Enter.
    // (With JavaScript the card moves in place; the plain form is the no-JavaScript path, tested in employer-ux.)
    const target = 'Move Alicia Moreno to…';
    let found = false;
    for (let i = 0; i < 80 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate((name) => {
        const el = document.activeElement as HTMLElement | null;
        return !!el && el.getAttribute('aria-haspopup') === 'menu' && el.textContent?.replace(/\s+/g, ' ').trim() === name;
      }, target);
    }
    expect(found, 'reached the card’s move menu by Tab').toBe(true);
    await page.keyboard.press('Enter');
    for (let i = 0; i < 6; i++) {
      if ((await page.evaluate(() => document.activeElement?.textContent)) === 'Offer') break;
      await page.keyboard.press('ArrowDown');
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('menuitem');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#board-status').textContent()).toBe('Alicia Moreno moved to Offer.');
    const offer = page.getByRole('region', { name: /^Offer/ });
    await expect.poll(() => offer.getByRole('link', { name: 'Alicia Moreno' }).count()).toBe(1);
    // The selection checkbox toggles with Space; the bulk bar is reachable and labelled.
    await page.getByRole('checkbox', { name: 'Select Alicia Moreno' }).focus();
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: 'Select Alicia Moreno' }).isChecked()).toBe(true);
    await page.getByLabel('Move selected to').focus();
    await page.keyboard.press('s'); // Screening
    await page.getByRole('button', { name: 'Move selected' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/notice=bulk/);
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: /^Screening/ })
          .getByRole('link', { name: 'Alicia Moreno' })
          .count(),
      )
      .toBe(1);
    await expectAccessible(page, 'board after moves');
    await page.getByRole('link', { name: 'Table' }).click();
    await expect.poll(() => page.getByRole('table').getByRole('link', { name: 'Alicia Moreno' }).count()).toBe(1);
    await expectAccessible(page, 'table view');
    await page.goto(`${base}/employer/applications/email-templates`);
    await expectAccessible(page, 'email templates');
  });

  it('two members moving at once: the second is told and sees the current state', async () => {
    const a = await signedIn('manager@demo.test');
    const b = await signedIn('recruiter@demo.test');
    const [app] = await h.db.select({ id: applications.id }).from(applications).where(eq(applications.jobId, job.id));
    await a.goto(`${base}/employer/applications/${app!.id}`);
    await b.goto(`${base}/employer/applications/${app!.id}`);
    await a.getByLabel('Move Alicia Moreno to').selectOption('interview');
    await a.getByRole('button', { name: 'Move', exact: true }).click();
    await expect.poll(() => a.getByRole('status').first().textContent()).toContain('Moved to Interview');
    await b.getByLabel('Move Alicia Moreno to').selectOption('offer');
    await b.getByRole('button', { name: 'Move', exact: true }).click();
    await expect.poll(() => b.getByRole('alert').first().textContent()).toMatch(/was changed by Daniel Okafor .* now in Interview\. Your move was not applied/);
    await expect.poll(() => b.locator('.lead .stage').textContent()).toBe('Interview');
    await expectAccessible(b, 'conflict shown');
  });

  it('another organization gets 404 for every applicant page, action, download and export', async () => {
    const other = await signedIn('other-admin@demo.test');
    const req = other.request;
    const [app] = await h.db
      .select({ id: applications.id, resumeId: applications.resumeId, version: applications.version })
      .from(applications)
      .where(eq(applications.jobId, job.id));
    const [cand] = await h.db.select({ id: users.id }).from(users).where(eq(users.email, 'candidate@demo.test'));
    const [res] = await h.db.select({ id: resumes.id }).from(resumes).where(eq(resumes.userId, cand!.id));
    const before = await h.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, app!.id));
    const gets = [
      `/employer/jobs/${job.id}/pipeline`,
      `/employer/jobs/${job.id}/pipeline?view=table`,
      `/employer/applications/${app!.id}`,
      `/resumes/${res!.id}`,
      `/employer/screening?org=riverbend-behavioral-health`,
      `/employer/screening?job=${job.id}`,
      `/employer/screening.csv?org=riverbend-behavioral-health`,
      `/employer/screening.csv?job=${job.id}`,
      `/employer/applications/email-templates?org=riverbend-behavioral-health`,
      `/account/applications/${app!.id}`,
    ];
    for (const path of gets) expect(`${path} → ${(await req.get(`${base}${path}`, { maxRedirects: 0 })).status()}`).toBe(`${path} → 404`);
    // Actions, as form posts to the page and as RPC calls, with the other admin's session.
    const forms: [string, Record<string, string>][] = [
      ['applications.move', { applicationId: app!.id, version: String(app!.version), toStage: 'hired' }],
      ['applications.addNote', { applicationId: app!.id, body: 'peeking' }],
      ['applications.rate', { applicationId: app!.id, rating: '1' }],
      [
        'applications.verifyLicense',
        {
          applicationId: app!.id,
          licenseId: '00000000-0000-4000-8000-000000000000',
          lookupUrl: 'https://example.org/x',
        },
      ],
      ['applications.bulkMove', { jobId: job.id, selected: `${app!.id}:${app!.version}`, toStage: 'hired' }],
      ['applications.withdraw', { applicationId: app!.id, version: String(app!.version), confirm: 'on' }],
    ];
    for (const [name, form] of forms) {
      const viaPage = await req.post(`${base}/employer/applications/${app!.id}?_action=${name}`, {
        form,
        headers: { origin: base },
        maxRedirects: 0,
      });
      expect(`${name} (page) → ${viaPage.status()}`).toBe(`${name} (page) → 404`);
      const rpc = await req.post(`${base}/_actions/${name}`, { form, headers: { origin: base } });
      expect(`${name} (rpc) → ${rpc.status()}`).toBe(`${name} (rpc) → 404`);
    }
    const after = await h.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, app!.id));
    expect(after.length).toBe(before.length);
    // Signed out: the download asks to sign in (and says nothing about the file).
    const anon = await browser.newContext();
    const r = await anon.request.get(`${base}/resumes/${res!.id}`, { maxRedirects: 0 });
    expect(r.status()).toBe(303);
    expect(r.headers().location).toMatch(/^\/sign-in\?next=/);
    await anon.close();
    // The candidate and the hiring team download it as an attachment, never rendered.
    const mine = await (await signedIn('candidate@demo.test')).request.get(`${base}/resumes/${res!.id}`);
    expect(mine.status()).toBe(200);
    expect(mine.headers()).toMatchObject({ 'content-type': 'application/pdf', 'x-content-type-options': 'nosniff' });
    expect(mine.headers()['content-disposition']).toMatch(/^attachment; filename="Alicia Moreno CV.pdf"/);
  });
});
