import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rows, type Db } from '#db/client';
import { closeJob, createJob, updateJob } from '#lib/jobs/service';
import type { SearchEngine } from '#lib/search/engine';
import { FRESH_CAP, freshPass } from '#lib/search/fresh';
import { createSearchWorker, drainOnce, enqueueSearchSync, pendingCount, searchSyncPending } from '#lib/search/outbox';
import { jobInput, makeJob, makeTeam, type Team } from '../helpers/factories';
import { search } from '../helpers/search';
import { freshEngine, hasMeili, hasPostgres, skipReason } from '../helpers/services';
import { usePgliteDb, useTestDb } from '../helpers/test-db';

/**
 * Issue 13, "fresh jobs searchable in a second": a one-document write to the main index costs
 * 1.4 s at 87k jobs on this machine however small the batch, so a change is served from a small
 * fresh index at once and the main index takes held changes in one batch later (fresh.ts). The
 * hold here is an hour: anything searchable before catchUp() came through the fresh index.
 */
const HOUR = 3_600_000;

/** Runs fresh passes until none finds a row. */
async function settleFresh(db: Db, engine: SearchEngine): Promise<void> {
  for (let i = 0; i < 50; i++) if ((await freshPass(db, engine)).claimed === 0) return;
}

/** Ends the hold: every row is due, and the main index takes them all. */
async function catchUp(db: Db, engine: SearchEngine): Promise<void> {
  await db.execute(sql`update search_outbox set available_at = now()`);
  for (let i = 0; i < 50 && (await pendingCount(db)) > 0; i++) {
    const r = await drainOnce(db, engine);
    if (r.failed) throw new Error(`drain failed: ${r.failure?.message}`);
  }
}

async function inMainIndex(engine: SearchEngine, id: string): Promise<boolean> {
  return engine
    .index()
    .getDocument(id)
    .then(
      () => true,
      () => false,
    );
}

const freshRows = (db: Db) =>
  rows<{ job_id: string; rev: number | string; tombstone: boolean }>(db, sql`select job_id, rev, tombstone from search_fresh order by rev`);

/** What a results page says, in a form two pages can be compared by. */
async function page(db: Db, engine: SearchEngine, qs: string) {
  const r = await search(db, engine, qs);
  return { total: r.total, ids: r.hits.map((h) => h.id), titles: r.hits.map((h) => h.title), facets: r.facets };
}

/** Publish → live through the fresh index → the main index catches up; run on both databases the app runs on. */
async function servesAPublishedJob(db: Db): Promise<void> {
  const engine = await freshEngine({ freshHoldMs: HOUR });
  const team = await makeTeam(db, 'Fresh Harbor');
  const job = await createJob(db, team.actors.admin, jobInput({ title: 'Therapist Brightwater' }), { publish: true });
  expect(await searchSyncPending(db, job.id)).toBe(true);
  expect((await search(db, engine, 'q=Brightwater')).total).toBe(0);

  await settleFresh(db, engine);
  expect(await searchSyncPending(db, job.id)).toBe(false);
  const found = await search(db, engine, 'q=Brightwater');
  expect(found.hits.map((x) => x.id)).toEqual([job.id]);
  expect(found.total).toBe(1);
  expect(await inMainIndex(engine, job.id)).toBe(false);
  // The main drain leaves held rows alone until the hold ends.
  expect((await drainOnce(db, engine, 1000, { leaveNewToFresh: true })).claimed).toBe(0);

  await catchUp(db, engine);
  expect(await inMainIndex(engine, job.id)).toBe(true);
  expect(await freshRows(db)).toEqual([]);
  expect((await search(db, engine, 'q=Brightwater')).hits.map((x) => x.id)).toEqual([job.id]);
}

