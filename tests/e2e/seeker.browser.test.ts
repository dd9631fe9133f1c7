import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSession } from '#lib/auth/session';
import { setSaved } from '#lib/saved/service';
import { axeViolations, describeViolations, hasChromium, launchBrowser } from '../helpers/browser';
import { makeJob, makeOrg, makeTeam, makeUser, type Job, type Team } from '../helpers/factories';
import { useServerDb } from '../helpers/test-db';

/**
 * The job seeker's side of issue 10 in Chromium at 390×844 and 1280×900: organization logos
 * (uploaded, re-encoded, served immutable) or initials on cards, the Save heart with and without
 * JavaScript, the saved-jobs page, the desktop preview pane, and Back/Forward through searches.
 * Every page visited: no sideways scroll, axe-core finds nothing.
 */
const base = inject('serverUrl');
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;
const SHOTS = path.resolve('tests/e2e/screenshots');
const letters = (n: number) => Array.from(crypto.randomBytes(n), (b) => String.fromCharCode(97 + (b % 26))).join('');

function contextFor(browser: Browser, size: (typeof SIZES)[number], cookie?: string, javaScriptEnabled = true): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: size.width, height: size.height },
    javaScriptEnabled,
    extraHTTPHeaders: cookie ? { cookie: `__Host-session=${cookie}` } : {},
  });
}

/**
 * Submits a form without JavaScript and follows its 303 by hand: Chromium drops the test's
 * session header (extraHTTPHeaders) on a redirect it follows itself, and a __Host- cookie cannot
 * be planted for the plain-http test origin. Returns where the server sent the browser.
 */
async function postAndFollow(page: Page, submit: () => Promise<void>): Promise<string> {
  const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), submit()]);
  expect(res.status()).toBe(303);
  const location = res.headers().location ?? '';
  await page.goto(new URL(location, base).href);
  return location;
}

async function pageChecks(page: Page, label: string): Promise<string[]> {
  const failures: string[] = [];
  const o = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  if (o.scrollWidth > o.innerWidth) failures.push(`${label}: ${o.scrollWidth} px wide in a ${o.innerWidth} px window`);
  const v = await axeViolations(page);
  if (v.length) failures.push(`${label}: ${describeViolations(v)}`);
  return failures;
}

