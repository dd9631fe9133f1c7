import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchEngine } from '#lib/search/engine';
import { makeJob, makeOrg } from '../helpers/factories';
import { drainAll, search } from '../helpers/search';
import { freshEngine, hasMeili, hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

const DAY = 86_400_000;

describe.skipIf(!hasPostgres || !hasMeili)(`"Highest pay" sorts by annualized pay on both engines (${skipReason})`, () => {
  const h = useTestDb();
  let engine: SearchEngine;
  const expected: string[] = [];

  beforeAll(async () => {
    engine = await freshEngine();
    const org = await makeOrg(h.db, 'Paysort Behavioral');
    const add = (title: string, payMin: number, payMax: number, payPeriod: 'hour' | 'year', daysAgo: number) =>
      makeJob(h.db, org.id, { title, payMin, payMax, payPeriod, postedAt: new Date(Date.now() - daysAgo * DAY) });
    // Inserted in an order unlike the expected one; annualized minimum first, then maximum, then newest.
    const f = await add('Hourly low', 30, 38, 'hour', 1); // 62,400
    const a = await add('Hourly high', 60, 70, 'hour', 5); // 124,800–145,600
    const g = await add('Yearly wide', 120_000, 200_000, 'year', 1);
    const c = await add('Yearly tie', 124_800, 145_600, 'year', 1); // ties with "Hourly high", newer
    const b = await add('Yearly tie higher top', 124_800, 150_000, 'year', 2);
    const e = await add('Yearly top', 130_000, 131_000, 'year', 9);
    expected.push(e.id, b.id, c.id, a.id, g.id, f.id);
    await drainAll(h.db, engine);
  });
  afterAll(async () => {
    await engine.client.deleteIndex(engine.indexName).waitTask();
  });

  it('on Meilisearch', async () => {
    const r = await search(h.db, engine, 'sort=pay');
    expect(r.engine).toBe('meilisearch');
    expect(r.hits.map((x) => x.id)).toEqual(expected);
  });

  it('on the PostgreSQL fallback', async () => {
    const r = await search(h.db, engine, 'sort=pay', { forceEngine: 'postgres' });
    expect(r.engine).toBe('postgres');
    expect(r.hits.map((x) => x.id)).toEqual(expected);
  });

  it('with search words too, on both', async () => {
    const m = await search(h.db, engine, 'q=paysort&sort=pay');
    const p = await search(h.db, engine, 'q=paysort&sort=pay', { forceEngine: 'postgres' });
    expect(m.hits.map((x) => x.id)).toEqual(expected);
    expect(p.hits.map((x) => x.id)).toEqual(expected);
  });
});
