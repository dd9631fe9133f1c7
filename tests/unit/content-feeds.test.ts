import { describe, expect, it } from 'vitest';
import { cdata, escapeXml, rfc822, stripInvalidXmlChars, w3cDate } from '#lib/feeds/xml';
import { renderRss } from '#lib/feeds/rss';
import { indeedFeed, indeedHeader, indeedJob, indeedJobType, INDEED_FOOTER } from '#lib/feeds/indeed';
import { buildEach, newTally, skippedFeedItems } from '#lib/feeds/items';
import { jobRssItem } from '#lib/feeds/jobs-rss';
import { parseSitemapPage, renderSitemapIndex, renderUrlset, sitemapPaths } from '#lib/feeds/sitemap';
import { describeSearch } from '#lib/feeds/describe';
import type { FeedJob } from '#lib/feeds/queries';
import { classifyLink, markdownLinks } from '#lib/content/links';
import { splitAfterFirstSection } from '#lib/content/html';
import { faqPageJsonLd } from '#lib/content/jsonld';
import {
  credentialsForGuide,
  guidesForCredential,
  guidesForGuide,
  guidesForRole,
  relatedCredentialCodes,
  tableOfContents,
  type Entry,
} from '#lib/content/related';
import type { CredentialData, GuideData, RoleData } from '#lib/content/schemas';
import { parseSearchParams } from '#lib/search/params';
import type { JobHit } from '#lib/search/types';

/**
 * A small XML well-formedness check (fast-xml-parser is not a dependency; the e2e
 * suite parses the live feeds with Chromium's DOMParser). Tags must nest and
 * close, attributes must be quoted, '&' must start a known entity, '<' never
 * appears in text, and there is exactly one root element.
 */
function wellFormed(xml: string): { ok: true; root: string } | { ok: false; error: string } {
  const stack: string[] = [];
  let root = '';
  let i = 0;
  const entityOk = (text: string) => !/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text);
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (!entityOk(text)) return { ok: false, error: `bad entity in text near ${JSON.stringify(text.slice(0, 40))}` };
    if (!stack.length && text.trim()) return { ok: false, error: `text outside the root: ${JSON.stringify(text.slice(0, 40))}` };
    if (lt === -1) break;
    if (xml.startsWith('<![CDATA[', lt)) {
      if (!stack.length) return { ok: false, error: 'CDATA outside the root' };
      const end = xml.indexOf(']]>', lt);
      if (end === -1) return { ok: false, error: 'unclosed CDATA' };
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end === -1) return { ok: false, error: 'unclosed comment' };
      i = end + 3;
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt === -1) return { ok: false, error: 'unclosed tag' };
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) return { ok: false, error: `</${name}> closes <${open}>` };
    } else {
      const m = /^([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)$/.exec(tag);
      if (!m) return { ok: false, error: `malformed tag <${tag.slice(0, 60)}>` };
      if (!entityOk(m[2] ?? '')) return { ok: false, error: `bad entity in attributes of <${m[1]}>` };
      if (!stack.length) {
        if (root) return { ok: false, error: `second root element <${m[1]}>` };
        root = m[1]!;
      }
      if (!m[3]) stack.push(m[1]!);
    }
    i = gt + 1;
  }
  if (stack.length) return { ok: false, error: `unclosed <${stack.join('> <')}>` };
  if (!root) return { ok: false, error: 'no root element' };
  return { ok: true, root };
}

/** Text of every <tag>…</tag>, entities decoded, CDATA unwrapped. */
function texts(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => {
    const raw = m[1]!;
    const parts = raw.split(/<!\[CDATA\[|\]\]>/);
    if (raw.includes('<![CDATA[')) return parts.join('');
    return raw
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  });
}

const NASTY = `Tom & Jerry's <script>alert("x")</script> ]]> café \u0007 “quotes” 🧠`;

