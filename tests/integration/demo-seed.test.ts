import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows } from '#db/client';
import { DEMO_LOGINS, DEMO_ORGS, seedDemo, seedDemoPipeline, seedJobs } from '#db/seed';
import { APPLICATION_STAGES } from '#lib/domain/taxonomy';
import { postingCounts } from '#lib/jobs/queries';
import { funnelReport, funnelTotal, sourcesReport, speedReport } from '#lib/reports/queries';
import { demoLoginLines, postingsLine } from '../../src/cli/banner';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

/** Issue 10, "the newcomer's first minutes": demo data is alive and the start banner explains it. */
describe.skipIf(!hasPostgres)(`demo data on first start (${skipReason})`, () => {
  const h = useTestDb();

  it('seeds a pipeline with every stage, notes, ratings, knockouts, verified, expiring and expired licenses', async () => {
    await seedDemo(h.db, { seed: 1 });
    await seedJobs(h.db, { count: 120, seed: 1 });
    const r = await seedDemoPipeline(h.db, { seed: 1 });
    expect(r.skipped).toBe(false);
    const [org] = await rows<{ id: string }>(h.db, sql`select id from organizations where slug = ${DEMO_ORGS[0]!.slug}`);
    const stages = await rows<{ stage: string }>(
      h.db,
      sql`select distinct a.stage from applications a join jobs j on j.id = a.job_id where j.org_id = ${org!.id}`,
    );
    expect(stages.map((s) => s.stage).sort()).toEqual([...APPLICATION_STAGES].sort());
    const [c] = await rows<Record<string, number>>(
      h.db,
      sql`select
        (select count(*)::int from application_notes) as notes,
        (select count(*)::int from application_ratings) as ratings,
        (select count(*)::int from applications where knockout_failed) as knockouts,
        (select count(*)::int from applications where stage = 'rejected' and rejection_reason is not null) as rejected,
        (select count(*)::int from license_verifications where org_id = ${org!.id}) as verified,
        (select count(*)::int from licenses where expires_on between current_date and current_date + 60) as expiring,
        (select count(*)::int from licenses where expires_on < current_date) as expired,
        (select count(*)::int from application_events where kind = 'stage_changed') as moves`,
    );
    for (const k of ['notes', 'ratings', 'knockouts', 'rejected', 'verified', 'expiring', 'expired', 'moves']) expect(c![k], k).toBeGreaterThan(0);
    // Idempotent: a second start adds nothing.
    expect(await seedDemoPipeline(h.db, { seed: 1 })).toMatchObject({ skipped: true });
  });

  it('gives the reports something true to show: rollups that agree with the event trail, views, sources', async () => {
    const [org] = await rows<{ id: string }>(h.db, sql`select id from organizations where slug = ${DEMO_ORGS[0]!.slug}`);
    // The furthest stage each application's events reached (the reports' backfill rule), against what the seed stored.
    const disagree = await rows<{ id: string }>(
      h.db,
      sql`select a.id from applications a where a.furthest_stage <> coalesce((
            select s.stage from (values ('applied', 0), ('screening', 1), ('interview', 2), ('offer', 3), ('hired', 4)) as s(stage, r)
            where s.stage = a.stage or s.stage in (select e.to_stage from application_events e where e.application_id = a.id)
            order by s.r desc limit 1), 'applied')
          or (a.stage = 'hired') <> (a.hired_at is not null)`,
    );
    expect(disagree).toEqual([]);
    const now = new Date();
    const scope = { from: new Date(now.getTime() - 60 * 86_400_000).toISOString().slice(0, 10), to: now.toISOString().slice(0, 10), job: null };
    const total = funnelTotal(await funnelReport(h.db, org!.id, scope));
    expect(total.views).toBeGreaterThan(total.applyStarts);
    expect(total.applyStarts).toBeGreaterThan(0);
    expect(total.hired).toBeGreaterThan(0);
    expect(total.interview).toBeGreaterThan(total.hired);
    const sources = await sourcesReport(h.db, org!.id, scope);
    expect(sources.filter((x) => x.applications > 0).length).toBeGreaterThan(3);
    const speed = await speedReport(h.db, org!.id, scope);
    expect(JSON.stringify(speed)).not.toBe(JSON.stringify(await speedReport(h.db, '00000000-0000-4000-8000-000000000000', scope)));
  });

  it('the start banner says which organization each demo login belongs to and why postings outnumber open jobs', async () => {
    const lines = demoLoginLines(DEMO_LOGINS, DEMO_ORGS);
    expect(lines.find((l) => l.startsWith('recruiter@demo.test'))).toMatch(/recruiter at Riverbend Behavioral Health$/);
    expect(lines.find((l) => l.startsWith('other-admin@demo.test'))).toMatch(/admin at Cedar Ridge Treatment Centers$/);
    expect(lines.find((l) => l.startsWith('candidate@demo.test'))).toMatch(/job seeker/);
    const counts = await postingCounts(h.db);
    expect(counts.total).toBe(120);
    expect(counts.open).toBeLessThan(counts.total);
    expect(counts.open + counts.draft + counts.closed + counts.expired).toBe(counts.total);
    const line = postingsLine(counts);
    expect(line).toMatch(new RegExp(`^120 postings, ${counts.open} open jobs: the other ${120 - counts.open} \\(`));
    expect(line).toMatch(/drafts/);
    expect(postingsLine({ total: 1500, open: 1298, draft: 93, closed: 62, expired: 47 })).toBe(
      '1,500 postings, 1,298 open jobs: the other 202 (47 past their closing date, 62 closed (filled), 93 drafts) are kept for the employer dashboards but not listed.',
    );
  });
});