describe.skipIf(!hasPostgres || !hasMeili)(`fresh index (${skipReason})`, () => {
  const h = useTestDb();
  // Each test starts with nothing queued and nothing in the fresh index (its engine's indexes are its own).
  beforeEach(async () => {
    await h.db.execute(sql`delete from search_outbox`);
    await h.db.execute(sql`delete from search_fresh`);
  });

  /** A team with `n` jobs the main index holds, each posted a minute apart and paid $1,000 apart, so every sort has one order. */
  async function indexedTeam(engine: SearchEngine, n: number, label: string): Promise<{ team: Team; ids: string[] }> {
    const team = await makeTeam(h.db, `Fresh ${label}`);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const job = await makeJob(h.db, team.org.id, {
        title: `${i % 3 === 0 ? 'Nurse' : 'Therapist'} ${label} ${i}`,
        role: i % 3 === 0 ? 'registered-nurse' : 'therapist',
        state: i % 2 === 0 ? 'PA' : 'OH',
        payMin: 50_000 + i * 1000,
        payMax: 90_000 + i * 1000,
        postedAt: new Date(Date.now() - (i + 1) * 120_000),
        credentials: i % 3 === 0 ? ['RN'] : ['LCSW'],
      });
      ids.push(job.id);
    }
    await catchUp(h.db, engine);
    return { team, ids };
  }

  it('serves a published job from the fresh index before the main index has it, and says it is live only then', () => servesAPublishedJob(h.db));

  it('shows an edit and a close at once, counting each job once in totals and facets', async () => {
    const engine = await freshEngine({ freshHoldMs: HOUR });
    const { team, ids } = await indexedTeam(engine, 6, 'Counted');
    const before = await search(h.db, engine, 'q=Counted');
    expect(before.total).toBe(6);

    // ids[1] is a therapist: retitled. ids[0] is a nurse: closed.
    await updateJob(
      h.db,
      team.actors.admin,
      ids[1]!,
      jobInput({ title: 'Therapist Counted Renamed Lanternfish', role: 'therapist', state: 'OH', credentials: ['LCSW'] }),
    );
    await closeJob(h.db, team.actors.admin, ids[0]!);
    await settleFresh(h.db, engine);
    expect(await inMainIndex(engine, ids[0]!)).toBe(true); // the main index still has the closed job…

    const after = await search(h.db, engine, 'q=Counted');
    expect(after.total).toBe(5); // …and search does not count it
    expect(after.hits.map((x) => x.id)).not.toContain(ids[0]);
    expect(after.hits.filter((x) => x.id === ids[1])).toHaveLength(1);
    expect(after.facets.role).toEqual({ 'registered-nurse': before.facets.role['registered-nurse']! - 1, therapist: before.facets.role.therapist });
    expect((await search(h.db, engine, 'q=Lanternfish')).hits.map((x) => x.id)).toEqual([ids[1]]);
    // A selected facet is counted without its own filter, over both indexes.
    const nurses = await search(h.db, engine, 'q=Counted&role=registered-nurse');
    expect(nurses.total).toBe(before.facets.role['registered-nurse']! - 1);
    expect(nurses.facets.role).toEqual(after.facets.role);
    expect((await freshRows(h.db)).map((r) => [r.job_id, r.tombstone]).sort()).toEqual(
      [
        [ids[0], true],
        [ids[1], false],
      ].sort(),
    );
  });

  it('merges pages exactly as the main index orders them once it has caught up', async () => {
    const engine = await freshEngine({ freshHoldMs: HOUR });
    const label = 'Merged';
    const { team, ids } = await indexedTeam(engine, 45, label);
    // Three new jobs whose post time and pay fall between existing ones, and two existing jobs moved by an edit.
    for (const [i, at] of [
      [100, 4.5],
      [101, 21.5],
      [102, 40.5],
    ] as const) {
      const nurse = i === 101;
      const job = await makeJob(h.db, team.org.id, {
        title: `${nurse ? 'Nurse' : 'Therapist'} ${label} ${i}`,
        role: nurse ? 'registered-nurse' : 'therapist',
        credentials: nurse ? ['RN'] : ['LCSW'],
        payMin: 50_000 + at * 1000,
        payMax: 150_000,
        postedAt: new Date(Date.now() - (at + 1) * 120_000),
      });
      expect(job.id).toBeTruthy();
    }
    await h.db.execute(sql`update jobs set pay_min = 50500, posted_at = now() - interval '30 seconds' where id = ${ids[30]!}`);
    await h.db.execute(sql`update jobs set state = 'NY' where id = ${ids[7]!}`);
    await enqueueSearchSync(h.db, [ids[30]!, ids[7]!]);
    await settleFresh(h.db, engine);
    expect((await freshRows(h.db)).length).toBe(5);

    const relevance = [1, 2, 3].map((n) => `q=${label} nurse&page=${n}`);
    const queries = [
      ...relevance,
      `q=${label}&sort=newest`,
      `q=${label}&sort=newest&page=2`,
      `q=${label}&sort=newest&page=3`,
      `q=${label}&sort=pay&page=2`,
      `q=${label}&sort=pay&page=3`,
      `q=${label}&role=therapist&sort=pay&page=2`,
      `q=${label}&state=PA&state=NY&sort=newest`,
    ];
    const merged = await Promise.all(queries.map((qs) => page(h.db, engine, qs)));
    await catchUp(h.db, engine);
    expect(await freshRows(h.db)).toEqual([]);
    const caughtUp = await Promise.all(queries.map((qs) => page(h.db, engine, qs)));
    for (const [i, qs] of queries.entries()) {
      const [m, c] = [merged[i]!, caughtUp[i]!];
      expect({ qs, total: m.total, facets: m.facets }).toEqual({ qs, total: c.total, facets: c.facets });
      // Every sort here has one order. Relevance ties (all nurses match both words alike, all therapists one),
      // and the engine breaks ties by its internal ids: there the ranks must agree, and every job appear once.
      if (qs.includes('sort=')) expect({ qs, ids: m.ids }).toEqual({ qs, ids: c.ids });
      else expect({ qs, ranks: m.titles.map((t) => t.startsWith('Nurse')) }).toEqual({ qs, ranks: c.titles.map((t) => t.startsWith('Nurse')) });
    }
    const everyPage = (pages: { ids: string[] }[]) =>
      pages
        .slice(0, relevance.length)
        .flatMap((p) => p.ids)
        .sort();
    expect(everyPage(merged)).toEqual(everyPage(caughtUp));
    expect(new Set(everyPage(merged)).size).toBe(48);
    expect(merged[0]!.titles.filter((t) => t.startsWith('Nurse')).length).toBe(16);
  });

  it('keeps a job in the fresh index when a newer change arrives after the one the main index wrote', async () => {
    const engine = await freshEngine({ freshHoldMs: HOUR });
    const team = await makeTeam(h.db, 'Fresh Revisions');
    const job = await createJob(h.db, team.actors.admin, jobInput({ title: 'Therapist Revision One' }), { publish: true });
    await settleFresh(h.db, engine);
    const first = await rows<{ id: number | string }>(h.db, sql`select id from search_outbox where job_id = ${job.id} order by id`);
    await h.db.execute(sql`update jobs set title = 'Therapist Revision Two' where id = ${job.id}`);
    await enqueueSearchSync(h.db, [job.id]);
    await settleFresh(h.db, engine);
    const [entry] = await freshRows(h.db);
    const newest = Math.max(
      ...(await rows<{ id: number | string }>(h.db, sql`select id from search_outbox where job_id = ${job.id}`)).map((r) => Number(r.id)),
    );
    expect(Number(entry!.rev)).toBe(newest);

    // The main index writes the first rows only: the entry, answering a newer row, stays.
    await h.db.execute(
      sql`update search_outbox set available_at = now() where id in (${sql.join(
        first.map((f) => sql`${Number(f.id)}`),
        sql`, `,
      )})`,
    );
    const r = await drainOnce(h.db, engine);
    expect(r.claimed).toBe(first.length);
    expect((await freshRows(h.db)).map((x) => Number(x.rev))).toEqual([newest]);
    expect((await search(h.db, engine, 'q=Revision')).hits.map((x) => x.title)).toEqual(['Therapist Revision Two']);
    await catchUp(h.db, engine);
    expect(await freshRows(h.db)).toEqual([]);
  });

  it('leaves changes to the main index when the fresh index is full, losing none', async () => {
    const engine = await freshEngine({ freshHoldMs: HOUR });
    await h.db.execute(sql`insert into search_fresh (job_id, rev, tombstone) select gen_random_uuid(), 0, true from generate_series(1, ${FRESH_CAP})`);
    try {
      const team = await makeTeam(h.db, 'Fresh Full');
      const job = await createJob(h.db, team.actors.admin, jobInput({ title: 'Therapist Overflowmarsh' }), { publish: true });
      const pass = await freshPass(h.db, engine);
      expect(pass).toMatchObject({ live: 0 });
      expect(await searchSyncPending(h.db, job.id)).toBe(true);
      const r = await drainOnce(h.db, engine, 1000, { leaveNewToFresh: true });
      expect(r.upserted).toBeGreaterThan(0);
      expect(await searchSyncPending(h.db, job.id)).toBe(false);
      expect((await search(h.db, engine, 'q=Overflowmarsh')).total).toBe(1);
    } finally {
      await h.db.execute(sql`delete from search_fresh where rev = 0`);
    }
  });

  it('two workers on one database and one engine serve every change once', async () => {
    const a = await freshEngine({ freshHoldMs: 1500 });
    const b = { ...a };
    const other = await h.connect({ max: 4 });
    const workers = [createSearchWorker(h.handle, a), createSearchWorker(other, b)];
    await Promise.all(workers.map((w) => w.start()));
    try {
      const team = await makeTeam(h.db, 'Fresh Pair');
      const made = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          createJob(i % 2 ? h.db : other.db, team.actors.admin, jobInput({ title: `Therapist Pairwise ${i}` }), { publish: true }),
        ),
      );
      const deadline = Date.now() + 20_000;
      let found = 0;
      while (Date.now() < deadline && found < made.length) {
        found = (await search(h.db, a, 'q=Pairwise')).total;
        if (found < made.length) await new Promise((r) => setTimeout(r, 25));
      }
      expect(found).toBe(made.length);
      // After the hold the main index has them all and the fresh index lists none.
      while (Date.now() < deadline && ((await pendingCount(h.db)) > 0 || (await freshRows(h.db)).length > 0)) await new Promise((r) => setTimeout(r, 50));
      expect(await freshRows(h.db)).toEqual([]);
      const all = await search(h.db, a, 'q=Pairwise');
      expect(all.total).toBe(made.length);
      expect(new Set(all.hits.map((x) => x.id)).size).toBe(made.length);
      for (const m of made) expect(await inMainIndex(a, m.id)).toBe(true);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});

// `npm start` runs on PGlite: the fresh pass's advisory locks, row locks and upserts run there too.
describe.skipIf(!hasMeili)(`fresh index on PGlite (${skipReason})`, () => {
  const h = usePgliteDb();
  it('serves a published job from the fresh index before the main index has it', () => servesAPublishedJob(h.db));
});
