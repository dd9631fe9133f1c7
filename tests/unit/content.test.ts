import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CREDENTIALS, ROLE_CREDENTIALS, ROLES, credentialByCode, type RoleSlug } from '#lib/domain/taxonomy';
import { CONTENT_COLLECTIONS, classifyLink, markdownLinks, type ContentCollection } from '#lib/content/links';
import { credentialSchema, guideSchema, roleSchema, type CredentialData, type GuideData, type RoleData } from '#lib/content/schemas';
import { parseSearchParams } from '#lib/search/params';
import { parseFrontmatter } from '../helpers/frontmatter';

/**
 * The content suite: every Markdown file under content/ against the same zod
 * schemas the collections use, plus what a schema cannot see: file names,
 * links between pages, and coverage of the taxonomy. A broken link or a
 * credential without a page fails here, before a reader finds it.
 */
const CONTENT_DIR = path.resolve(import.meta.dirname, '../../content');

interface ContentFile {
  collection: ContentCollection;
  slug: string;
  file: string;
  frontmatter: Record<string, unknown>;
  body: string;
}

function load(collection: ContentCollection): ContentFile[] {
  const dir = path.join(CONTENT_DIR, collection);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const file = path.join('content', collection, f);
      const { frontmatter, content } = parseFrontmatter(fs.readFileSync(path.join(dir, f), 'utf8'));
      return { collection, slug: f.replace(/\.md$/, ''), file, frontmatter, body: content };
    });
}

const files = { roles: load('roles'), credentials: load('credentials'), guides: load('guides') };
const all = [...files.roles, ...files.credentials, ...files.guides];

function parsed<T>(schema: z.ZodType<T>, list: ContentFile[]): { file: ContentFile; data: T }[] {
  return list.flatMap((file) => {
    const r = schema.safeParse(file.frontmatter);
    return r.success ? [{ file, data: r.data }] : [];
  });
}
const roles = parsed<RoleData>(roleSchema, files.roles);
const credentials = parsed<CredentialData>(credentialSchema, files.credentials);
const guides = parsed<GuideData>(guideSchema, files.guides);

const slugs: Record<ContentCollection, Set<string>> = {
  roles: new Set(files.roles.map((f) => f.slug)),
  credentials: new Set(files.credentials.map((f) => f.slug)),
  guides: new Set(files.guides.map((f) => f.slug)),
};

function issues(schema: z.ZodType, f: ContentFile): string[] {
  const r = schema.safeParse(f.frontmatter);
  return r.success ? [] : r.error.issues.map((i) => `${f.file}: ${i.path.join('.') || '(front matter)'}: ${i.message}`);
}

/** Heading text → id the way Markdown renderers slug it (close enough to spot collisions). */
const slugify = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');

