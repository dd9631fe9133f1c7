/**
 * `npm run audit:lighthouse -- [base URL]`: Lighthouse (mobile: its default phone and
 * throttling; performance, accessibility, best practices, SEO) on the home page, a role
 * guide, a job page, the search page and the apply form (signed in as the demo candidate,
 * so run it against a site with the demo data, e.g. after `npm start`; default
 * http://localhost:4321), with Debian's Chromium. Prints one line of scores per page;
 * exits 1 below 95.
 */
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { DEMO_PASSWORD } from '#db/seed';
import { signInCookie } from './session';

const base = (process.argv[2] ?? 'http://localhost:4321').replace(/\/$/, '');
const { hits } = (await (await fetch(`${base}/api/jobs?sort=newest`)).json()) as { hits: { slug: string }[] };
const candidate = await signInCookie(base, 'candidate@demo.test', DEMO_PASSWORD);
// The newest job the demo candidate has not applied to yet: its apply page shows the form.
let applyPath = '';
for (const h of hits) {
  const html = await (await fetch(`${base}/jobs/${h.slug}/apply`, { headers: { cookie: candidate } })).text();
  if (html.includes('name="jobId"')) {
    applyPath = `/jobs/${h.slug}/apply`;
    break;
  }
}
const pages: { path: string; cookie?: string }[] = [
  { path: '/' },
  { path: '/roles/therapist' },
  { path: `/jobs/${hits[0]!.slug}` },
  { path: '/jobs' },
  { path: applyPath, cookie: candidate },
];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let worst = 100;
try {
  for (const { path, cookie } of pages) {
    const result = await lighthouse(`${base}${path}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      // A signed-in form is noindex on purpose: search engines are not its audience, so no SEO score.
      onlyCategories: cookie ? ['performance', 'accessibility', 'best-practices'] : ['performance', 'accessibility', 'best-practices', 'seo'],
      ...(cookie ? { extraHeaders: { cookie } } : {}),
    });
    const cats = Object.values(result!.lhr.categories).map((c) => [c.id, Math.round((c.score ?? 0) * 100)] as const);
    worst = Math.min(worst, ...cats.map(([, s]) => s));
    console.log(`${path.padEnd(60)} ${cats.map(([id, s]) => `${id} ${s}`).join('  ')}`);
  }
} finally {
  chrome.kill();
}
process.exit(worst >= 95 ? 0 : 1);
