import crypto from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations, describeViolations, hasChromium, launchBrowser } from '../helpers/browser';
import { waitForMail } from '../helpers/mailbox';

/**
 * Real Chromium against the built server: an employer signs up, creates an
 * organization, invites a recruiter (who follows the emailed link), writes and
 * publishes a posting that then shows up in search; a candidate signs up and
 * confirms their email. Sign-up always answers "check your email"; an account
 * signs in once its address is confirmed. axe-core checks every page on the way.
 */
const base = inject('serverUrl');
const dataDir = inject('serverDataDir');
const run = crypto.randomBytes(3).toString('hex');
const employerEmail = `employer-${run}@example.com`;
const recruiterEmail = `recruiter-${run}@example.com`;
const candidateEmail = `candidate-${run}@example.com`;
const orgName = `Bayside Recovery ${run.toUpperCase()}`;
/** A word no generated posting uses, so search finds exactly ours. */
const marker = `Quillfeather${run.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`;
const jobTitle = `LCSW Evening Therapist ${marker}`;

describe.skipIf(!base || !hasChromium)(`employer and candidate journeys in Chromium (${inject('unavailable') || 'services available'})`, () => {
  let browser: Browser;
  let employer: BrowserContext;
  let page: Page;
  let orgPath = '';

  async function expectAccessible(p: Page, label: string) {
    const v = await axeViolations(p);
    expect(v, `${label}: ${describeViolations(v)}`).toEqual([]);
  }

  /** After sign-up: the "check your email" page, the emailed link, Confirm, then sign in (back to where sign-up was headed). */
  async function confirmAndSignIn(p: Page, email: string, password: string, opts: { checkA11y?: boolean } = {}) {
    await p.waitForURL(/\/sign-up\/check-email/);
    expect(await p.getByRole('status').first().textContent()).toMatch(/Check your email to continue/);
    // Not signed in before the address is confirmed.
    expect((await p.context().cookies()).filter((c) => c.name.includes('session'))).toEqual([]);
    if (opts.checkA11y) await expectAccessible(p, '/sign-up/check-email');
    const mail = await waitForMail(dataDir, email, { subject: /Confirm your email/ });
    const link = mail.links.find((l) => l.includes('/verify-email?token='))!;
    expect(link).toBeDefined();
    await p.goto(link);
    if (opts.checkA11y) await expectAccessible(p, '/verify-email');
    await p.getByRole('button', { name: 'Confirm my email address' }).click();
    const notice = p.getByRole('status').first();
    await expect.poll(() => notice.textContent()).toMatch(/Your email address is confirmed/);
    await notice.getByRole('link', { name: 'Sign in' }).click();
    await p.waitForURL(/\/sign-in/);
    await p.getByLabel('Email').fill(email);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    employer = await browser.newContext();
    page = await employer.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('an employer signs up from “For employers”, confirms the emailed link, signs in and lands on creating an organization', async () => {
    await page.goto(`${base}/employer`);
    await expectAccessible(page, '/employer');
    await page.getByRole('link', { name: 'Create an employer account' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-up');
    await expectAccessible(page, '/sign-up');
    await page.getByLabel('Your name').fill('Erin Employer');
    await page.getByLabel('Email').fill(employerEmail);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await confirmAndSignIn(page, employerEmail, 'correct horse battery', { checkA11y: true });
    await page.waitForURL(/\/employer\/new$/);
    const cookies = await employer.cookies();
    const session = cookies.find((c) => c.name === '__Host-session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
  });

  it('shows what to fix when the organization form is wrong, then creates it', async () => {
    await expectAccessible(page, '/employer/new');
    await page.getByLabel('Organization name').fill(orgName);
    await page.getByLabel('Program locations').fill('Tampa FL');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/should look like/);
    await expectAccessible(page, '/employer/new with errors');
    await page.getByLabel('Program locations').fill('Tampa, FL\nSt. Petersburg, FL');
    await page.getByLabel('Website').fill('bayside.example.org');
    await page.getByLabel('Short description').fill('Adult and adolescent PHP and IOP on Tampa Bay.');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL(/\/employer\/bayside-recovery-[a-z0-9]+\?notice=created$/);
    orgPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Postings');
    await expectAccessible(page, 'dashboard');
  });

  it('invites a recruiter, who follows the emailed link, signs up and joins', async () => {
    await page.goto(`${base}${orgPath}/members`);
    await expectAccessible(page, 'members');
    await page.getByLabel('Their email').fill(recruiterEmail);
    await page.getByLabel('Role', { exact: true }).selectOption('recruiter');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`Invitation sent to ${recruiterEmail}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Pending invitations' }).isVisible()).toBe(true);

    const mail = await waitForMail(dataDir, recruiterEmail, { subject: new RegExp(`invited you to ${orgName}`) });
    const link = mail.links.find((l) => l.includes('/invitations/'))!;
    expect(link).toMatch(/\/invitations\/[a-z2-7]{32}$/);

    const ctx = await browser.newContext();
    const r = await ctx.newPage();
    await r.goto(link);
    await expectAccessible(r, 'invitation (signed out)');
    await r.getByRole('link', { name: 'Create an account to accept' }).click();
    await expect.poll(() => r.getByLabel('Email').inputValue()).toBe(recruiterEmail);
    await r.getByLabel('Your name').fill('Riley Recruiter');
    await r.getByLabel('Password').fill('another good passphrase');
    await r.getByRole('button', { name: 'Create account' }).click();
    await confirmAndSignIn(r, recruiterEmail, 'another good passphrase');
    await r.waitForURL(/\/invitations\//);
    await expectAccessible(r, 'invitation (signed in)');
    await r.getByRole('button', { name: new RegExp(`Accept and join ${orgName}`) }).click();
    await r.waitForURL(/notice=joined/);
    expect(await r.getByRole('status').first().textContent()).toContain(`You joined ${orgName}`);
    // A recruiter reads postings but cannot write them.
    expect(await r.getByRole('link', { name: 'New posting' }).count()).toBe(0);
    const resp = await r.goto(`${base}${orgPath}/jobs/new`);
    expect(resp?.status()).toBe(403);
    await ctx.close();

    await page.goto(`${base}${orgPath}/members`);
    const row = page.getByRole('row', { name: /Riley Recruiter/ });
    await expect.poll(() => row.getByRole('combobox').inputValue()).toBe('recruiter');
  });

  it('writes a posting with a live Markdown preview and screening questions, and publishes it', async () => {
    await page.goto(`${base}${orgPath}`);
    await page.getByRole('link', { name: 'New posting' }).click();
    await page.waitForURL(/\/jobs\/new$/);
    await expectAccessible(page, 'new posting');
    await page.getByLabel('Job title').fill(jobTitle);
    await page.getByLabel('Role', { exact: true }).selectOption('therapist');
    await page.getByLabel('Program type').selectOption('IOP');
    await page.getByLabel('Work setting').selectOption('hybrid');
    await page.getByLabel('Schedule').selectOption('evenings');
    await page.getByLabel('Program track').selectOption('evening');
    await page.getByLabel('From ($)').fill('68000');
    await page.getByLabel('To ($)').fill('82000');
    await page.getByLabel('City').fill('Tampa');
    await page.getByLabel('State').selectOption('FL');
    await page.getByLabel('ZIP code').fill('33602');
    await page.getByRole('checkbox', { name: /LCSW/ }).check();
    await page.getByRole('checkbox', { name: /LMHC/ }).check();
    await page.getByRole('checkbox', { name: 'Adults', exact: true }).check();
    await page
      .getByLabel('Description (Markdown)')
      .fill(
        `## What you will do\n\nLead **process groups** for adults in our evening IOP.\n\n- Individual sessions\n- Family sessions\n\n<script>alert(1)</script>`,
      );
    // The preview is rendered by the server with the posting page's sanitizer.
    const preview = page.locator('#md-preview');
    await expect.poll(() => preview.locator('h2').textContent(), { timeout: 5000 }).toBe('What you will do');
    expect(await preview.locator('strong').textContent()).toBe('process groups');
    expect(await preview.locator('script').count()).toBe(0);

    const q1 = page.getByRole('group', { name: 'Question 1' });
    await q1.getByLabel(/^Question/).fill('Do you hold an active LCSW or LMHC in Florida?');
    await q1.getByLabel('Answer type').selectOption('yes_no');
    await q1.getByLabel(/^Knockout answer/).fill('no');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.waitForURL(/notice=published/);
    expect(await page.getByRole('status').first().textContent()).toMatch(/Published/);
    await expectAccessible(page, 'posting (edit page)');
  });

  it('shows the published posting in search, on its page and on the organization’s page', async () => {
    const found = async () => {
      await page.goto(`${base}/jobs?q=${marker}`);
      return page.getByRole('link', { name: jobTitle }).count();
    };
    await expect.poll(found, { timeout: 20_000, interval: 500 }).toBe(1);
    // At desktop width a click opens the preview pane beside the results; the link itself leads to the job page.
    const href = await page.getByRole('link', { name: jobTitle }).getAttribute('href');
    await page.goto(`${base}${href}`);
    await page.waitForURL(/\/jobs\/lcsw-evening-therapist-/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(jobTitle);
    expect(await page.locator('.prose script').count()).toBe(0);

    await page.goto(`${base}/organizations/${orgPath.split('/').pop()}`);
    expect(await page.getByRole('link', { name: jobTitle }).count()).toBe(1);
    const ld = await page.locator('script[type="application/ld+json"]').allTextContents();
    expect(ld.map((s) => JSON.parse(s)['@type'])).toContain('Organization');
    await expectAccessible(page, 'organization page');
  });

  it('keeps an activity log and an editable profile for admins', async () => {
    await page.goto(`${base}${orgPath}/audit`);
    await expectAccessible(page, 'activity');
    const actions = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions).toEqual(expect.arrayContaining(['organization.created', 'invitation.created', 'member.joined', 'job.created_published']));
    await page.goto(`${base}${orgPath}/settings`);
    await expectAccessible(page, 'organization profile');
    expect(await page.getByLabel('Program locations').inputValue()).toBe('Tampa, FL\nSt. Petersburg, FL');
  });

  it('a candidate signs up and confirms their email address', async () => {
    const ctx = await browser.newContext();
    const c = await ctx.newPage();
    await c.goto(`${base}/sign-in`);
    await expectAccessible(c, '/sign-in');
    await c.getByRole('link', { name: 'Create an account' }).click();
    await c.getByLabel('Your name').fill('Casey Candidate');
    await c.getByLabel('Email').fill(candidateEmail);
    await c.getByLabel('Password').fill('short');
    await c.getByLabel('Password').evaluate((el) => el.removeAttribute('minlength')); // let the server judge
    await c.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => c.getByRole('alert').textContent()).toMatch(/at least 8 characters/);
    await expectAccessible(c, '/sign-up with errors');
    expect(await c.getByLabel('Email').inputValue()).toBe(candidateEmail);
    await c.getByLabel('Password').fill('a fine long passphrase');
    await c.getByRole('button', { name: 'Create account' }).click();
    await confirmAndSignIn(c, candidateEmail, 'a fine long passphrase');
    await c.waitForURL(/\/account$/);
    expect(await c.getByText('Confirmed', { exact: true }).count()).toBe(1);
    await expectAccessible(c, '/account');
    await ctx.close();
  });

  it('a candidate who forgot their password resets it with the emailed, single-use link', async () => {
    const ctx = await browser.newContext();
    const c = await ctx.newPage();
    await c.goto(`${base}/sign-in`);
    await c.getByRole('link', { name: 'Forgot your password?' }).click();
    await expectAccessible(c, '/forgot-password');
    await c.getByLabel('Email').fill(candidateEmail);
    await c.getByRole('button', { name: 'Send the link' }).click();
    await expect.poll(() => c.getByRole('status').first().textContent()).toMatch(/If an account uses that address/);
    const mail = await waitForMail(dataDir, candidateEmail, { subject: /Reset your password/ });
    const link = mail.links.find((l) => l.includes('/reset-password?token='))!;
    await c.goto(link);
    await expectAccessible(c, '/reset-password');
    await c.getByLabel('New password', { exact: true }).fill('my new passphrase');
    await c.getByLabel('Confirm new password').fill('my new passphrase');
    await c.getByRole('button', { name: 'Set new password' }).click();
    await c.waitForURL(/\/sign-in\?notice=reset$/);
    await c.getByLabel('Email').fill(candidateEmail);
    await c.getByLabel('Password').fill('my new passphrase');
    await c.getByRole('button', { name: 'Sign in' }).click();
    await c.waitForURL(/\/account$/);
    const again = await c.goto(link);
    expect(again?.status()).toBe(400);
    expect(await c.getByText('This reset link has expired or was already used.').count()).toBe(1);
    await ctx.close();
  });
});