describe('content front matter', () => {
  it('has Markdown files in every collection folder, and FRONTMATTER.md outside them', () => {
    for (const c of CONTENT_COLLECTIONS) expect(files[c].length, `content/${c}`).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(CONTENT_DIR, 'FRONTMATTER.md'))).toBe(true);
    // The glob loaders read content/<collection>/**; nothing else there may be Markdown that is not an entry.
    for (const c of CONTENT_COLLECTIONS) {
      const stray = fs.readdirSync(path.join(CONTENT_DIR, c), { recursive: true, encoding: 'utf8' }).filter((f) => f.toUpperCase() === 'FRONTMATTER.MD');
      expect(stray, `content/${c}`).toEqual([]);
    }
  });

  it('validates every role page against the roles schema', () => {
    expect(files.roles.flatMap((f) => issues(roleSchema, f))).toEqual([]);
  });

  it('validates every credential page against the credentials schema', () => {
    expect(files.credentials.flatMap((f) => issues(credentialSchema, f))).toEqual([]);
  });

  it('validates every guide against the guides schema', () => {
    expect(files.guides.flatMap((f) => issues(guideSchema, f))).toEqual([]);
  });

  it('names each file after its slug', () => {
    const wrong = [
      ...roles.filter((r) => r.data.role !== r.file.slug).map((r) => `${r.file.file}: role is ${r.data.role}`),
      ...credentials
        .filter((c) => credentialByCode(c.data.code)?.slug !== c.file.slug)
        .map((c) => `${c.file.file}: code ${c.data.code} belongs in ${credentialByCode(c.data.code)?.slug}.md`),
      ...all.filter((f) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(f.slug)).map((f) => `${f.file}: not a lowercase slug`),
    ];
    expect(wrong).toEqual([]);
  });

  it('has no last-reviewed date in the future', () => {
    const tomorrow = Date.now() + 86_400_000;
    const future = [...roles, ...credentials, ...guides].filter((x) => x.data.lastReviewed.getTime() > tomorrow).map((x) => x.file.file);
    expect(future).toEqual([]);
  });

  it('rejects front matter that breaks the rules (the schemas are not a rubber stamp)', () => {
    const good = files.roles[0]!.frontmatter;
    expect(roleSchema.safeParse({ ...good, role: 'barista' }).success).toBe(false);
    expect(roleSchema.safeParse({ ...good, requiredCredentials: ['LCSW', 'XYZ'] }).success).toBe(false);
    expect(roleSchema.safeParse({ ...good, skills: ['One', 'Two'] }).success).toBe(false);
    expect(roleSchema.safeParse({ ...good, description: 'x'.repeat(161) }).success).toBe(false);
    expect(roleSchema.safeParse({ ...good, extra: true }).success).toBe(false);
    expect(roleSchema.safeParse({ ...good, lastReviewed: 'last week' }).success).toBe(false);
    const cred = files.credentials.find((f) => f.slug === 'rn')!.frontmatter;
    expect(credentialSchema.safeParse({ ...cred, compact: null }).success, 'compact must match the taxonomy').toBe(false);
    expect(credentialSchema.safeParse({ ...cred, kind: 'certification' }).success, 'kind must match the taxonomy').toBe(false);
    expect(credentialSchema.safeParse({ ...cred, compact: 'eu' }).success).toBe(false);
    const guide = files.guides[0]!.frontmatter;
    expect(guideSchema.safeParse({ ...guide, kind: 'blog' }).success).toBe(false);
    expect(guideSchema.safeParse({ ...guide, faq: [{ question: 'Why?' }] }).success).toBe(false);
  });

  it('ties every interview guide question to a declared competency, and every competency to a question (the kits’ source)', () => {
    const interview = files.guides.find((f) => f.slug === 'interview-prep-clinician')!.frontmatter as GuideData;
    expect(guideSchema.safeParse(interview).success).toBe(true);
    const { competencies, ...withoutCompetencies } = interview;
    expect(guideSchema.safeParse(withoutCompetencies).success, 'an interview guide lists its competencies').toBe(false);
    const faq = interview.faq!;
    expect(guideSchema.safeParse({ ...interview, faq: [{ ...faq[0]!, competency: 'Juggling' }, ...faq.slice(1)] }).success, 'an undeclared competency').toBe(
      false,
    );
    expect(guideSchema.safeParse({ ...interview, faq: [{ ...faq[0]!, competency: undefined }, ...faq.slice(1)] }).success, 'an untagged question').toBe(false);
    expect(
      guideSchema.safeParse({ ...interview, competencies: [...competencies!, { name: 'Unasked', summary: 'A competency no question assesses at all.' }] })
        .success,
      'a competency without a question',
    ).toBe(false);
    for (const g of guides.filter((x) => x.data.kind === 'interview')) expect(g.data.competencies?.length, g.file.slug).toBeGreaterThanOrEqual(2);
  });
});

