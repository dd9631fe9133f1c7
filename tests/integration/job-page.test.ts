import { asc, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows, type Db } from '#db/client';
import { jobCredentials, jobs, organizations, screeningQuestions } from '#db/schema';
import { getPublicJob, jobState } from '#lib/jobs/queries';
import { createJob, duplicateJob, updateJob } from '#lib/jobs/service';
import { createViewCounter } from '#lib/jobs/views';
import { renderUntrustedMarkdown } from '#lib/markdown';
import { jobInput, makeJob, makeQuestions, makeTeam, type Team } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { usePgliteDb, useTestDb, type TestDb } from '../helpers/test-db';

/** The job page's data read the plain way, one table at a time: the oracle for the one-query version. */
async function separateReadsPublicJob(db: Db, slug: string) {
  const [job] = await db.select().from(jobs).where(eq(jobs.slug, slug));
  if (!job || job.status === 'draft') return null;
  const [o] = await db.select().from(organizations).where(eq(organizations.id, job.orgId));
  if (!o) return null;
  const found = { job, org: { id: o.id, slug: o.slug, name: o.name, website: o.website, description: o.description, logoPath: o.logoPath } };
  const creds = await db
    .select({ code: jobCredentials.credentialCode })
    .from(jobCredentials)
    .where(eq(jobCredentials.jobId, found.job.id))
    .orderBy(asc(jobCredentials.credentialCode));
  const questions = await db.select().from(screeningQuestions).where(eq(screeningQuestions.jobId, found.job.id)).orderBy(asc(screeningQuestions.position));
  return { ...found, credentials: creds.map((c) => c.code), questions, ...jobState(found.job) };
}

const viewsOf = async (db: Db, id: string) => (await db.select({ n: jobs.viewCount }).from(jobs).where(eq(jobs.id, id)))[0]!.n;

function pageQueryMatchesThreeQueries(h: TestDb) {
  it('reads the job, organization, credentials and questions in one query, the same data as reading each table on its own', async () => {
    const t = await makeTeam(h.db);
    const job = await makeJob(h.db, t.org.id, { credentials: ['LPC', 'LCSW', 'LMFT'] });
    await makeQuestions(h.db, job.id, [
      { kind: 'single_choice', prompt: 'Which shift?', options: ['Day', 'Evening'], knockoutAnswer: null },
      { kind: 'yes_no', prompt: 'Licensed in PA?', knockoutAnswer: 'no' },
      { kind: 'short_text', prompt: 'Anything else?', required: false },
    ]);
    const bare = await makeJob(h.db, t.org.id, { credentials: [] });
    const draft = await makeJob(h.db, t.org.id, { status: 'draft', postedAt: null });
    for (const slug of [job.slug, bare.slug, draft.slug, 'no-such-job']) {
      const now = new Date();
      expect(await getPublicJob(h.db, slug, now), slug).toEqual(await separateReadsPublicJob(h.db, slug));
    }
    const got = await getPublicJob(h.db, job.slug);
    expect(got?.credentials).toEqual(['LCSW', 'LMFT', 'LPC']);
    expect(got?.questions.map((q) => q.prompt)).toEqual(['Which shift?', 'Licensed in PA?', 'Anything else?']);
    expect(await getPublicJob(h.db, draft.slug)).toBeNull();
  });
}

describe.skipIf(!hasPostgres)(`job page data on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();
  let t: Team;
  beforeAll(async () => {
    t = await makeTeam(h.db);
  });

  it('stores the description as sanitized HTML when a posting is created, edited or duplicated', async () => {
    const md = '## Team\n\nWe run **adult PHP**.\n\n<script>alert(1)</script>\n\n- groups\n- [site](https://example.org)';
    const created = await createJob(h.db, t.actors.admin, jobInput({ descriptionMd: md }));
    const html = async (id: string) => (await h.db.select({ html: jobs.descriptionHtml }).from(jobs).where(eq(jobs.id, id)))[0]!.html;
    expect(await html(created.id)).toBe(renderUntrustedMarkdown(md));
    expect(await html(created.id)).not.toContain('<script');

    const edited = '## Changed\n\nNow *evening* IOP too, three hours a day, four days a week, in Pittsburgh.';
    await updateJob(h.db, t.actors.admin, created.id, jobInput({ descriptionMd: edited }), {
      version: created.version,
    });
    expect(await html(created.id)).toBe(renderUntrustedMarkdown(edited));

    const copy = await duplicateJob(h.db, t.actors.admin, created.id);
    expect(await html(copy.id)).toBe(renderUntrustedMarkdown(edited));
    // A row written before the column existed (null) gets it when duplicated.
    const old = await makeJob(h.db, t.org.id, { descriptionMd: 'Old **row**.' });
    const oldCopy = await duplicateJob(h.db, t.actors.admin, old.id);
    expect(await html(oldCopy.id)).toBe(renderUntrustedMarkdown('Old **row**.'));
  });

  pageQueryMatchesThreeQueries(h);

  it('counts views in memory and writes them in one UPDATE per flush, not one per view', async () => {
    const a = await makeJob(h.db, t.org.id);
    const b = await makeJob(h.db, t.org.id);
    const counter = createViewCounter(h.db);
    for (let i = 0; i < 25; i++) counter.count(a.id);
    for (let i = 0; i < 7; i++) counter.count(b.id);
    expect(counter.pending()).toBe(32);
    // Nothing written per view.
    expect([await viewsOf(h.db, a.id), await viewsOf(h.db, b.id)]).toEqual([0, 0]);

    expect(await counter.flush()).toBe(2);
    expect([await viewsOf(h.db, a.id), await viewsOf(h.db, b.id)]).toEqual([25, 7]);
    expect(counter.pending()).toBe(0);
    // Both rows were written by the same statement (one transaction id).
    const xmins = await rows<{ x: string }>(h.db, sql`select xmin::text as x from jobs where id in (${a.id}, ${b.id})`);
    expect(new Set(xmins.map((r) => r.x)).size).toBe(1);

    // An empty flush writes nothing; later views add to what is stored.
    expect(await counter.flush()).toBe(0);
    counter.count(a.id);
    await counter.stop();
    expect(await viewsOf(h.db, a.id)).toBe(26);
  });
});

describe(`job page data on PGlite`, () => {
  const h = usePgliteDb();
  pageQueryMatchesThreeQueries(h);

  it('flushes view counts on PGlite too', async () => {
    const t = await makeTeam(h.db);
    const a = await makeJob(h.db, t.org.id);
    const counter = createViewCounter(h.db);
    for (let i = 0; i < 5; i++) counter.count(a.id);
    expect(await counter.flush()).toBe(1);
    expect(await viewsOf(h.db, a.id)).toBe(5);
  });
});
