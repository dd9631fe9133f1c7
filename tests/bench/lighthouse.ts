/**
 * `npm run audit:lighthouse -- [base URL]`: Lighthouse (performance, accessibility,
 * best practices, SEO) on the home page, a role guide, a job page and the search
 * page of a running site (default http://localhost:4321, e.g. after `npm start`),
 * with Debian's Chromium. Prints one line of scores per page; exits 1 below 95.
 */
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const base = (process.argv[2] ?? 'http://localhost:4321').replace(/\/$/, '');
const { hits } = (await (await fetch(`${base}/api/jobs?sort=newest`)).json()) as { hits: { slug: string }[] };
const pages = ['/', '/roles/therapist', `/jobs/${hits[0]!.slug}`, '/jobs'];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let worst = 100;
try {
  for (const path of pages) {
    const result = await lighthouse(`${base}${path}`, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    });
    const cats = Object.values(result!.lhr.categories).map((c) => [c.id, Math.round((c.score ?? 0) * 100)] as const);
    worst = Math.min(worst, ...cats.map(([, s]) => s));
    console.log(`${path.padEnd(60)} ${cats.map(([id, s]) => `${id} ${s}`).join('  ')}`);
  }
} finally {
  chrome.kill();
}
process.exit(worst >= 95 ? 0 : 1);