describe('XML helpers', () => {
  it('escapes the five special characters and drops characters XML forbids', () => {
    expect(escapeXml(`a & b < c > d "e" 'f'`)).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;');
    expect(escapeXml('bell\u0007 nul\u0000 tab\t')).toBe('bell nul tab\t');
    expect(stripInvalidXmlChars('ok 🧠 \uD800 lone')).toBe('ok 🧠  lone');
  });

  it('keeps "]]>" inside CDATA from ending it early', () => {
    const c = cdata('a ]]> b ]]]]> c');
    expect(wellFormed(`<x>${c}</x>`)).toEqual({ ok: true, root: 'x' });
    expect(texts(`<x>${c}</x>`, 'x')[0]).toBe('a ]]> b ]]]]> c');
  });

  it('formats RFC 822 and W3C dates in UTC', () => {
    const d = new Date('2026-11-20T08:05:09.123Z');
    expect(rfc822(d)).toBe('Fri, 20 Nov 2026 08:05:09 GMT');
    expect(w3cDate(d)).toBe('2026-11-20T08:05:09Z');
  });

  it('the well-formedness check itself refuses broken XML', () => {
    expect(wellFormed('<a><b></a></b>').ok).toBe(false);
    expect(wellFormed('<a>Tom & Jerry</a>').ok).toBe(false);
    expect(wellFormed('<a>x</a><b/>').ok).toBe(false);
    expect(wellFormed('<a x=1/>').ok).toBe(false);
    expect(wellFormed('<a><![CDATA[ok]]></a>').ok).toBe(true);
  });
});

const hit: JobHit = {
  id: '00000000-0000-4000-8000-000000000001',
  slug: 'therapist-a-b',
  title: NASTY,
  organization: 'Smith & Sons <Behavioral>',
  orgSlug: 'smith-sons',
  orgLogo: null,
  role: 'therapist',
  program: 'PHP_IOP',
  credentials: ['LCSW', 'LPC'],
  city: 'Pittsburgh',
  state: 'PA',
  setting: 'hybrid',
  payMin: 70000,
  payMax: 82000,
  payPeriod: 'year',
  employmentType: 'full_time',
  schedule: 'days',
  supervisionOffered: true,
  postedAt: '2026-11-20T12:00:00.000Z',
};

describe('RSS', () => {
  const site = 'https://jobs.example.org';
  const xml = renderRss(
    {
      title: 'Jobs & more',
      link: `${site}/jobs?role=therapist&state=PA`,
      self: `${site}/rss.xml?role=therapist&state=PA`,
      description: NASTY,
      lastBuildDate: new Date('2026-11-21T00:00:00Z'),
    },
    [jobRssItem(hit, site), jobRssItem({ ...hit, id: '2', slug: 'second' }, site)],
  );

  it('is well-formed RSS 2.0 with one item per job', () => {
    expect(wellFormed(xml)).toEqual({ ok: true, root: 'rss' });
    expect(xml).toContain('<rss version="2.0"');
    expect(texts(xml, 'guid')).toEqual([`${site}/jobs/therapist-a-b`, `${site}/jobs/second`]);
  });

  it('round-trips hostile text exactly (minus forbidden control characters)', () => {
    expect(texts(xml, 'title')[1]).toBe(`${NASTY.replace('\u0007', '')} at Smith & Sons <Behavioral> (Pittsburgh, PA)`);
    expect(texts(xml, 'link')[0]).toBe(`${site}/jobs?role=therapist&state=PA`);
    expect(xml).not.toContain('<script>');
  });

  it('summarises the job: employer, place, program, pay and credentials', () => {
    const item = jobRssItem(hit, site);
    expect(item.description).toContain('Smith & Sons <Behavioral> · Pittsburgh, PA');
    expect(item.description).toContain('$70,000–$82,000 a year');
    expect(item.description).toContain('Accepts LCSW, LPC');
    expect(item.pubDate.toISOString()).toBe(hit.postedAt);
  });

  it('describes a saved search in words for the feed title', () => {
    expect(describeSearch(parseSearchParams(new URLSearchParams('q=dbt&role=therapist&credential=lcsw&credential=LPC&state=PA')))).toBe(
      '“dbt” · Therapist / Primary Clinician · LCSW or LPC · Pennsylvania',
    );
    expect(describeSearch(parseSearchParams(new URLSearchParams('')))).toBe('all jobs');
  });
});

