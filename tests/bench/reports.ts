/**
 * `npm run bench:reports [-- --apps 100000 --iterations 7]`
 *
 * The organization's reports over ≥ 100,000 applications of one organization, generated in SQL:
 * candidates with licenses, applications spread over 180 days with sources, furthest stages, the
 * event trail each stage implies (applied, every stage change, rejections and withdrawals), EEO
 * rows with their furthest stage and knockout outcomes, and per-day views and apply starts for
 * every posting. Then each report (funnel, sources, speed, licensure mix, fairness), the whole page's
 * data, its charts and its CSV: median and max of `iterations` runs over the default 90-day period
 * and over the whole 180 days.
 * Baseline in the same run: the same reports with the indexes this work added dropped.
 * Needs PostgreSQL (TEST_DATABASE_URL / DATABASE_URL / local). Drops its database at the end.
 */
import { eq, sql } from 'drizzle-orm';
import { openDb, rows } from '#db/client';
import { organizations } from '#db/schema';
import { seedDemo, seedJobs } from '#db/seed';
import { barChart } from '#lib/reports/charts';
import { reportCsv } from '#lib/reports/csv';
import { parseReportParams, type ReportParams } from '#lib/reports/figures';
import { fairnessCounts, funnelReport, licensureReport, sourcesReport, speedReport } from '#lib/reports/queries';
import { loadReport } from '#lib/reports/service';
import { ensureQualifyTable } from '#lib/screening/qualify-table';
import { benchArgs, createBenchDatabase } from './bench-env';
import { insertCandidateLicenses } from './candidate-licenses';

const { apps: APPS, iterations: ITER, keep, 'skip-baseline': skipBaseline } = benchArgs({ apps: 100_000, iterations: 7, keep: false, 'skip-baseline': false });
const log = (m: string) => console.log(m);

const database = await createBenchDatabase('bench_reports');
const h = await openDb({ databaseUrl: database.url, max: 8 });

class Done extends Error {}

async function time(fn: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  const t: number[] = [];
  await fn(); // warm: plans and caches, as on a running server
  for (let i = 0; i < ITER; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)]!, max: t[t.length - 1]! };
}

