import { sql } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { rows } from '#db/client';
import { applications, candidateProfiles } from '#db/schema';
import { submitApplication } from '#lib/applications/apply';
import { moveApplication } from '#lib/applications/moves';
import { verifyLicense } from '#lib/applications/verification';
import { eligibility, todayIso, type HeldLicense } from '#lib/licensure/eligibility';
import { addDays } from '#lib/profile/licenses';
import { refreshProfileSearchText } from '#lib/profile/search-text';
import { saveResume } from '#lib/resumes/service';
import { neutralizeCell, screeningCsv } from '#lib/screening/csv';
import { parseScreening, screeningQuery, type ScreeningFilters } from '#lib/screening/params';
import { screenAll, screenApplicants } from '#lib/screening/query';
import { licenseKind, licenseKindSql, tabulateRule } from '#lib/screening/qualify-table';
import { CREDENTIAL_CODES, STATE_CODES } from '#lib/domain/taxonomy';
import { makeDocx } from '../helpers/documents';
import { makeJob, makeLicense, makeMember, makeOrg, makeQuestions, makeUser, tempStore } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

const TODAY = todayIso();

/** The export read back with a real CSV parser (RFC 4180 quoting), header row as keys. */
function parseCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true });
}
const filters = (qs: string): ScreeningFilters => {
  const p = parseScreening(new URLSearchParams(qs));
  if (!p.ok) throw new Error(p.errors.join('; '));
  return p.filters;
};

