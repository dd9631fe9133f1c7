import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { TEST_PASSWORD } from './factories';

/** Debian's Chromium, launched the way this machine allows (no sandbox as root, no background networking). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

export const hasChromium = fs.existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium');

const axeSource = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in the page and returns its violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the site's strict CSP (no inline scripts) stays on during the audit.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

export function describeViolations(v: AxeViolation[]): string {
  return v.map((x) => `${x.id} (${x.impact}): ${x.help}\n  ${x.nodes.map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
}

/**
 * A new browser context at `viewport`, signed in through the site's real sign-in form as `email`
 * (TEST_PASSWORD), on `next` (or wherever sign-in lands). A cookie the server sets survives the 303
 * after a form post, as in a person's browser; a session sent as a header would not.
 */
export async function signIn(
  browser: Browser,
  base: string,
  viewport: { width: number; height: number },
  email: string,
  next?: string,
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  await page.goto(`${base}/sign-in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await Promise.all([
    page.waitForURL((u) => (next ? `${u.pathname}${u.search}` === next : !u.pathname.startsWith('/sign-in'))),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  return { ctx, page };
}

/** What is wrong with the page as shown: axe-core violations and sideways scrolling, each prefixed with `what` (empty when fine). */
export async function pageProblems(page: Page, what: string): Promise<string[]> {
  const problems: string[] = [];
  const o = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, inner: window.innerWidth }));
  if (o.w > o.inner) problems.push(`${what}: ${o.w} px wide in a ${o.inner} px window`);
  const v = await axeViolations(page);
  if (v.length) problems.push(`${what}: ${describeViolations(v)}`);
  return problems;
}
