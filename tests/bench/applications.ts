/**
 * `npm run bench:applications [-- --candidates 32 --per 40 --apps 100000 --jobs 3000 --iterations 40]`
 *
 * 1. Throughput: 32 candidates apply at once, each to `per` open jobs, every
 *    submit sent twice at the same moment (a double click) through the real
 *    apply service (answers, event, EEO, profile search text, confirmation
 *    email queued in the same transaction). Prints applications per second, then checks:
 *    zero lost (every candidate × job present) and zero duplicated rows.
 * 2. Recruiter screening over ≥ 100k applications of one organization
 *    (generated in SQL: candidates, licenses, profiles, resume text, ratings,
 *    verifications): each filter of a realistic mix through the screening
 *    service (query + enrichment + eligibility labels), p50 / p95 / max, and
 *    the p95 over the whole mix; then one CSV export of a large view.
 * Needs PostgreSQL (TEST_DATABASE_URL / DATABASE_URL / local). Drops its database at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { openDb, rows } from '#db/client';
import { jobs, organizations, screeningQuestions, users } from '#db/schema';
import { seedDemo, seedJobs } from '#db/seed';
import { submitApplication } from '#lib/applications/apply';
import { refreshProfileSearchText } from '#lib/profile/search-text';
import { saveResume } from '#lib/resumes/service';
import { screeningCsv } from '#lib/screening/csv';
import { parseScreening } from '#lib/screening/params';
import { screenAll, screenApplicants } from '#lib/screening/query';
import { ensureQualifyTable } from '#lib/screening/qualify-table';
import { makePdf } from '../helpers/documents';
import { benchArgs, createBenchDatabase } from './bench-env';
import { insertCandidateLicenses } from './candidate-licenses';
import { percentile } from './load';

const {
  candidates: CANDIDATES,
  per: PER,
  apps: APPS,
  jobs: JOBS,
  iterations: ITER,
  keep,
} = benchArgs({ candidates: 32, per: 40, apps: 100_000, jobs: 3000, iterations: 40, keep: false });
const log = (m: string) => console.log(m);
const ms = (n: number) => `${n.toFixed(1)} ms`;

const database = await createBenchDatabase('bench_apps');
const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-resumes-'));
const store = { dir: storeDir };
const h = await openDb({ databaseUrl: database.url, max: CANDIDATES + 8 });

try {
  await h.migrate();
  await seedDemo(h.db, { seed: 42 });
  await seedJobs(h.db, { count: JOBS, seed: 42 });
  await h.db.execute(sql`delete from search_outbox`);
  const [org] = await h.db.select().from(organizations).where(eq(organizations.slug, 'riverbend-behavioral-health'));
  const orgId = org!.id;
  const openJobs = await h.db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.status, 'published'), sql`${jobs.validThrough} > now()`, sql`${jobs.expiredAt} is null`))
    .orderBy(jobs.id)
    .limit(Math.max(PER, 200));
  if (openJobs.length < PER) throw new Error(`only ${openJobs.length} open jobs; raise --jobs`);
  const questions = await h.db.select().from(screeningQuestions);
  const answersFor = new Map<string, Record<string, string>>();
  for (const j of openJobs) {
    const a: Record<string, string> = {};
    for (const q of questions.filter((x) => x.jobId === j.id)) a[q.id] = q.kind === 'yes_no' ? 'yes' : q.kind === 'single_choice' ? q.options[0]! : '5 years';
    answersFor.set(j.id, a);
  }

  // ------------------------------------------------------------ 1. throughput at 32 concurrent candidates
  log(`\n== Applying: ${CANDIDATES} concurrent candidates × ${PER} jobs, every submit doubled ==`);
  const cands: { id: string; resumeId: string }[] = [];
  for (let i = 0; i < CANDIDATES; i++) {
    const [c] = await h.db
      .insert(users)
      .values({ email: `load-${i}@example.test`, name: `Load Candidate ${i}`, passwordHash: 'x' })
      .returning({ id: users.id });
    const r = await saveResume(h.db, store, c!.id, {
      name: 'cv.pdf',
      bytes: makePdf([`Load Candidate ${i}`, 'Group therapy, DBT, intake assessments']),
    });
    cands.push({ id: c!.id, resumeId: r.resume.id });
  }
  const notifier = { siteUrl: 'https://bench.example.test' };
  let created = 0;
  let duplicates = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    cands.map(async (c, ci) => {
      for (let k = 0; k < PER; k++) {
        const jobId = openJobs[(ci * 7 + k) % openJobs.length]!.id;
        const input = {
          jobId,
          resumeId: c.resumeId,
          answers: answersFor.get(jobId) ?? {},
          coverNote: 'Bench cover note',
          eeo: { gender: 'decline', ethnicity: 'decline', veteran: 'decline', disability: k % 2 ? 'no' : 'decline' },
        };
        const s = performance.now();
        const [a, b] = await Promise.all([
          submitApplication(h.db, { store, notifier }, c.id, input),
          submitApplication(h.db, { store, notifier }, c.id, input),
        ]);
        latencies.push(performance.now() - s);
        if (a.applicationId !== b.applicationId) throw new Error('a double submit produced two applications');
        created += Number(a.created) + Number(b.created);
        if (a.created && b.created) duplicates++;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const expected = CANDIDATES * PER;
  const [check] = await rows<{ total: number; pairs: number; dup: number; events: number }>(
    h.db,
    sql`select
          (select count(*)::int from applications a join users u on u.id = a.candidate_id where u.email like 'load-%') as total,
          (select count(*)::int from (select distinct job_id, candidate_id from applications a join users u on u.id = a.candidate_id where u.email like 'load-%') x) as pairs,
          (select count(*)::int from (select 1 from applications group by job_id, candidate_id having count(*) > 1) d) as dup,
          (select count(*)::int from application_events e join applications a on a.id = e.application_id join users u on u.id = a.candidate_id where u.email like 'load-%' and e.kind = 'applied') as events`,
  );
  latencies.sort((x, y) => x - y);
  log(`submits sent            ${expected * 2} (${expected} distinct applications, each twice at once)`);
  log(
    `applications/second     ${(expected / secs).toFixed(0)}  (${secs.toFixed(2)} s; double-submit latency p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))})`,
  );
  log(`rows: ${check!.total} applications, ${check!.pairs} distinct (job, candidate), ${check!.events} 'applied' events`);
  const lost = expected - check!.pairs;
  log(`lost ${lost} · duplicated ${check!.total - check!.pairs + check!.dup} · double submits that both created ${duplicates} · created ${created}`);
  if (lost !== 0 || check!.total !== expected || check!.dup !== 0 || created !== expected || check!.events !== expected)
    throw new Error('LOST OR DUPLICATED ROWS');

  // ------------------------------------------------------------ 2. recruiter screening over 100k applications
  log(`\n== Generating ≥ ${APPS.toLocaleString('en-US')} applications for ${org!.name} ==`);
  const g0 = performance.now();
  const [{ n: orgJobs }] = (await rows<{ n: number }>(h.db, sql`select count(*)::int as n from jobs where org_id = ${orgId}::uuid`)) as [{ n: number }];
  const perCandidate = 4;
  const nCand = Math.ceil((APPS * 1.04) / perCandidate);
  await h.db.execute(sql`select setseed(0.42)`);
  await h.db.execute(sql`
    insert into users (email, name, password_hash, email_verified_at)
    select 'screen-' || g || '@example.test',
      (array['Alicia','Jordan','Priya','Marcus','Dana','Kim','Luis','Grace','Omar','Tess','Noah','Ruth','Sam','Ivy','Ben','Maya','Eli','Zoe','Raj','Ana'])[1 + g % 20] || ' ' ||
      (array['Moreno','Lee','Patel','Brooks','Nguyen','Okafor','Chen','Rivera','Kowalski','Haddad','Smith','Garcia','Kim','Ross','Ward','Diaz','Fox','Stone','Reyes','Park','Bell','Cruz','Hale','Iqbal','Jones','Khan','Long','Mendez','Nash','Ortiz'])[1 + (g / 20) % 30],
      'x', now()
    from generate_series(1, ${nCand}) g`);
  await insertCandidateLicenses(h.db, 'screen-', {
    codes: ['LCSW', 'LCSW', 'LMSW', 'LPC', 'LPC', 'LMHC', 'LPCC', 'LMFT', 'RN', 'RN', 'LPN', 'PMHNP', 'CADC', 'LCADC', 'CPRP', 'CPS', 'LP', 'LAPC'],
    states: ['PA', 'PA', 'PA', 'NJ', 'NJ', 'NY', 'NY', 'DE', 'OH', 'MD', 'VA', 'FL', 'TX', 'CA', 'GA', 'NC'],
    maxPerUser: 3,
  });
  await h.db.execute(sql`
    insert into candidate_profiles (user_id, headline, city, state, years_experience, modalities, populations)
    select u.id,
      (array['Clinician with adult PHP experience','Adolescent IOP therapist','Psychiatric nurse, inpatient and PHP','Case manager, co-occurring disorders','Peer specialist in recovery','Group therapist, DBT-trained','Eating disorder program clinician','Trauma-focused counselor'])[1 + floor(random() * 8)::int],
      (array['Philadelphia','Pittsburgh','Newark','Trenton','Wilmington','Camden','Allentown','Scranton'])[1 + floor(random() * 8)::int],
      (array['PA','NJ','DE','NY'])[1 + floor(random() * 4)::int],
      floor(random() * 25)::int,
      string_to_array((array['CBT,DBT', 'Motivational interviewing', 'Trauma-informed care,EMDR', 'ACT,Mindfulness-based', 'Seeking Safety,Relapse prevention'])[1 + floor(random() * 5)::int], ','),
      string_to_array((array['adults', 'adolescents', 'co-occurring,adults', 'eating-disorders', 'older-adults'])[1 + floor(random() * 5)::int], ',')
    from users u where u.email like 'screen-%'`);
  await refreshProfileSearchText(h.db);
  await h.db.execute(sql`
    insert into resumes (user_id, storage_key, original_name, mime, size_bytes, text_content)
    select u.id, md5(u.id::text || 'resume'), 'resume.pdf', 'application/pdf', 120000,
      (select string_agg(w, ' ') from (
         select (array['therapy','group','individual','dialectical','behavior','cognitive','trauma','adolescent','family','substance','use','recovery','nursing','medication','crisis','intake','assessment','treatment','planning','documentation','EHR','Epic','supervision','licensed','clinical','social','work','counseling','psychiatric','partial','hospitalization','intensive','outpatient','program','eating','disorders','anxiety','depression','bipolar','psychosis','mindfulness','motivational','interviewing','relapse','prevention','case','management','discharge','coordination','telehealth'])[1 + floor(random() * 50)::int] as w
         from generate_series(1, 60 + (abs(hashtext(u.id::text)) % 5))
      ) words)
    from users u where u.email like 'screen-%'`);
  await h.db.execute(sql`
    insert into applications (job_id, candidate_id, resume_id, stage, rejection_reason, knockout_failed, created_at, updated_at, cover_note)
    select js.ids[1 + abs(hashtext(u.id::text || 'j' || k)) % array_length(js.ids, 1)], u.id, r.id, st.stage, case when st.stage = 'rejected' then 'Bench' end,
      random() < 0.1, now() - (random() * interval '120 days'), now(), null
    from users u
    join resumes r on r.user_id = u.id
    cross join generate_series(1, ${perCandidate}) k
    cross join (select array_agg(id order by id) as ids from jobs where org_id = ${orgId}::uuid) js
    cross join lateral (select (array['applied','applied','applied','screening','screening','interview','offer','hired','rejected','withdrawn'])[1 + abs(hashtext(u.id::text || 'st' || k)) % 10] as stage) st
    where u.email like 'screen-%'
    on conflict do nothing`);
  const [recruiter] = await rows<{ id: string }>(h.db, sql`select id from users where email = 'recruiter@demo.test'`);
  await h.db.execute(sql`
    insert into application_ratings (application_id, author_id, rating)
    select a.id, ${recruiter!.id}::uuid, 1 + floor(random() * 5)::int from applications a join jobs j on j.id = a.job_id
    where j.org_id = ${orgId}::uuid and random() < 0.2`);
  await h.db.execute(sql`
    insert into license_verifications (license_id, org_id, verified_by, lookup_url)
    select l.id, ${orgId}::uuid, ${recruiter!.id}::uuid, 'https://www.pals.pa.gov/' from licenses l
    join users u on u.id = l.user_id where u.email like 'screen-%' and random() < 0.1`);
  await h.db.execute(sql`analyze`);
  const [{ n: total }] = (await rows<{ n: number }>(
    h.db,
    sql`select count(*)::int as n from applications a join jobs j on j.id = a.job_id where j.org_id = ${orgId}::uuid`,
  )) as [{ n: number }];
  const [{ n: lic }] = (await rows<{ n: number }>(h.db, sql`select count(*)::int as n from licenses`)) as [{ n: number }];
  log(
    `${total.toLocaleString('en-US')} applications to ${orgJobs} jobs from ${nCand.toLocaleString('en-US')} candidates with ${lic.toLocaleString('en-US')} licenses, in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
  );
  if (total < APPS) throw new Error(`generated only ${total} applications`);
  await ensureQualifyTable(h.db);

  const [someJob] = await rows<{ id: string }>(
    h.db,
    sql`select a.job_id as id from applications a join jobs j on j.id = a.job_id where j.org_id = ${orgId}::uuid group by a.job_id order by count(*) desc limit 1`,
  );
  const MIX = [
    '',
    'state=PA',
    'credential=LCSW&state=PA',
    'class=professional-counselor&verified=no',
    'verified=yes&stage=screening',
    'eligible=1',
    `eligible=1&job=${someJob!.id}`,
    'eligible=1&credential=RN&sort=expiry',
    'expiring=30',
    'knockout=failed&stage=applied',
    'q=dialectical',
    'q=trauma adolescent&eligible=1',
    'q=Patel',
    'sort=rating',
    'sort=name&stage=interview',
    'state=NJ&sort=expiry&page=3',
  ];
  log(`\n== Recruiter screening: ${MIX.length} filters × ${ITER} runs each (page of 25, with licenses and eligibility labels) ==`);
  const all: number[] = [];
  const table: string[] = [];
  for (const qs of MIX) {
    const p = parseScreening(new URLSearchParams(qs));
    if (!p.ok) throw new Error(p.errors.join('; '));
    await screenApplicants(h.db, orgId, p.filters); // warm
    const t: number[] = [];
    let n = 0;
    for (let i = 0; i < ITER; i++) {
      const s = performance.now();
      const r = await screenApplicants(h.db, orgId, p.filters);
      t.push(performance.now() - s);
      n = r.total;
    }
    t.sort((x, y) => x - y);
    all.push(...t);
    table.push(
      `${(qs || '(no filter)').padEnd(48)} ${String(n).padStart(7)} rows   p50 ${ms(percentile(t, 50)).padStart(9)}   p95 ${ms(percentile(t, 95)).padStart(9)}   max ${ms(t[t.length - 1]!).padStart(9)}`,
    );
  }
  for (const line of table) log(line);
  all.sort((x, y) => x - y);
  log(
    `recruiter filter over ${total.toLocaleString('en-US')} applications: p50 ${ms(percentile(all, 50))} · p95 ${ms(percentile(all, 95))} · p99 ${ms(percentile(all, 99))} (${all.length} queries)`,
  );

  const e0 = performance.now();
  const exp = await screenAll(h.db, orgId, parseScreening(new URLSearchParams('state=PA')).filters);
  const csv = screeningCsv(exp.rows);
  log(
    `CSV export of "state=PA": ${exp.rows.length.toLocaleString('en-US')} rows, ${(csv.length / 1024 / 1024).toFixed(1)} MB in ${((performance.now() - e0) / 1000).toFixed(2)} s${exp.truncated ? ' (capped)' : ''}`,
  );
} finally {
  await h.close();
  fs.rmSync(storeDir, { recursive: true, force: true });
  await database.dispose({ keep });
}
