import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import postgres from 'postgres';
import { axeViolations, describeViolations, hasChromium, launchBrowser } from '../helpers/browser';

/**
 * Content pages and feeds against the built server (tests/setup/server.ts):
 * a reader's path from a role guide to interview prep and open jobs, axe-core
 * on each kind of content page, FAQPage JSON-LD, and the XML feeds parsed by
 * Chromium's own XML parser and checked against the open jobs the API reports.
 */
const serverUrl = inject('serverUrl');
const skipReason = !serverUrl
  ? `no built server to test (${inject('unavailable') || 'PostgreSQL or Meilisearch unavailable'})`
  : !hasChromium
    ? 'Chromium not found (set CHROMIUM_PATH)'
    : '';

const url = (p: string) => new URL(p, serverUrl).toString();

async function getText(p: string): Promise<{ status: number; type: string; body: string }> {
  const r = await fetch(url(p));
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
}

interface ApiPage {
  hits: { slug: string; postedAt: string }[];
  total: number;
  page: number;
  pageSize: number;
}

/** Every open job the public API knows for a query, page by page. */
async function openSlugsFromApi(qs = ''): Promise<{ slugs: Set<string>; total: number }> {
  const get = async (page: number): Promise<ApiPage> => {
    const r = await fetch(url(`/api/jobs?sort=newest&page=${page}${qs ? `&${qs}` : ''}`));
    expect(r.status, `GET /api/jobs page ${page}`).toBe(200);
    return (await r.json()) as ApiPage;
  };
  const first = await get(1);
  const pages = Math.ceil(first.total / first.pageSize);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => get(i + 2)));
  const slugs = new Set([first, ...rest].flatMap((p) => p.hits.map((h) => h.slug)));
  return { slugs, total: first.total };
}

