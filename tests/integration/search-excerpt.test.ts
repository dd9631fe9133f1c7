import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { jobs } from '#db/schema';
import { loadIndexState } from '#lib/search/documents';
import { makeJob, makeOrg } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { usePgliteDb, useTestDb, type TestDb } from '../helpers/test-db';

/**
 * The search document of a job, as the outbox and the reindex build it: the description's excerpt
 * comes from `jobs.search_excerpt`, which PostgreSQL keeps (`job_search_excerpt`, migration 0016),
 * and the annualized pay from the generated pay columns. Checked on both databases the app runs on.
 */
function suite(name: string, use: () => TestDb) {
  describe(name, () => {
    const h = use();

    async function excerptOf(descriptionMd: string): Promise<string> {
      const org = await makeOrg(h.db);
      const job = await makeJob(h.db, org.id, { descriptionMd });
      const [doc] = (await loadIndexState(h.db, [job.id])).upserts;
      return doc!.description;
    }

    it('turns Markdown into plain words: headings, emphasis and links lose their marks, links keep their text', async () => {
      expect(await excerptOf('## About\n**Great** [team](https://x.y)')).toBe('About Great team');
    });

    it('drops fenced code and images, and folds dashes and Unicode spaces into single spaces', async () => {
      expect(await excerptOf('Intro\n\n```\ncode here\n```\n\n![logo](a.png) - on-site  --  ok\u00a0now\u2003then')).toBe('Intro on site ok now then');
      expect(await excerptOf('> quote | table ~~gone~~ _em_')).toBe('quote table gone em');
    });

    it('keeps at most 500 characters, marked as cut, from the opening 1,000 of the description', async () => {
      const long = await excerptOf(`${'Group therapy. '.repeat(60)}UNREACHED`);
      expect(long).toHaveLength(501);
      expect(long.endsWith('…')).toBe(true);
      expect(long).not.toContain('UNREACHED');
      // Cut by characters, never inside one: the emoji after 499 letters stays whole.
      const emoji = await excerptOf(`${'a'.repeat(499)}\u{1F600}${'b'.repeat(20)}`);
      expect([...emoji]).toHaveLength(501);
      expect(emoji.slice(499, 501)).toBe('\u{1F600}');
    });

    it('follows an edit of the description, because PostgreSQL writes the excerpt with the row', async () => {
      const org = await makeOrg(h.db, 'Harbor IOP');
      const job = await makeJob(h.db, org.id, { descriptionMd: 'First **draft**' });
      await h.db.update(jobs).set({ descriptionMd: 'Second _take_' }).where(eq(jobs.id, job.id));
      const [row] = await h.db.select({ excerpt: jobs.searchExcerpt }).from(jobs).where(eq(jobs.id, job.id));
      expect(row?.excerpt).toBe('Second take');
    });

    it('builds the rest of the document: annualized pay, expanded programs, sorted credentials, unix seconds', async () => {
      const org = await makeOrg(h.db, 'Summit Behavioral Health');
      const postedAt = new Date(1_700_000_000_500);
      const job = await makeJob(h.db, org.id, {
        programType: 'PHP_IOP',
        payMin: 30,
        payMax: 40,
        payPeriod: 'hour',
        credentials: ['LPC', 'LCSW'],
        postedAt,
      });
      const { upserts, deletes } = await loadIndexState(h.db, [job.id]);
      expect(deletes).toEqual([]);
      const [d] = upserts;
      expect(d).toMatchObject({
        id: job.id,
        organization: 'Summit Behavioral Health',
        payMinAnnual: 62_400,
        payMaxAnnual: 83_200,
        programs: ['PHP', 'IOP', 'PHP_IOP'],
        credentials: ['LCSW', 'LPC'],
        postedAt: 1_700_000_000,
        validThrough: Math.floor(job.validThrough.getTime() / 1000),
        _geo: { lat: job.lat, lng: job.lng },
      });
      expect([...d!.credentialClasses].sort()).toEqual(['professional-counselor', 'social-work']);
      expect(d!.credentialNames).toContain('Licensed Clinical Social Worker');
    });

    it('asks for a delete when the job is no longer searchable', async () => {
      const org = await makeOrg(h.db, 'Lakeside PHP');
      const closed = await makeJob(h.db, org.id, { status: 'closed' });
      const expired = await makeJob(h.db, org.id);
      await h.db.execute(sql`update jobs set expired_at = now() where id = ${expired.id}`);
      const { upserts, deletes } = await loadIndexState(h.db, [closed.id, expired.id]);
      expect(upserts).toEqual([]);
      expect(deletes.sort()).toEqual([closed.id, expired.id].sort());
    });
  });
}

describe.skipIf(!hasPostgres)(`search documents on PostgreSQL (${skipReason})`, () => suite('PostgreSQL', () => useTestDb()));
describe('search documents on PGlite', () => suite('PGlite', usePgliteDb));