describe('content coverage of the taxonomy', () => {
  it('has a page for every role', () => {
    expect([...slugs.roles].sort()).toEqual(ROLES.map((r) => r.slug).sort());
  });

  it('has a page for every credential in the taxonomy, and none outside it', () => {
    expect([...slugs.credentials].sort()).toEqual(CREDENTIALS.map((c) => c.slug).sort());
  });

  it('gives every role an existing interview guide that serves it', () => {
    const wrong = roles.flatMap(({ file, data }) => {
      const g = guides.find((x) => x.file.slug === data.interviewGuide);
      if (!g) return [`${file.file}: interviewGuide ${data.interviewGuide} does not exist`];
      if (g.data.kind !== 'interview') return [`${file.file}: ${data.interviewGuide} is a ${g.data.kind} guide, not interview prep`];
      if (!g.data.roles.includes(data.role)) return [`${g.file.file}: roles should include ${data.role}, whose interview guide it is`];
      return [];
    });
    expect(wrong).toEqual([]);
  });

  it('has interview prep for every role family and the four general guides', () => {
    const kinds = new Set(guides.map((g) => g.data.kind));
    expect([...kinds].sort()).toEqual(['interview', 'levels-of-care', 'licensure', 'resume']);
    const served = new Set(guides.filter((g) => g.data.kind === 'interview').flatMap((g) => g.data.roles));
    expect(ROLES.filter((r) => !served.has(r.slug)).map((r) => r.slug)).toEqual([]);
  });

  it('lists on each role page exactly the credentials postings for that role accept', () => {
    // ROLE_CREDENTIALS drives the seed and job forms; the role page must not promise a different set.
    const wrong = roles.flatMap(({ file, data }) => {
      const page = [...data.requiredCredentials, ...data.preferredCredentials].sort();
      const taxonomy = [...ROLE_CREDENTIALS[data.role as RoleSlug]].sort();
      return JSON.stringify(page) === JSON.stringify(taxonomy) ? [] : [`${file.file}: lists ${page.join(', ')}; postings accept ${taxonomy.join(', ')}`];
    });
    expect(wrong).toEqual([]);
  });

  it('agrees in both directions on which roles a credential qualifies for', () => {
    const wrong: string[] = [];
    for (const r of roles) {
      for (const code of [...r.data.requiredCredentials, ...r.data.preferredCredentials]) {
        const c = credentials.find((x) => x.data.code === code);
        if (c && !c.data.roles.includes(r.data.role)) wrong.push(`${c.file.file}: roles should include ${r.data.role} (its page lists ${code})`);
      }
    }
    for (const c of credentials) {
      for (const role of c.data.roles) {
        const r = roles.find((x) => x.data.role === role);
        if (r && ![...r.data.requiredCredentials, ...r.data.preferredCredentials].includes(c.data.code))
          wrong.push(`${r.file.file}: should list ${c.data.code} (whose page says it qualifies for ${role})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('content links', () => {
  it('points every front-matter reference at a page that exists', () => {
    const missing: string[] = [];
    const need = (f: ContentFile, collection: ContentCollection, slug: string, field: string) => {
      if (!slugs[collection].has(slug)) missing.push(`${f.file}: ${field} → /${collection}/${slug} does not exist`);
    };
    for (const { file, data } of roles) {
      need(file, 'guides', data.interviewGuide, 'interviewGuide');
      for (const r of data.relatedRoles) need(file, 'roles', r, 'relatedRoles');
      for (const c of [...data.requiredCredentials, ...data.preferredCredentials]) need(file, 'credentials', credentialByCode(c)?.slug ?? c, 'credentials');
    }
    for (const { file, data } of credentials) for (const r of data.roles) need(file, 'roles', r, 'roles');
    for (const { file, data } of guides) for (const r of data.roles) need(file, 'roles', r, 'roles');
    expect(missing).toEqual([]);
  });

  it('points every link in every Markdown body at a page that exists', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const f of all) {
      for (const link of markdownLinks(f.body)) {
        const t = classifyLink(link.href);
        checked++;
        if (t.type === 'invalid') broken.push(`${f.file}:${link.line}: ${link.href} (${t.reason})`);
        else if (t.type === 'content' && !slugs[t.collection].has(t.slug))
          broken.push(`${f.file}:${link.line}: ${link.href} (no ${t.collection} page "${t.slug}")`);
        else if (t.type === 'page' && t.path === '/jobs' && [...t.search.keys()].length) {
          try {
            parseSearchParams(t.search);
          } catch (err) {
            broken.push(`${f.file}:${link.line}: ${link.href} (${err instanceof Error ? err.message : err})`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('links each credential a role page names, and the role interview guide', () => {
    const missing: string[] = [];
    for (const { file, data } of roles) {
      const targets = new Set(markdownLinks(file.body).map((l) => l.href.split(/[?#]/)[0]));
      for (const c of data.requiredCredentials) {
        const href = `/credentials/${credentialByCode(c)?.slug}`;
        if (!targets.has(href)) missing.push(`${file.file}: no link to ${href}`);
      }
      if (!targets.has(`/guides/${data.interviewGuide}`)) missing.push(`${file.file}: no link to its interview guide /guides/${data.interviewGuide}`);
    }
    for (const { file, data } of credentials) {
      const targets = new Set(markdownLinks(file.body).map((l) => l.href.split(/[?#]/)[0]));
      for (const r of data.roles) if (!targets.has(`/roles/${r}`)) missing.push(`${file.file}: "Roles it qualifies for" has no link to /roles/${r}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('content bodies', () => {
  const ROLE_SECTIONS = [
    'What the work is',
    'A day in a PHP',
    'A day in an IOP',
    'Responsibilities',
    'Credentials',
    'Skills that matter',
    'Career path',
    'How to stand out',
  ];
  const CREDENTIAL_SECTIONS = [
    'What it is',
    'Who issues it',
    'Typical requirements',
    'Title variants by state',
    'Compacts and working across state lines',
    'Roles it qualifies for',
  ];
  /** Ids the pages give their own sections; a body heading with the same slug would break the table of contents. */
  const PAGE_IDS = ['at-a-glance', 'pay-range', 'open-jobs', 'related-pages', 'common-questions'];
  const headings = (body: string) =>
    body
      .split('\n')
      .filter((l) => /^#{2,6} /.test(l))
      .map((l) => l.replace(/^#+ /, '').trim());

  it('starts at ## (the page renders the title as the only h1)', () => {
    expect(all.filter((f) => /^# /m.test(f.body)).map((f) => f.file)).toEqual([]);
    expect(all.filter((f) => !/^## /m.test(f.body)).map((f) => `${f.file}: no ## headings for the table of contents`)).toEqual([]);
  });

  it('has no raw HTML', () => {
    const html = all.flatMap((f) =>
      f.body
        .split('\n')
        .map((l, i) => [l.replace(/`[^`]*`/g, ''), i + 1] as const)
        .filter(([l]) => /<\/?[a-zA-Z][^>]*>|<!--/.test(l) && !/<(https?:\/\/|\/)[^>\s]+>/.test(l))
        .map(([, n]) => `${f.file}:${n}`),
    );
    expect(html).toEqual([]);
  });

  it('gives role and credential pages the sections FRONTMATTER.md lists, in order', () => {
    const wrong = [
      ...files.roles
        .filter((f) => JSON.stringify(headings(f.body).filter((h) => ROLE_SECTIONS.includes(h))) !== JSON.stringify(ROLE_SECTIONS))
        .map((f) => `${f.file}: ${headings(f.body).join(' | ')}`),
      ...files.credentials
        .filter((f) => JSON.stringify(headings(f.body).filter((h) => CREDENTIAL_SECTIONS.includes(h))) !== JSON.stringify(CREDENTIAL_SECTIONS))
        .map((f) => `${f.file}: ${headings(f.body).join(' | ')}`),
    ];
    expect(wrong).toEqual([]);
  });

  it('types no pay figures into role pages (pay comes from live postings)', () => {
    expect(files.roles.filter((f) => /\$\s?\d/.test(f.body)).map((f) => f.file)).toEqual([]);
  });

  it('has no body heading that collides with the ids the pages add', () => {
    const clashes = all.flatMap((f) =>
      headings(f.body)
        .filter((h) => PAGE_IDS.includes(slugify(h)))
        .map((h) => `${f.file}: "${h}"`),
    );
    expect(clashes).toEqual([]);
  });

  it('asks each FAQ question once per guide', () => {
    const dupes = guides.flatMap(({ file, data }) => {
      const qs = (data.faq ?? []).map((q) => q.question.toLowerCase());
      return qs.filter((q, i) => qs.indexOf(q) !== i).map((q) => `${file.file}: "${q}"`);
    });
    expect(dupes).toEqual([]);
    expect(guides.filter((g) => g.data.kind === 'interview' && !g.data.faq).map((g) => g.file.file)).toEqual([]);
  });
});