/** Jobs the public must not see in feeds: drafts, closed, and published ones past valid_through (swept or not yet). */
async function notOpenSlugs(): Promise<{ slug: string; why: string }[]> {
  const sql = postgres(inject('serverDatabaseUrl'), { max: 1, onnotice: () => {} });
  try {
    return await sql<{ slug: string; why: string }[]>`
      select slug, case when status <> 'published' then status when expired_at is not null then 'expired' else 'past valid_through' end as why
      from jobs where not (status = 'published' and valid_through > now() and expired_at is null)`;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

const slugOf = (jobUrl: string) => decodeURIComponent(new URL(jobUrl).pathname.replace(/^\/jobs\//, ''));

describe.skipIf(skipReason !== '')(`content pages and feeds${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    // The site's CSP stays on: axeViolations() evaluates axe through the DevTools protocol.
    context = await browser.newContext();
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  /** Parses XML with Chromium's DOMParser; returns the parser error (or null), the root name and the text of matching elements. */
  async function parseXml(xml: string, selector: string): Promise<{ error: string | null; root: string; values: string[] }> {
    await page.goto('about:blank');
    return page.evaluate(
      ([src, sel]) => {
        const doc = new DOMParser().parseFromString(src, 'application/xml');
        const err = doc.getElementsByTagName('parsererror')[0];
        return {
          error: err ? (err.textContent ?? 'parse error') : null,
          root: doc.documentElement?.localName ?? '',
          values: [...doc.querySelectorAll(sel)].map((e) => (e.textContent ?? '').trim()),
        };
      },
      [xml, selector] as const,
    );
  }

  it('takes a reader from the therapist guide to its interview prep and to the open jobs', async () => {
    await page.goto(url('/roles/therapist'));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Therapist');
    const toc = page.getByRole('navigation', { name: 'On this page' });
    expect(await toc.getByRole('link').count()).toBeGreaterThan(5);
    await expect(page.getByText(/from [\d,]+ open postings?/i).count()).resolves.toBeGreaterThan(0);

    // The open jobs section shows up to six postings for the role.
    const jobsSection = page.getByRole('region', { name: 'Open jobs for this role' });
    const cards = jobsSection.locator('article');
    const shown = await cards.count();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(6);
    for (const h of await jobsSection.locator('article h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
      expect(h).toMatch(/^\/jobs\/[^/?#]+$/);

    await page.getByRole('link', { name: 'Interview prep for therapists and clinicians' }).first().click();
    await page.waitForURL(/\/guides\/interview-prep-clinician$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Interview prep');
    expect(await page.getByRole('heading', { name: /Common questions/ }).count()).toBe(1);

    await page.goBack();
    await page.waitForURL(/\/roles\/therapist$/);
    await page.getByRole('link', { name: /^See all [\d,]+ open jobs for this role$/ }).click();
    await page.waitForURL((u) => u.pathname === '/jobs' && u.searchParams.getAll('role').includes('therapist'));
    const resultLinks = await page.locator('main a[href^="/jobs/"]').count();
    expect(resultLinks).toBeGreaterThan(0);
  });

  it.each(['/roles/therapist', '/credentials/lcsw', '/guides/interview-prep-clinician', '/roles', '/credentials', '/guides'])(
    'axe-core finds no violations on %s',
    async (p) => {
      const r = await page.goto(url(p));
      expect(r?.status()).toBe(200);
      const v = await axeViolations(page);
      expect(v, describeViolations(v)).toEqual([]);
    },
  );

  it('answers 404 for a role, credential or guide that does not exist', async () => {
    for (const p of ['/roles/astronaut', '/credentials/xyz', '/guides/nope', '/roles/Therapist']) expect((await getText(p)).status, p).toBe(404);
  });

  it('shows a credential page with its kind, issuer, compact and the open jobs that accept it', async () => {
    await page.goto(url('/credentials/rn'));
    const glance = page.getByRole('region', { name: 'At a glance' });
    const text = (await glance.textContent()) ?? '';
    expect(text).toContain('License');
    expect(text).toContain('State boards of nursing');
    expect(text).toContain('Nurse Licensure Compact');
    const more = page.getByRole('link', { name: /^See all [\d,]+ open jobs that accept the RN$/ });
    expect(await more.getAttribute('href')).toBe('/jobs?credential=RN');
  });

  it('emits FAQPage JSON-LD on a guide that is a list of questions, matching the questions shown', async () => {
    await page.goto(url('/guides/interview-prep-clinician'));
    const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
    const parsed = blocks.map((b) => JSON.parse(b) as Record<string, unknown>);
    const faq = parsed.find((x) => x['@type'] === 'FAQPage') as
      | {
          '@context': string;
          mainEntity: { '@type': string; name: string; acceptedAnswer: { '@type': string; text: string } }[];
        }
      | undefined;
    expect(faq, 'FAQPage JSON-LD').toBeDefined();
    expect(faq!['@context']).toBe('https://schema.org');
    expect(faq!.mainEntity.length).toBeGreaterThan(0);
    for (const q of faq!.mainEntity) {
      expect(q['@type']).toBe('Question');
      expect(q.name.length).toBeGreaterThan(10);
      expect(q.acceptedAnswer['@type']).toBe('Answer');
      expect(q.acceptedAnswer.text.length).toBeGreaterThan(20);
    }
    // Google requires the marked-up questions to be visible on the page.
    const shown = await page
      .getByRole('region', { name: /Common questions/ })
      .locator('h3')
      .allTextContents();
    expect(shown.map((s) => s.trim())).toEqual(faq!.mainEntity.map((q) => q.name));
    expect(parsed.some((x) => x['@type'] === 'BreadcrumbList')).toBe(true);
    // A guide without questions has no FAQPage.
    await page.goto(url('/guides/levels-of-care'));
    const other = (await page.locator('script[type="application/ld+json"]').allTextContents()).map((b) => JSON.parse(b) as Record<string, unknown>);
    expect(other.some((x) => x['@type'] === 'FAQPage')).toBe(false);
  });

  it('serves RSS that parses and lists only open jobs, newest first', async () => {
    const rss = await getText('/rss.xml');
    expect(rss.status).toBe(200);
    expect(rss.type).toContain('application/rss+xml');
    const links = await parseXml(rss.body, 'channel > item > link');
    expect(links.error).toBeNull();
    expect(links.root).toBe('rss');
    const dates = (await parseXml(rss.body, 'channel > item > pubDate')).values.map((d) => Date.parse(d));
    const open = await openSlugsFromApi();
    expect(links.values.length).toBe(Math.min(50, open.total));
    for (const l of links.values) {
      expect(l.startsWith(`${serverUrl}/jobs/`), l).toBe(true);
      expect(open.slugs.has(slugOf(l)), `${l} is not an open job`).toBe(true);
    }
    expect(new Set(links.values).size).toBe(links.values.length);
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });

  it('serves a feed per search URL, and refuses bad parameters with a 400', async () => {
    const rss = await getText('/rss.xml?role=therapist&program=IOP');
    expect(rss.status).toBe(200);
    const links = await parseXml(rss.body, 'channel > item > link');
    expect(links.error).toBeNull();
    const matching = await openSlugsFromApi('role=therapist&program=IOP');
    expect(links.values.length).toBe(Math.min(50, matching.total));
    for (const l of links.values) expect(matching.slugs.has(slugOf(l)), l).toBe(true);
    const title = (await parseXml(rss.body, 'channel > title')).values[0];
    expect(title).toContain('Therapist');

    const bad = await getText('/rss.xml?role=astronaut');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('astronaut');
  });

  it('serves a sitemap index whose sitemaps parse and list the content pages and exactly the open jobs', async () => {
    const index = await getText('/sitemap-index.xml');
    expect(index.status).toBe(200);
    const locs = await parseXml(index.body, 'sitemap > loc');
    expect(locs.error).toBeNull();
    expect(locs.root).toBe('sitemapindex');
    expect(locs.values[0]).toBe(`${serverUrl}/sitemap-pages.xml`);

    const pages = await getText('/sitemap-pages.xml');
    const pageLocs = await parseXml(pages.body, 'url > loc');
    expect(pageLocs.error).toBeNull();
    for (const p of ['/', '/jobs', '/roles/therapist', '/credentials/lcsw', '/guides/interview-prep-clinician']) expect(pageLocs.values).toContain(url(p));
    const lastmods = await parseXml(pages.body, 'url > lastmod');
    for (const d of lastmods.values) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const jobSlugs: string[] = [];
    for (const loc of locs.values.slice(1)) {
      expect(loc).toMatch(/\/sitemap-jobs-\d+\.xml$/);
      const s = await getText(new URL(loc).pathname);
      expect(s.status).toBe(200);
      const jl = await parseXml(s.body, 'url > loc');
      expect(jl.error).toBeNull();
      expect(jl.values.length).toBeLessThanOrEqual(10_000);
      jobSlugs.push(...jl.values.map(slugOf));
    }
    const open = await openSlugsFromApi();
    expect(new Set(jobSlugs).size).toBe(jobSlugs.length);
    expect([...jobSlugs].sort()).toEqual([...open.slugs].sort());
  });

  it('leaves drafts, closed and expired jobs out of the RSS, the sitemaps and the XML feed', async () => {
    const hidden = await notOpenSlugs();
    // The e2e seed has all three kinds; without them this check would prove nothing.
    expect(hidden.length).toBeGreaterThan(0);
    const listed = new Set<string>();
    for (const l of (await parseXml((await getText('/rss.xml')).body, 'channel > item > link')).values) listed.add(slugOf(l));
    const index = await parseXml((await getText('/sitemap-index.xml')).body, 'sitemap > loc');
    for (const loc of index.values.slice(1)) {
      for (const l of (await parseXml((await getText(new URL(loc).pathname)).body, 'url > loc')).values) listed.add(slugOf(l));
    }
    for (const l of (await parseXml((await getText('/feeds/jobs.xml')).body, 'source > job > url')).values) listed.add(slugOf(l));
    expect(hidden.filter((h) => listed.has(h.slug)).map((h) => `${h.slug} (${h.why})`)).toEqual([]);
  });

  it('serves the Indeed-style XML feed, well-formed, with every open job', async () => {
    const feed = await getText('/feeds/jobs.xml');
    expect(feed.status).toBe(200);
    expect(feed.type).toContain('xml');
    const urls = await parseXml(feed.body, 'source > job > url');
    expect(urls.error).toBeNull();
    expect(urls.root).toBe('source');
    const refs = await parseXml(feed.body, 'source > job > referencenumber');
    expect(new Set(refs.values).size).toBe(refs.values.length);
    const open = await openSlugsFromApi();
    expect(urls.values.map(slugOf).sort()).toEqual([...open.slugs].sort());
    for (const tag of ['title', 'date', 'company', 'city', 'state', 'country', 'postalcode', 'description', 'salary', 'jobtype']) {
      const v = await parseXml(feed.body, `source > job > ${tag}`);
      expect(v.values.length, tag).toBe(urls.values.length);
      expect(
        v.values.every((x) => x.length > 0),
        tag,
      ).toBe(true);
    }
  });
});