describe('screening params', () => {
  it('round-trips through the query string and rejects bad values with messages', () => {
    const f = filters('q=dbt&credential=LCSW&credential=LPC&state=pa&eligible=1&verified=no&expiring=60&knockout=failed&stage=interview&sort=expiry&page=2');
    expect(f).toMatchObject({
      q: 'dbt',
      credential: ['LCSW', 'LPC'],
      state: ['PA'],
      eligible: true,
      verified: 'no',
      expiring: 60,
      knockout: 'failed',
      stage: ['interview'],
      sort: 'expiry',
      page: 2,
    });
    expect(filters(screeningQuery(f))).toEqual(f);
    const bad = parseScreening(new URLSearchParams('credential=XYZ&expiring=-3&job=nope'));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors).toEqual(expect.arrayContaining(['Unknown credential.', 'Enter at least 1 day.', 'Unknown job.']));
  });

  it('the rule table is the rule: every row comes from qualifyClauses()', () => {
    const t = tabulateRule();
    expect(t.rows.length).toBeGreaterThan(1000);
    const has = (r: Partial<(typeof t.rows)[number]>) => t.rows.some((x) => Object.entries(r).every(([k, v]) => x[k as keyof typeof x] === v));
    // An NJ multistate RN counts in PA (NLC); a single-state one does not cross.
    expect(has({ credentialCode: 'RN', state: 'NJ', multistate: true, acceptedCode: 'RN', jobState: 'PA' })).toBe(true);
    expect(has({ credentialCode: 'RN', state: 'NJ', multistate: false, acceptedCode: 'RN', jobState: 'PA' })).toBe(false);
    // An LCSW satisfies an LMSW posting in its own state; a national certification counts anywhere.
    expect(has({ credentialCode: 'LCSW', state: 'PA', acceptedCode: 'LMSW', jobState: 'PA' })).toBe(true);
    expect(has({ credentialCode: 'CPRP', state: '', acceptedCode: 'CPRP', jobState: '*' })).toBe(true);
    // Each row's number is the kind of its license.
    expect(t.rows.every((x) => x.kind === licenseKind(x.credentialCode, x.state || null, x.multistate))).toBe(true);
    // PSYPACT: telehealth only.
    expect(t.rows.filter((x) => x.credentialCode === 'LP' && x.state === 'PA' && x.jobState === 'OH').every((x) => x.telehealthOnly)).toBe(true);
  });

  it('CSV cells that would run as formulas get a leading apostrophe', () => {
    for (const v of ['=HYPERLINK("http://x")', '+1 215 555 0134', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(neutralizeCell(v)).toBe(`'${v}`);
    for (const v of ['Alicia', 'a=b', '', '1-2']) expect(neutralizeCell(v)).toBe(v);
  });
});

describe.skipIf(!hasPostgres)(`recruiter screening on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();
  const store = tempStore();
  afterAll(() => store.cleanup());

  it('"eligible in the job’s state" agrees with eligibility() for every candidate × job, compacts and expiry included', async () => {
    const org = await makeOrg(h.db);
    const jobsDefs = [
      { state: 'PA', credentials: ['LCSW'], setting: 'onsite' as const },
      { state: 'PA', credentials: ['LMSW'], setting: 'onsite' as const },
      { state: 'NY', credentials: ['LMHC'], setting: 'hybrid' as const },
      { state: 'KY', credentials: ['LPCC'], setting: 'onsite' as const },
      { state: 'CA', credentials: ['LPCC'], setting: 'onsite' as const },
      { state: 'OH', credentials: ['LP'], setting: 'telehealth' as const },
      { state: 'OH', credentials: ['LP'], setting: 'onsite' as const },
      { state: 'PA', credentials: ['RN'], setting: 'onsite' as const },
      { state: 'NY', credentials: ['RN'], setting: 'onsite' as const },
      { state: 'WA', credentials: ['CPRP', 'CPS'], setting: 'onsite' as const },
      { state: 'TN', credentials: ['LAPC', 'LPC'], setting: 'hybrid' as const },
    ];
    const jobs: Awaited<ReturnType<typeof makeJob>>[] = [];
    for (const d of jobsDefs) jobs.push(await makeJob(h.db, org.id, { state: d.state, setting: d.setting, credentials: d.credentials }));
    const yesterday = addDays(TODAY, -1);
    type Held = { credentialCode: string; state: string | null; compact: boolean; expiresOn?: string | null };
    const holdings: Held[][] = [
      [{ credentialCode: 'LCSW', state: 'PA', compact: false }],
      [{ credentialCode: 'LCSW', state: 'NJ', compact: false }],
      [{ credentialCode: 'LCSW', state: 'PA', compact: false, expiresOn: yesterday }],
      [{ credentialCode: 'LCSW', state: 'PA', compact: false, expiresOn: TODAY }],
      [{ credentialCode: 'LMHC', state: 'NY', compact: false }],
      [{ credentialCode: 'LPC', state: 'OH', compact: false }],
      [{ credentialCode: 'LAPC', state: 'GA', compact: false }],
      [{ credentialCode: 'LP', state: 'PA', compact: false }],
      [{ credentialCode: 'RN', state: 'NJ', compact: true }],
      [{ credentialCode: 'RN', state: 'NJ', compact: false }],
      [
        { credentialCode: 'RN', state: 'NJ', compact: true },
        { credentialCode: 'RN', state: 'PA', compact: false, expiresOn: yesterday },
      ],
      [{ credentialCode: 'CPRP', state: null, compact: false }],
      [{ credentialCode: 'LPN', state: 'PA', compact: true }],
      [{ credentialCode: 'LMSW', state: 'PA', compact: false, expiresOn: null }],
      [],
    ];
    const held: { userId: string; licenses: HeldLicense[] }[] = [];
    for (const set of holdings) {
      const u = await makeUser(h.db);
      const lics: HeldLicense[] = [];
      for (const l of set) {
        const row = await makeLicense(h.db, u.id, {
          ...l,
          expiresOn: l.expiresOn === undefined ? '2031-06-30' : l.expiresOn,
        });
        lics.push({
          credentialCode: row.credentialCode,
          state: row.state,
          expiresOn: row.expiresOn,
          compact: row.compact,
        });
      }
      held.push({ userId: u.id, licenses: lics });
      await h.db.insert(applications).values(jobs.map((j) => ({ jobId: j.id, candidateId: u.id })));
    }
    let checked = 0;
    let eligibleCount = 0;
    for (const j of jobs) {
      const got = await screenAll(h.db, org.id, filters(`eligible=1&job=${j.id}`), { today: TODAY });
      const gotIds = new Set(got.rows.map((r) => r.candidateId));
      for (const c of held) {
        const e = eligibility(c.licenses, { state: j.state!, setting: j.setting!, credentials: j.credentials }, TODAY);
        const expected = e.status === 'eligible' || e.status === 'compact';
        expect(gotIds.has(c.userId), `${JSON.stringify(c.licenses)} for ${j.credentials} in ${j.state} (${j.setting}): ${e.status}`).toBe(expected);
        checked++;
        if (expected) eligibleCount++;
      }
      // Each row's label is eligibility() itself.
      for (const r of got.rows) expect(['eligible', 'compact']).toContain(r.eligibility.value.status);
    }
    expect(checked).toBe(jobs.length * held.length);
    expect(eligibleCount).toBeGreaterThan(10);
    expect(eligibleCount).toBeLessThan(checked - 10);
    // Across all jobs at once, the same agreement.
    const all = await screenAll(h.db, org.id, filters('eligible=1'), { today: TODAY });
    const expectedAll = held.flatMap((c) =>
      jobs
        .filter((j) =>
          ['eligible', 'compact'].includes(eligibility(c.licenses, { state: j.state!, setting: j.setting!, credentials: j.credentials }, TODAY).status),
        )
        .map((j) => `${c.userId}:${j.id}`),
    );
    expect(all.rows.map((r) => `${r.candidateId}:${r.jobId}`).sort()).toEqual(expectedAll.sort());
  });

  it('filters by credential, class, state, verified, expiring, knockout, stage, job and text; sorts; scoped to the organization', async () => {
    const org = await makeOrg(h.db);
    const otherOrg = await makeOrg(h.db);
    const recruiter = await makeMember(h.db, org.id, 'recruiter');
    const otherRecruiter = await makeMember(h.db, otherOrg.id, 'recruiter');
    const jobPA = await makeJob(h.db, org.id, { state: 'PA', credentials: ['LCSW', 'LPC', 'RN'] });
    const jobNY = await makeJob(h.db, org.id, { state: 'NY', credentials: ['LMHC'] });
    const otherJob = await makeJob(h.db, otherOrg.id, { state: 'PA', credentials: ['LCSW'] });
    const [q] = await makeQuestions(h.db, jobPA.id, [{ kind: 'yes_no', prompt: 'Licensed in PA?', knockoutAnswer: 'no' }]);

    const mk = async (
      name: string,
      lics: { credentialCode: string; state: string | null; expiresOn?: string | null; compact?: boolean }[],
      resumeLines: string[],
      headline?: string,
    ) => {
      const u = await makeUser(h.db, { name });
      const ids = [];
      for (const l of lics) ids.push((await makeLicense(h.db, u.id, l)).id);
      if (headline) {
        await h.db.insert(candidateProfiles).values({ userId: u.id, headline, modalities: ['DBT'] });
        await refreshProfileSearchText(h.db, [u.id]);
      }
      const r = await saveResume(h.db, store, u.id, { name: 'cv.docx', bytes: makeDocx(resumeLines) });
      return { ...u, licenseIds: ids, resumeId: r.resume.id };
    };
    const ana = await mk(
      'Ana Alvarez',
      [{ credentialCode: 'LCSW', state: 'PA', expiresOn: addDays(TODAY, 30) }],
      ['Eating disorders PHP, family-based treatment'],
      'Clinical social worker',
    );
    const ben = await mk(
      'Ben Brooks',
      [
        { credentialCode: 'LPC', state: 'PA' },
        { credentialCode: 'LMHC', state: 'NY', expiresOn: addDays(TODAY, -10) },
      ],
      ['Adolescent IOP, EMDR trained'],
    );
    const cai = await mk(
      '=cmd|calc!A1',
      [{ credentialCode: 'RN', state: 'NJ', compact: true, expiresOn: addDays(TODAY, 200) }],
      ['Psychiatric nursing, medication groups'],
    );
    const apply = async (u: { id: string; resumeId: string }, jobId: string, answer?: string) =>
      (
        await submitApplication(h.db, { store }, u.id, {
          jobId,
          resumeId: u.resumeId,
          answers: answer && q ? { [q.id]: answer } : {},
        })
      ).applicationId;
    const anaPA = await apply(ana, jobPA.id, 'yes');
    const benPA = await apply(ben, jobPA.id, 'no');
    const benNY = await apply(ben, jobNY.id);
    const caiPA = await apply(cai, jobPA.id, 'yes');
    const anaOther = await apply(ana, otherJob.id);
    const actor = { userId: recruiter.id, orgId: org.id, role: 'recruiter' as const };
    await verifyLicense(h.db, actor, {
      applicationId: anaPA,
      licenseId: ana.licenseIds[0]!,
      lookupUrl: 'https://www.pals.pa.gov/',
    });
    await moveApplication(h.db, undefined, actor, { applicationId: caiPA, version: 1, toStage: 'interview' });

    const ids = async (qs: string) => (await screenAll(h.db, org.id, filters(qs), { today: TODAY })).rows.map((r) => r.applicationId).sort();
    const sorted = (...x: string[]) => [...x].sort();
    expect(await ids('')).toEqual(sorted(anaPA, benPA, benNY, caiPA));
    expect(await ids('credential=LCSW')).toEqual([anaPA]);
    expect(await ids('class=professional-counselor')).toEqual(sorted(benPA, benNY));
    // Ben's NY license expired: a lapsed license never matches.
    expect(await ids('state=NY')).toEqual([]);
    expect(await ids('state=NJ')).toEqual([caiPA]);
    expect(await ids('verified=yes')).toEqual([anaPA]);
    expect(await ids('verified=no')).toEqual(sorted(benPA, benNY, caiPA));
    expect(await ids('credential=LCSW&verified=no')).toEqual([]);
    expect(await ids('expiring=60')).toEqual([anaPA]);
    expect(await ids('expiring=365')).toEqual(sorted(anaPA, caiPA));
    expect(await ids('knockout=failed')).toEqual([benPA]);
    expect(await ids('knockout=passed')).toEqual(sorted(anaPA, benNY, caiPA));
    expect(await ids('stage=interview')).toEqual([caiPA]);
    expect(await ids(`job=${jobNY.id}`)).toEqual([benNY]);
    expect(await ids('eligible=1')).toEqual(sorted(anaPA, benPA, caiPA));
    // Full text: the profile (name, headline, credentials) and the resume sent with the application.
    expect(await ids('q=EMDR')).toEqual(sorted(benPA, benNY));
    expect(await ids('q=eating disorders')).toEqual([anaPA]);
    expect(await ids('q=social worker')).toEqual([anaPA]);
    expect(await ids('q=Brooks')).toEqual(sorted(benPA, benNY));
    expect(await ids('q=medication&credential=RN')).toEqual([caiPA]);

    const byName = (await screenAll(h.db, org.id, filters('sort=name'), { today: TODAY })).rows.map((r) => r.candidateName);
    expect(byName).toEqual(['=cmd|calc!A1', 'Ana Alvarez', 'Ben Brooks', 'Ben Brooks']);
    const byExpiry = (await screenAll(h.db, org.id, filters('sort=expiry'), { today: TODAY })).rows.map((r) => r.candidateName);
    expect(byExpiry.slice(0, 2)).toEqual(['Ana Alvarez', '=cmd|calc!A1']);

    // Paging and totals.
    const p1 = await screenApplicants(h.db, org.id, filters('sort=oldest'), { today: TODAY, pageSize: 3 });
    const p2 = await screenApplicants(h.db, org.id, filters('sort=oldest&page=2'), { today: TODAY, pageSize: 3 });
    expect([p1.total, p1.pages, p1.rows.length, p2.rows.length]).toEqual([4, 2, 3, 1]);
    const p9 = await screenApplicants(h.db, org.id, filters('page=9'), { today: TODAY, pageSize: 3 });
    expect([p9.total, p9.rows.length]).toEqual([4, 0]);

    // The other organization sees only its own applicant, and not our verification.
    const theirs = await screenAll(h.db, otherOrg.id, filters(''), { today: TODAY });
    expect(theirs.rows.map((r) => r.applicationId)).toEqual([anaOther]);
    expect(theirs.rows[0]!.licenses[0]!.verification).toBeNull();
    expect(await screenAll(h.db, otherOrg.id, filters('verified=yes'), { today: TODAY })).toMatchObject({ total: 0 });
    await expect(screenApplicants(h.db, otherOrg.id, filters(`job=${jobPA.id}`))).rejects.toMatchObject({
      code: 'not_found',
    });
    void otherRecruiter;

    // CSV of the filtered view: csv-stringify's output parses back; the formula-looking name is neutralized.
    const csv = screeningCsv((await screenAll(h.db, org.id, filters('sort=name'), { today: TODAY })).rows);
    const records = parseCsv(csv.replace(/^\ufeff/, ''));
    expect(records).toHaveLength(4);
    expect(records[0]!.Applicant).toBe("'=cmd|calc!A1");
    expect(records[1]).toMatchObject({
      Applicant: 'Ana Alvarez',
      Stage: 'Applied',
      'Knockout failed': 'no',
      'Eligibility in job state': 'Eligible (LCSW)',
    });
    expect(records[1]!.Licenses).toMatch(/^LCSW PA, #N\w+, Expires in 30 days .*, verified \d{4}-\d{2}-\d{2} by /);
    expect(
      records
        .slice(2)
        .map((r) => r['Knockout failed'])
        .sort(),
    ).toEqual(['no', 'yes']);
  });

  it('SQL numbers a license kind exactly as TypeScript does, for every kind', async () => {
    const kinds: { code: string; state: string | null; m: boolean }[] = [];
    for (const code of CREDENTIAL_CODES) for (const state of [null, ...STATE_CODES]) for (const m of [false, true]) kinds.push({ code, state, m });
    const got = await rows<{ k: string }>(
      h.db,
      sql`select ${licenseKindSql('l')}::text as k from json_to_recordset(${JSON.stringify(kinds.map((k) => ({ credential_code: k.code, state: k.state, compact: k.m })))}::json)
          as l(credential_code text, state text, compact boolean)`,
    );
    expect(got.map((g) => Number(g.k))).toEqual(kinds.map((k) => licenseKind(k.code, k.state, k.m)));
  });

  it('the rule table holds exactly one version, filled once', async () => {
    const n = await h.db.execute(sql`select count(distinct rule_version)::int as n from license_qualifications`);
    const v = Array.isArray(n) ? n[0] : (n as unknown as { rows: { n: number }[] }).rows[0];
    expect(Number((v as { n: number }).n)).toBe(1);
  });
});
