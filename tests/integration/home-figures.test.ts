import { describe, expect, it } from 'vitest';
import { cachedHomeFigures, homeFigures, payBandText } from '#lib/jobs/home';
import { countOpenJobs } from '#lib/jobs/queries';
import { makeJob, makeTeam } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { usePgliteDb, useTestDb, type TestDb } from '../helpers/test-db';

const DAY = 86_400_000;

/** Open jobs by role and state, pay bands, newest first: what the home page shows is what the database holds. */
async function seed(h: TestDb) {
  const t = await makeTeam(h.db);
  const org = t.org.id;
  // Therapists: three yearly (PA, PA, NY) and one hourly (NY).
  await makeJob(h.db, org, { role: 'therapist', state: 'PA', payMin: 60000, payMax: 70000 });
  await makeJob(h.db, org, { role: 'therapist', state: 'PA', payMin: 62000, payMax: 80000 });
  await makeJob(h.db, org, { role: 'therapist', state: 'NY', payMin: 64000, payMax: 90000 });
  await makeJob(h.db, org, { role: 'therapist', state: 'NY', payMin: 40, payMax: 50, payPeriod: 'hour' });
  // A nurse in NJ, posted last, so it leads the newest jobs.
  const newest = await makeJob(h.db, org, {
    role: 'registered-nurse',
    state: 'NJ',
    payMin: 45,
    payMax: 45,
    payPeriod: 'hour',
    postedAt: new Date(),
    title: 'Newest RN',
  });
  // Not open: a draft, a closed posting, one past its valid-through. None of them counts.
  await makeJob(h.db, org, { role: 'case-manager', state: 'OH', status: 'draft', postedAt: null });
  await makeJob(h.db, org, { role: 'case-manager', state: 'OH', status: 'closed' });
  await makeJob(h.db, org, { role: 'case-manager', state: 'OH', validThrough: new Date(Date.now() - DAY) });
  return { newest };
}

function checks(h: TestDb) {
  it('counts open jobs per role and state, with pay bands per period, from the database', async () => {
    const { newest } = await seed(h);
    const fig = await homeFigures(h.db);
    expect(fig.open).toBe(5);
    expect(fig.open).toBe(await countOpenJobs(h.db));
    const role = (slug: string) => fig.roles.find((r) => r.slug === slug)!;
    expect(role('therapist').open).toBe(4);
    // Percentile 10 of the minimums to 90 of the maximums: 60,000 + 0.2 × 2,000 = 60,400; 80,000 + 0.8 × 10,000 = 88,000.
    expect(role('therapist').yearly).toEqual([60400, 88000]);
    expect(role('therapist').hourly).toEqual([40, 50]);
    expect(role('registered-nurse')).toMatchObject({ open: 1, hourly: [45, 45] });
    expect(role('registered-nurse').yearly).toBeUndefined();
    // Every role has a card, the closed/draft/expired case manager jobs count for nothing.
    expect(fig.roles).toHaveLength(11);
    expect(role('case-manager').open).toBe(0);
    expect(fig.states).toEqual([
      { state: 'NY', open: 2 },
      { state: 'PA', open: 2 },
      { state: 'NJ', open: 1 },
    ]);
    expect(fig.latest[0]!.id).toBe(newest.id);
    expect(fig.latest).toHaveLength(5);
  });

  it('caches the figures for a short time, then recomputes', async () => {
    const t = await makeTeam(h.db);
    const now = Date.now();
    const first = await cachedHomeFigures(h.db, now);
    await makeJob(h.db, t.org.id, { role: 'peer-support-specialist', state: 'VT' });
    expect((await cachedHomeFigures(h.db, now + 10_000)).open).toBe(first.open);
    expect((await cachedHomeFigures(h.db, now + 31_000)).open).toBe(first.open + 1);
  });
}

describe.skipIf(!hasPostgres)(`home page figures on PostgreSQL (${skipReason ?? 'server available'})`, () => {
  checks(useTestDb());
});

describe('home page figures on PGlite', () => {
  checks(usePgliteDb());
});

describe('pay band text', () => {
  it('reads as a person writes pay', () => {
    expect(payBandText([28.4, 45.2], 'hour')).toBe('$28–$45 an hour');
    expect(payBandText([62000, 95400], 'year')).toBe('$62k–$95k a year');
    expect(payBandText([45, 45], 'hour')).toBe('$45 an hour');
  });
});