try {
  await h.migrate();
  await seedDemo(h.db, { seed: 42 });
  await seedJobs(h.db, { count: 1000, seed: 42 });
  const [org] = await h.db.select().from(organizations).where(eq(organizations.slug, 'riverbend-behavioral-health'));
  const orgId = org!.id;
  const g0 = performance.now();
  const perCandidate = 4;
  const nCand = Math.ceil((APPS * 1.05) / perCandidate);
  await h.db.execute(sql`select setseed(0.42)`);
  await h.db.execute(sql`
    insert into users (email, name, password_hash, email_verified_at)
    select 'rep-' || g || '@example.test', 'Candidate ' || g, 'x', now() from generate_series(1, ${nCand}) g`);
  await insertCandidateLicenses(h.db, 'rep-', {
    codes: ['LCSW', 'LCSW', 'LMSW', 'LPC', 'LPC', 'LMHC', 'LMFT', 'RN', 'RN', 'PMHNP', 'CADC', 'CPRP', 'CPS'],
    states: ['PA', 'PA', 'PA', 'NJ', 'NJ', 'NY', 'DE', 'OH', 'MD'],
    maxPerUser: 2,
  });
  // Furthest stage and current stage together: most stop early, some are rejected or withdraw on the way.
  await h.db.execute(sql`
    insert into applications (job_id, candidate_id, stage, furthest_stage, rejection_reason, source, knockout_failed, created_at, updated_at, stage_entered_at)
    select js.ids[1 + abs(hashtext(u.id::text || 'j' || k)) % array_length(js.ids, 1)], u.id, st.stage, st.furthest,
      case when st.stage = 'rejected' then 'Bench' end,
      (array['search','search','search','alert','rss','feed','organization','direct','direct','other'])[1 + abs(hashtext(u.id::text || 'src' || k)) % 10],
      random() < 0.1, c.at, now(), c.at + (array_position(array['applied','screening','interview','offer','hired'], st.furthest) - 1) * interval '3 days'
    from users u
    cross join generate_series(1, ${perCandidate}) k
    cross join (select array_agg(id order by id) as ids from jobs where org_id = ${orgId}::uuid) js
    cross join lateral (select now() - ((abs(hashtext(u.id::text || 'at' || k)) % 180000) / 1000.0) * interval '1 day' as at) c
    cross join lateral (select (array[
      'applied:applied', 'applied:applied', 'applied:applied', 'rejected:applied', 'rejected:applied',
      'screening:screening', 'screening:screening', 'rejected:screening', 'withdrawn:screening',
      'interview:interview', 'rejected:interview', 'offer:offer', 'hired:hired', 'hired:hired'
    ])[1 + abs(hashtext(u.id::text || 'st' || k)) % 14] as p) sp
    cross join lateral (select split_part(sp.p, ':', 1) as stage, split_part(sp.p, ':', 2) as furthest) st
    where u.email like 'rep-%'
    on conflict do nothing`);
  await h.db.execute(sql`
    insert into application_events (application_id, actor_id, kind, from_stage, to_stage, data, created_at)
    select a.id, null, case when k = 0 then 'applied' else 'stage_changed' end,
      case when k = 0 then null else (array['applied','screening','interview','offer','hired'])[k] end,
      (array['applied','screening','interview','offer','hired'])[k + 1], '{}'::jsonb,
      a.created_at + k * interval '3 days' + case when k = 0 then interval '0' else random() * interval '2 days' end
    from applications a join jobs j on j.id = a.job_id
    cross join generate_series(0, array_position(array['applied','screening','interview','offer','hired'], a.furthest_stage) - 1) k
    where j.org_id = ${orgId}::uuid`);
  await h.db.execute(sql`
    insert into application_events (application_id, actor_id, kind, from_stage, to_stage, data, created_at)
    select a.id, null, case when a.stage = 'rejected' then 'stage_changed' else 'withdrawn' end, a.furthest_stage, a.stage, '{}'::jsonb,
      a.created_at + array_position(array['applied','screening','interview','offer','hired'], a.furthest_stage) * interval '3 days'
    from applications a join jobs j on j.id = a.job_id
    where j.org_id = ${orgId}::uuid and a.stage in ('rejected', 'withdrawn')`);
  // The speed rollups the moves keep, from the trail (the same statements as the backfill migration).
  await h.db.execute(sql`
    insert into application_stage_stays (application_id, job_id, stage, applied_at, entered_at, left_at)
    select s.application_id, a.job_id, s.to_stage, a.created_at, s.created_at, s.left_at
    from (select e.application_id, e.to_stage, e.created_at, lead(e.created_at) over (partition by e.application_id order by e.id) as left_at
          from application_events e where e.to_stage is not null) s
    join applications a on a.id = s.application_id where s.left_at is not null`);
  await h.db.execute(sql`
    update applications a set
      first_reviewed_at = (select min(e.created_at) from application_events e where e.application_id = a.id and e.kind = 'stage_changed' and e.from_stage = 'applied'),
      hired_at = (select min(e.created_at) from application_events e where e.application_id = a.id and e.to_stage = 'hired')`);
  // Seven in ten answer the voluntary questions; the row carries the stage and knockouts, never the application.
  await h.db.execute(sql`
    insert into eeo_responses (org_id, job_id, answers, application_key, furthest_stage, knockout_asked, knocked_out_by, created_at)
    select ${orgId}::uuid, a.job_id,
      jsonb_build_object(
        'gender', (array['female','female','female','male','male','nonbinary'])[1 + floor(random() * 6)::int],
        'ethnicity', (array['white','white','white','black_african_american','hispanic_latino','asian','two_or_more','american_indian_alaska_native'])[1 + floor(random() * 8)::int],
        'veteran', (array['protected_veteran','not_protected_veteran','not_protected_veteran','not_protected_veteran'])[1 + floor(random() * 4)::int],
        'disability', (array['yes','no','no','no'])[1 + floor(random() * 4)::int]),
      md5(a.id::text), a.furthest_stage, coalesce(q.ids, '{}'),
      case when a.knockout_failed and q.ids is not null then q.ids[1:1] else '{}' end,
      date_trunc('day', a.created_at)
    from applications a join jobs j on j.id = a.job_id
    left join (select job_id, array_agg(id) as ids from screening_questions where knockout_answer is not null group by job_id) q on q.job_id = a.job_id
    where j.org_id = ${orgId}::uuid and random() < 0.7`);
  await h.db.execute(sql`
    insert into job_daily_stats (job_id, day, views, apply_starts)
    select j.id, d::date, v.views, (v.views * (0.05 + random() * 0.1))::int
    from jobs j cross join generate_series(current_date - 180, current_date, interval '1 day') d
    cross join lateral (select (abs(hashtext(j.id::text || d::text)) % 120) as views) v
    where j.org_id = ${orgId}::uuid`);
  await h.db.execute(sql`analyze`);
  await ensureQualifyTable(h.db);
  const [c] = await rows<{ apps: number; events: number; eeo: number; jobs: number }>(
    h.db,
    sql`select (select count(*)::int from applications a join jobs j on j.id = a.job_id where j.org_id = ${orgId}::uuid) as apps,
      (select count(*)::int from application_events) as events, (select count(*)::int from eeo_responses) as eeo,
      (select count(*)::int from jobs where org_id = ${orgId}::uuid) as jobs`,
  );
  log(
    `${c!.apps.toLocaleString('en-US')} applications to ${c!.jobs} postings of ${org!.name}, ${c!.events.toLocaleString('en-US')} events, ${c!.eeo.toLocaleString('en-US')} EEO rows; generated in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
  );
  if (c!.apps < APPS) throw new Error(`generated only ${c!.apps} applications`);

  const periods: [string, ReportParams][] = [
    ['90 days', parseReportParams(new URLSearchParams()).params],
    ['180 days', parseReportParams(new URLSearchParams({ from: new Date(Date.now() - 181 * 86_400_000).toISOString().slice(0, 10) })).params],
  ];
  const runAll = async (label: string) => {
    log(`\n== ${label} (median / max of ${ITER} runs, ms) ==`);
    for (const [name, p] of periods) {
      const [row] = await rows<{ n: number }>(
        h.db,
        sql`select count(*)::int as n from applications a join jobs j on j.id = a.job_id where j.org_id = ${orgId}::uuid and a.created_at >= ${p.from}::date`,
      );
      log(`-- period ${name}: ${row!.n.toLocaleString('en-US')} applications`);
      const out: [string, { median: number; max: number }][] = [
        // The machine's state in this run: the cheapest read over the same rows any report must make.
        [
          '(calibration: count the period’s rows)',
          await time(() =>
            rows(
              h.db,
              sql`select count(*) from applications a join jobs j on j.id = a.job_id where j.org_id = ${orgId}::uuid and a.created_at >= ${p.from}::date`,
            ),
          ),
        ],
        ['funnel', await time(() => funnelReport(h.db, orgId, p))],
        ['sources', await time(() => sourcesReport(h.db, orgId, p))],
        ['speed', await time(() => speedReport(h.db, orgId, p))],
        ['licensure mix', await time(() => licensureReport(h.db, orgId, p))],
        ['fairness', await time(() => fairnessCounts(h.db, orgId, p))],
        ['whole report (all sections at once)', await time(() => loadReport(h.db, { orgId, role: 'admin' }, p))],
      ];
      const r = await loadReport(h.db, { orgId, role: 'admin' }, p);
      out.push(['CSV of the whole report', await time(async () => reportCsv(r, org!.name))]);
      out.push([
        'one chart (funnel, SVG)',
        await time(async () =>
          barChart(
            r.funnel!.total.map((s) => ({ label: s.label, value: s.count })),
            { alt: 'Funnel', xLabel: 'People' },
          ),
        ),
      ]);
      for (const [k, v] of out) log(`${k.padEnd(38)} ${v.median.toFixed(1).padStart(8)} ${v.max.toFixed(1).padStart(8)}`);
    }
  };
  await runAll('Reports with the indexes of this work');
  if (skipBaseline) throw new Done();
  for (const ix of ['applications_job_created_idx', 'applications_stage_entered_idx', 'eeo_responses_org_idx', 'application_stage_stays_job_applied_idx'])
    await h.db.execute(sql.raw(`drop index ${ix}`));
  await h.db.execute(sql`analyze`);
  await runAll(
    'Baseline: the same without the indexes applications_job_created_idx, applications_stage_entered_idx, eeo_responses_org_idx, application_stage_stays_job_applied_idx',
  );
} catch (err) {
  if (!(err instanceof Done)) throw err;
} finally {
  await h.close();
  await database.dispose({ keep });
}