describe.skipIf(!base || !hasChromium)(`job seeker: logos, saved jobs, preview, history (${inject('unavailable') || 'services available'})`, () => {
  const h = useServerDb();
  let browser: Browser;
  let team: Team;
  let word: string;
  let withLogo: Job;
  let second: Job;
  let tele: Job;
  let closed: Job;
  let orgNoLogo: { name: string; slug: string };
  let candidate: string;
  let admin: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    word = letters(7);
    team = await makeTeam(h.db, `Saltmarsh Recovery ${letters(3)}`);
    const plain = await makeOrg(h.db, `Quiet Harbor Programs ${letters(3)}`);
    orgNoLogo = plain;
    withLogo = await makeJob(h.db, team.org.id, { title: `Primary Therapist ${word}`, payMin: 70000, payMax: 82000 });
    second = await makeJob(h.db, team.org.id, {
      title: `Group Therapist ${word}`,
      payMin: 38,
      payMax: 44,
      payPeriod: 'hour',
      postedAt: new Date(Date.now() - 3 * 86_400_000),
    });
    tele = await makeJob(h.db, plain.id, { title: `Telehealth Clinician ${word}`, setting: 'telehealth', state: 'OH' });
    closed = await makeJob(h.db, plain.id, { title: `Evening Clinician ${word}`, status: 'closed', closedAt: new Date() });
    const user = await makeUser(h.db, { name: 'Ren Okafor' });
    await setSaved(h.db, user.id, closed.id, true);
    await setSaved(h.db, user.id, tele.id, true);
    candidate = (await createSession(h.db, user.id)).token;
    admin = (await createSession(h.db, team.admin.id, { activeOrgId: team.org.id })).token;
    // The server's outbox worker indexes the new postings.
    for (let i = 0; i < 100; i++) {
      if (((await (await fetch(`${base}/api/jobs?q=${word}`)).json()) as { total: number }).total === 3) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('an admin uploads a logo: a GIF is refused with a message and nothing changes; a PNG is re-encoded and served immutable', async () => {
    const ctx = await contextFor(browser, SIZES[1], admin);
    const page = await ctx.newPage();
    const settings = `${base}/employer/${team.org.slug}/settings`;
    await page.goto(settings);
    const gif = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#0b5e6b' } })
      .gif()
      .toBuffer();
    await page.setInputFiles('#f-logo', { name: 'logo.png', mimeType: 'image/png', buffer: gif });
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Upload logo' }).click(),
    ]);
    expect(refused.status()).toBe(400);
    await expect.poll(() => page.locator('#f-logo-error').innerText()).toMatch(/PNG, JPEG or WebP.*GIF/);
    expect(await page.getByRole('img', { name: `${team.org.name} (no logo)` }).count()).toBe(1);
    const png = await sharp({ create: { width: 600, height: 600, channels: 4, background: '#0b5e6b' } })
      .png()
      .toBuffer();
    await page.setInputFiles('#f-logo', { name: 'logo.png', mimeType: 'image/png', buffer: png });
    expect(await postAndFollow(page, () => page.getByRole('button', { name: 'Upload logo' }).click())).toBe(`/employer/${team.org.slug}/settings?notice=logo`);
    const src = await page.getByRole('img', { name: `${team.org.name} logo` }).getAttribute('src');
    expect(src).toMatch(/^\/logos\/[0-9a-f]{32}\.webp$/);
    const res = await fetch(`${base}${src}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width]).toEqual(['webp', 256]);
    expect((await fetch(`${base}/logos/${'0'.repeat(32)}.webp`)).status).toBe(404);
    expect((await fetch(`${base}/logos/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    // Search documents carry the logo once the outbox has run.
    await expect
      .poll(
        async () => ((await (await fetch(`${base}/api/jobs?q=${word}`)).json()) as { hits: { orgLogo: string | null }[] }).hits.filter((x) => x.orgLogo).length,
        {
          timeout: 20_000,
        },
      )
      .toBe(2);
    await ctx.close();
  });

  for (const size of SIZES) {
    it(`at ${size.width}×${size.height}: cards with logo or initials, posted-ago, pay; saved page; organization and job pages; no overflow, axe zero`, async () => {
      const ctx = await contextFor(browser, size, candidate);
      const page = await ctx.newPage();
      const failures: string[] = [];
      await page.goto(`${base}/jobs?q=${word}`);
      const card = (title: string) => page.locator('.job-card', { has: page.getByRole('link', { name: title, exact: true }) });
      expect(await card(withLogo.title).locator('img.org-logo').getAttribute('alt')).toBe('');
      expect(await card(tele.title).locator('.org-logo.avatar').getAttribute('aria-hidden')).toBe('true');
      expect(await card(tele.title).locator('.org-logo.avatar').innerText()).toBe('QH');
      // Meilisearch keeps whole seconds.
      expect(await card(second.title).locator('time').getAttribute('datetime')).toBe(
        new Date(Math.floor(second.postedAt!.getTime() / 1000) * 1000).toISOString(),
      );
      expect(await card(second.title).innerText()).toMatch(/Posted 3 days ago/);
      expect(await card(second.title).innerText()).toMatch(/\$38–\$44 an hour \(about \$79,040–\$91,520 a year full time\)/);
      expect(
        await card(tele.title)
          .getByRole('button', { name: `Save ${tele.title}` })
          .getAttribute('aria-pressed'),
      ).toBe('true');
      failures.push(...(await pageChecks(page, '/jobs')));
      await page.goto(`${base}/account/saved`);
      const saved = await page.locator('main').innerText();
      expect(saved).toMatch(
        new RegExp(
          `Open \\(1\\)[\\s\\S]*${tele.title}[\\s\\S]*No longer taking applications \\(1\\)[\\s\\S]*${closed.title}[\\s\\S]*Closed: no longer taking applications`,
        ),
      );
      failures.push(...(await pageChecks(page, '/account/saved')));
      await page.screenshot({ path: path.join(SHOTS, `saved-${size.name}.png`) });
      await page.goto(`${base}/organizations/${team.org.slug}`);
      failures.push(...(await pageChecks(page, '/organizations')));
      await page.goto(`${base}/organizations/${orgNoLogo.slug}`);
      failures.push(...(await pageChecks(page, '/organizations (no logo)')));
      await page.goto(`${base}/jobs/${withLogo.slug}`);
      expect(await page.locator('article.job img.org-logo').count()).toBe(1);
      failures.push(...(await pageChecks(page, '/jobs/<slug>')));
      expect(failures).toEqual([]);
      await ctx.close();
    }, 120_000);
  }

  it('the heart works without JavaScript: a form post that comes back to the same search, and the saved page removes it again', async () => {
    const ctx = await contextFor(browser, SIZES[0], candidate, false);
    const page = await ctx.newPage();
    await page.goto(`${base}/jobs?q=${word}`);
    expect(await postAndFollow(page, () => page.getByRole('button', { name: `Save ${withLogo.title}` }).click())).toBe(`/jobs?q=${word}`);
    expect(await page.getByRole('button', { name: `Save ${withLogo.title}` }).getAttribute('aria-pressed')).toBe('true');
    await page.goto(`${base}/jobs/${withLogo.slug}`);
    expect(await page.getByRole('button', { name: `Save ${withLogo.title}` }).getAttribute('aria-pressed')).toBe('true');
    await page.goto(`${base}/account/saved`);
    expect(await postAndFollow(page, () => page.getByRole('button', { name: `Save ${withLogo.title}` }).click())).toBe('/account/saved');
    expect(await page.getByRole('link', { name: withLogo.title }).count()).toBe(0);
    await ctx.close();
  });

  it('with JavaScript the heart saves without a reload (aria-pressed flips); signed out it leads to sign in and back', async () => {
    const ctx = await contextFor(browser, SIZES[1], candidate);
    const page = await ctx.newPage();
    await page.goto(`${base}/jobs?q=${word}`);
    await page.evaluate(() => Object.assign(window, { stayed: true }));
    const heart = page.getByRole('button', { name: `Save ${second.title}` });
    expect(await heart.getAttribute('aria-pressed')).toBe('false');
    await heart.click();
    await expect.poll(() => heart.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await page.reload();
    await expect.poll(() => heart.getAttribute('aria-pressed')).toBe('true');
    await heart.click();
    await expect.poll(() => heart.getAttribute('aria-pressed')).toBe('false');
    await ctx.close();
    const anon = await contextFor(browser, SIZES[0]);
    const p2 = await anon.newPage();
    await p2.goto(`${base}/jobs/${withLogo.slug}`);
    const link = p2.getByRole('link', { name: `Save ${withLogo.title} (sign in first)` });
    expect(await link.getAttribute('href')).toBe(`/sign-in?next=${encodeURIComponent(`/jobs/${withLogo.slug}`)}`);
    await anon.close();
  });

  it('at 1280 px a result opens in a preview beside the list; on a phone the link goes to the job page', async () => {
    const ctx = await contextFor(browser, SIZES[1], candidate);
    const page = await ctx.newPage();
    await page.goto(`${base}/jobs?q=${word}`);
    const link = page.getByRole('link', { name: withLogo.title, exact: true });
    await link.click();
    const pane = page.locator('#job-preview');
    await expect.poll(() => pane.getByRole('heading', { level: 2, name: withLogo.title }).isVisible()).toBe(true);
    expect(page.url()).toBe(`${base}/jobs?q=${word}`);
    const boxes = await page.evaluate(() => {
      const r = (s: string) => document.querySelector(s)!.getBoundingClientRect();
      return { list: r('.hits'), pane: r('#job-preview') };
    });
    expect(boxes.pane.left).toBeGreaterThanOrEqual(boxes.list.right); // side by side
    expect(await page.locator('.job-card[aria-current="true"]').count()).toBe(1);
    expect(await pageChecks(page, '/jobs with preview')).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'jobs-preview-desktop.png') });
    // Saving from the preview marks the card's heart too.
    await pane.getByRole('button', { name: `Save ${withLogo.title}` }).click();
    const cardHeart = page.locator('.hits').getByRole('button', { name: `Save ${withLogo.title}` });
    await expect.poll(() => cardHeart.getAttribute('aria-pressed')).toBe('true');
    await cardHeart.click();
    await expect.poll(() => pane.getByRole('button', { name: `Save ${withLogo.title}` }).getAttribute('aria-pressed')).toBe('false');
    await pane.getByRole('button', { name: 'Close preview' }).click();
    expect(await pane.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(withLogo.title);
    await ctx.close();
    const phone = await contextFor(browser, SIZES[0]);
    const p2 = await phone.newPage();
    await p2.goto(`${base}/jobs?q=${word}`);
    await p2.getByRole('link', { name: withLogo.title, exact: true }).click();
    // The result link carries the site's own source mark (?utm_…), read by the reports.
    await p2.waitForURL((u) => u.pathname === `/jobs/${withLogo.slug}`);
    await phone.close();
  });

  for (const size of SIZES) {
    it(`at ${size.width}×${size.height} Back and Forward walk through the searches, controls and results restored`, async () => {
      const ctx = await contextFor(browser, size);
      const page = await ctx.newPage();
      await page.goto(`${base}/jobs?q=${word}`);
      const summary = page.locator('details.filters-toggle > summary');
      if (await summary.isVisible()) await summary.click();
      const telehealth = page.getByRole('group', { name: 'Work setting' }).getByRole('checkbox', { name: /Telehealth/ });
      await telehealth.check();
      await page.waitForURL(/setting=telehealth/);
      await expect.poll(() => page.locator('#results-heading').innerText()).toBe('1 job');
      await page.getByLabel('Sort by').selectOption('pay');
      await page.waitForURL(/sort=pay/);
      await page.goBack();
      await page.waitForURL(`${base}/jobs?q=${word}&setting=telehealth`);
      await expect.poll(() => page.getByLabel('Sort by').inputValue()).toBe('relevance');
      await page.goBack();
      await page.waitForURL(`${base}/jobs?q=${word}`);
      await expect.poll(() => page.locator('#results-heading').innerText()).toBe('3 jobs');
      expect(await page.locator('input[name=setting][value=telehealth]').isChecked()).toBe(false);
      expect(await page.locator('#q').inputValue()).toBe(word);
      await page.goForward();
      await page.waitForURL(/setting=telehealth/);
      await expect.poll(() => page.locator('#results-heading').innerText()).toBe('1 job');
      expect(await page.locator('input[name=setting][value=telehealth]').isChecked()).toBe(true);
      // Still live after a restore: a new change makes a new entry.
      await page.getByLabel('Sort by').selectOption('newest');
      await page.waitForURL(/sort=newest/);
      await ctx.close();
    }, 60_000);
  }
});