describe('Indeed XML feed', () => {
  const job: FeedJob = {
    id: hit.id,
    slug: hit.slug,
    title: NASTY,
    organization: hit.organization,
    role: 'registered-nurse',
    programType: 'PHP',
    setting: 'onsite',
    city: 'Erie',
    state: 'PA',
    zip: '16501',
    descriptionMd: '',
    payMin: 38,
    payMax: 46,
    payPeriod: 'hour',
    employmentType: 'per_diem',
    postedAt: new Date('2026-11-20T12:00:00Z'),
    updatedAt: new Date('2026-11-21T12:00:00Z'),
    validThrough: new Date('2026-12-20T12:00:00Z'),
    credentials: ['RN'],
  };
  const xml =
    indeedHeader({ publisher: 'PHP/IOP Jobs', publisherUrl: 'https://jobs.example.org', lastBuildDate: new Date() }) +
    indeedJob(job, 'https://jobs.example.org', '<p>Nights ]]> & weekends</p>') +
    INDEED_FOOTER;

  it('is well-formed, rooted at <source>, with the fields aggregators require', () => {
    expect(wellFormed(xml)).toEqual({ ok: true, root: 'source' });
    for (const tag of [
      'publisher',
      'publisherurl',
      'title',
      'date',
      'referencenumber',
      'url',
      'company',
      'city',
      'state',
      'country',
      'postalcode',
      'description',
      'salary',
      'jobtype',
    ]) {
      expect(texts(xml, tag).length, tag).toBe(1);
    }
    expect(texts(xml, 'title')[0]).toBe(NASTY.replace('\u0007', ''));
    expect(texts(xml, 'url')[0]).toBe('https://jobs.example.org/jobs/therapist-a-b?utm_source=phpiopjobs&utm_medium=job-feed');
    expect(texts(xml, 'description')[0]).toContain('<p>Nights ]]> & weekends</p>');
    expect(texts(xml, 'salary')[0]).toBe('$38–$46 an hour');
    expect(texts(xml, 'postalcode')[0]).toBe('16501');
  });

  it('maps employment types to the values aggregators know', () => {
    expect(['full_time', 'part_time', 'per_diem', 'contract'].map(indeedJobType)).toEqual(['fulltime', 'parttime', 'parttime', 'contract']);
  });

  describe('one job that cannot render', () => {
    const site = 'https://jobs.example.org';
    const jobN = (n: number, descriptionMd = `## Job ${n}\n\nLead **groups** in our IOP.`): FeedJob => ({
      ...job,
      id: `00000000-0000-4000-8000-00000000000${n}`,
      slug: `job-${n}`,
      title: `Job ${n}`,
      descriptionMd,
    });
    const pages = async function* (list: FeedJob[][], failAfter?: number) {
      let n = 0;
      for (const p of list) {
        if (failAfter !== undefined && n++ >= failAfter) throw new Error('connection terminated');
        yield p;
      }
    };
    const opts = { site, publisher: 'PHP/IOP Jobs', lastBuildDate: new Date('2026-11-22T00:00:00Z') };

    it('is left out, logged and counted; every other job is in a well-formed feed', async () => {
      const bad = jobN(2, `Hiring.\n\n${'>'.repeat(19_000)} x`);
      const before = (await skippedFeedItems())['jobs.xml'] ?? 0;
      const chunks = await Array.fromAsync(indeedFeed(pages([[jobN(1), bad], [jobN(3)]]), opts));
      const xml = chunks.join('');
      expect(wellFormed(xml)).toEqual({ ok: true, root: 'source' });
      expect(texts(xml, 'title')).toEqual(['Job 1', 'Job 3']);
      expect(texts(xml, 'description')[0]).toContain('<h2>Job 1</h2>');
      expect(xml).toContain('<!-- 1 job left out because it could not be rendered. -->');
      expect((await skippedFeedItems())['jobs.xml']).toBe(before + 1);
      // The first chunk carries the header and the first page: nothing is sent before the first read.
      expect(chunks[0]).toMatch(/^<\?xml[\s\S]*<source>[\s\S]*Job 1/);
    });

    it('an empty feed is still a whole document, without a comment', async () => {
      const xml = (await Array.fromAsync(indeedFeed(pages([]), opts))).join('');
      expect(wellFormed(xml)).toEqual({ ok: true, root: 'source' });
      expect(xml).not.toContain('<!--');
    });

    it('a page that fails to load fails the stream instead of ending the document as if complete', async () => {
      const it = indeedFeed(pages([[jobN(1)], [jobN(3)]], 1), opts);
      const first = await it.next();
      expect(first.value).toContain('Job 1');
      await expect(it.next()).rejects.toThrow('connection terminated');
    });
  });
});

describe('feed items built one by one', () => {
  it('skips and counts an item that throws, keeping the rest in order', async () => {
    const tally = newTally();
    const out = buildEach(
      'test feed',
      [1, 2, 3, 4],
      (n) => `item ${n}`,
      (n) => {
        if (n % 2 === 0) throw new Error(`bad ${n}`);
        return n * 10;
      },
      tally,
    );
    expect(out).toEqual([10, 30]);
    expect(tally).toEqual({ included: 2, skipped: 2 });
    expect((await skippedFeedItems())['test feed']).toBe(2);
  });

  it('a sitemap entry with an invalid date is left out; the sitemap still parses', () => {
    const urls = renderUrlset([
      { loc: 'https://x.org/jobs/a' },
      { loc: 'https://x.org/jobs/b', lastmod: new Date('not a date') },
      { loc: 'https://x.org/jobs/c' },
    ]);
    expect(wellFormed(urls)).toEqual({ ok: true, root: 'urlset' });
    expect(texts(urls, 'loc')).toEqual(['https://x.org/jobs/a', 'https://x.org/jobs/c']);
    expect(urls).toContain('<!-- 1 URL left out because it could not be rendered. -->');
  });
});

describe('sitemaps', () => {
  it('renders a urlset and an index that parse, with lastmod in W3C format', () => {
    const urls = renderUrlset([{ loc: 'https://x.org/jobs/a?b=1&c=2', lastmod: new Date('2026-11-20T00:00:00Z') }, { loc: 'https://x.org/' }]);
    expect(wellFormed(urls)).toEqual({ ok: true, root: 'urlset' });
    expect(texts(urls, 'loc')).toEqual(['https://x.org/jobs/a?b=1&c=2', 'https://x.org/']);
    expect(texts(urls, 'lastmod')).toEqual(['2026-11-20T00:00:00Z']);
    const index = renderSitemapIndex([{ loc: 'https://x.org/sitemap-pages.xml' }, { loc: 'https://x.org/sitemap-jobs-1.xml', lastmod: new Date() }]);
    expect(wellFormed(index)).toEqual({ ok: true, root: 'sitemapindex' });
  });

  it('accepts only canonical page numbers', () => {
    expect(['1', '12', '0', '01', '-1', '1.5', 'x', '', undefined].map(parseSitemapPage)).toEqual([
      1,
      12,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(sitemapPaths.jobs(3)).toBe('/sitemap-jobs-3.xml');
  });
});

describe('content helpers', () => {
  it('finds inline, reference and autolinks, skipping code fences', () => {
    const md = [
      'See [a](/roles/therapist) and [b](</guides/x> "t").',
      '```',
      '[no](/roles/ignored)',
      '```',
      '[ref]: /credentials/lcsw',
      '<https://example.org>',
    ].join('\n');
    expect(markdownLinks(md).map((l) => [l.href, l.line])).toEqual([
      ['/roles/therapist', 1],
      ['/guides/x', 1],
      ['/credentials/lcsw', 5],
      ['https://example.org', 6],
    ]);
  });

  it('classifies links', () => {
    expect(classifyLink('/roles/therapist')).toEqual({ type: 'content', collection: 'roles', slug: 'therapist' });
    expect(classifyLink('/credentials/lcsw#compacts')).toMatchObject({ type: 'content', slug: 'lcsw' });
    expect(classifyLink('/jobs?role=therapist')).toMatchObject({ type: 'page', path: '/jobs' });
    expect(classifyLink('https://www.aswb.org')).toEqual({ type: 'external' });
    expect(classifyLink('roles/therapist').type).toBe('invalid');
    expect(classifyLink('/blog/post').type).toBe('invalid');
    expect(classifyLink('//evil.example/x').type).toBe('invalid');
  });

  it('builds a table of contents from h2s with their h3s', () => {
    const toc = tableOfContents([
      { depth: 3, slug: 'orphan', text: 'Orphan' },
      { depth: 2, slug: 'a', text: 'A' },
      { depth: 3, slug: 'a1', text: 'A1' },
      { depth: 4, slug: 'deep', text: 'Deep' },
      { depth: 2, slug: 'b', text: 'B' },
    ]);
    expect(toc).toEqual([
      { slug: 'a', text: 'A', children: [{ slug: 'a1', text: 'A1' }] },
      { slug: 'b', text: 'B', children: [] },
    ]);
  });

  it('splits rendered HTML after the first section', () => {
    expect(splitAfterFirstSection('<h2 id="a">A</h2><p>x</p><h2 id="b">B</h2><p>y</p>')).toEqual(['<h2 id="a">A</h2><p>x</p>', '<h2 id="b">B</h2><p>y</p>']);
    expect(splitAfterFirstSection('<h2>A</h2><p>only</p>')).toEqual(['<h2>A</h2><p>only</p>', '']);
  });

  it('emits FAQPage JSON-LD with Question and acceptedAnswer Answer', () => {
    const ld = faqPageJsonLd([{ question: 'What do you do when…?', answer: 'What a strong answer shows: calm.' }]);
    expect(ld).toEqual({
      '@context': 'https://schema.org',
      '@type': 'FAQPage',
      mainEntity: [
        {
          '@type': 'Question',
          name: 'What do you do when…?',
          acceptedAnswer: { '@type': 'Answer', text: 'What a strong answer shows: calm.' },
        },
      ],
    });
  });

  const d = new Date('2026-11-20');
  const guide = (id: string, kind: GuideData['kind'], roles: GuideData['roles']): Entry<GuideData> => ({
    id,
    data: { title: id, description: '', kind, roles, lastReviewed: d },
  });
  const guides = [
    guide('interview-prep-clinician', 'interview', ['therapist', 'group-therapist']),
    guide('interview-prep-nursing', 'interview', ['registered-nurse']),
    guide('levels-of-care', 'levels-of-care', ['therapist', 'registered-nurse']),
    guide('licensure-across-state-lines', 'licensure', ['therapist']),
    guide('resume-and-cover-letter', 'resume', ['registered-nurse']),
  ];
  const role = (slug: RoleData['role'], interviewGuide: string, required: string[]): Entry<RoleData> => ({
    id: slug,
    data: {
      title: slug,
      description: '',
      role: slug,
      requiredCredentials: required,
      preferredCredentials: [],
      skills: [],
      schedule: '',
      careerPath: [],
      interviewGuide,
      relatedRoles: [],
      lastReviewed: d,
    },
  });

  it('relates roles, credentials and guides', () => {
    expect(guidesForRole(role('therapist', 'interview-prep-clinician', ['LCSW']), guides).map((g) => g.id)).toEqual([
      'interview-prep-clinician',
      'levels-of-care',
      'licensure-across-state-lines',
    ]);
    const rn: Entry<CredentialData> = {
      id: 'rn',
      data: {
        title: 'Registered Nurse',
        code: 'RN',
        description: '',
        kind: 'license',
        issuer: '',
        compact: 'nlc',
        stateVariants: [],
        roles: ['registered-nurse'],
        lastReviewed: d,
      },
    };
    expect(guidesForCredential(rn, guides).map((g) => g.id)).toEqual(['licensure-across-state-lines', 'interview-prep-nursing']);
    expect(relatedCredentialCodes('LCSW')).toEqual(['LICSW', 'LMSW']);
    expect(guidesForGuide(guides[0]!, guides).map((g) => g.id)).toEqual(['levels-of-care', 'licensure-across-state-lines', 'resume-and-cover-letter']);
    expect(credentialsForGuide(guides[0]!, [role('therapist', 'x', ['LPC', 'LCSW']), role('group-therapist', 'x', ['LCSW', 'LMFT'])])).toEqual([
      'LCSW',
      'LPC',
      'LMFT',
    ]);
  });
});
