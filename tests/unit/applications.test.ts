import { describe, expect, it } from 'vitest';
import { checkAnswers, eeoToStore, type Question } from '#lib/applications/apply';
import { candidateHistoryText } from '#lib/applications/candidate';
import { applyFormSchema, bulkMoveFormSchema, moveSchema } from '#lib/applications/schema';
import { checkTeamMove, checkWithdraw, CANDIDATE_STAGE_LABELS, STAGE_LABELS } from '#lib/applications/stages';
import { DEFAULT_TEMPLATES, NOTIFY_STAGES, PLACEHOLDERS, renderTemplate, unknownPlaceholders } from '#lib/applications/templates';
import { eligibility, type HeldLicense } from '#lib/licensure/eligibility';
import { addDays, licenseStatus, licenseStatusLabel } from '#lib/profile/licenses';
import { licenseSchema, profileSchema } from '#lib/profile/schema';
import { ANY_STATE, licenseKind, tabulateRule } from '#lib/screening/qualify-table';
import { CREDENTIAL_CODES, STATE_CODES } from '#lib/domain/taxonomy';

const q = (over: Partial<Question>): Question => ({
  id: '00000000-0000-4000-8000-000000000001',
  jobId: 'j',
  position: 0,
  kind: 'yes_no',
  prompt: 'Licensed in PA?',
  options: [],
  required: true,
  knockoutAnswer: null,
  ...over,
});

describe('screening answers', () => {
  const licensed = q({ knockoutAnswer: 'no' });
  const track = q({
    id: '00000000-0000-4000-8000-000000000002',
    kind: 'single_choice',
    prompt: 'Track?',
    options: ['Day', 'Evening'],
    knockoutAnswer: 'Evening',
  });
  const note = q({
    id: '00000000-0000-4000-8000-000000000003',
    kind: 'short_text',
    prompt: 'Anything else?',
    required: false,
  });

  it('normalizes answers and marks knockouts without refusing them', () => {
    expect(checkAnswers([licensed, track, note], { [licensed.id]: ' NO ', [track.id]: 'day' })).toEqual([
      { questionId: licensed.id, answer: 'no', knockout: true },
      { questionId: track.id, answer: 'Day', knockout: false },
    ]);
    expect(checkAnswers([track], { [track.id]: 'evening' })[0]).toMatchObject({ answer: 'Evening', knockout: true });
  });

  it('says which questions need an answer, and refuses answers outside the options', () => {
    expect(() => checkAnswers([licensed, track], {})).toThrow('Answer the 2 screening questions marked below.');
    expect(() => checkAnswers([licensed], { [licensed.id]: 'maybe' })).toThrow('Answer “Licensed in PA?” with yes or no.');
    expect(() => checkAnswers([track], { [track.id]: 'Nights' })).toThrow('Choose one of the answers offered for “Track?”.');
    expect(() => checkAnswers([], { 'ffffffff-0000-4000-8000-000000000000': 'x' })).toThrow(/no longer part of the posting/);
  });

  it('stores only EEO answers that were given', () => {
    expect(eeoToStore({ gender: 'decline', ethnicity: 'decline', veteran: 'decline', disability: 'decline' })).toBeNull();
    expect(eeoToStore({ gender: 'female', ethnicity: 'decline', veteran: 'decline', disability: 'no' })).toEqual({
      gender: 'female',
      disability: 'no',
    });
  });
});

describe('stages', () => {
  it('the team may move between stages, reject with a reason, never withdraw or move a withdrawn application', () => {
    expect(checkTeamMove('applied', 'interview', null)).toEqual({ ok: true });
    expect(checkTeamMove('rejected', 'screening', null)).toEqual({ ok: true });
    expect(checkTeamMove('applied', 'rejected', '  ')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/reason/),
    });
    expect(checkTeamMove('applied', 'rejected', 'No PA license')).toEqual({ ok: true });
    expect(checkTeamMove('applied', 'withdrawn', null)).toMatchObject({ ok: false });
    expect(checkTeamMove('withdrawn', 'applied', null)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/withdrew/),
    });
    expect(checkTeamMove('offer', 'offer', null)).toMatchObject({
      ok: false,
      message: 'The application is already in Offer.',
    });
  });

  it('the candidate may withdraw until hired or closed', () => {
    for (const s of ['applied', 'screening', 'interview', 'offer'] as const) expect(checkWithdraw(s).ok).toBe(true);
    for (const s of ['hired', 'rejected', 'withdrawn'] as const) expect(checkWithdraw(s).ok).toBe(false);
  });

  it('candidates read plain words, never the internal ones', () => {
    expect(CANDIDATE_STAGE_LABELS.rejected).toBe('Not moving forward');
    expect(STAGE_LABELS.rejected).toBe('Rejected');
    expect(candidateHistoryText({ kind: 'stage_changed', toStage: 'screening' })).toBe('Status changed to “Under review”.');
  });
});

describe('email templates', () => {
  const vars = {
    candidateName: 'Alicia',
    jobTitle: 'Therapist',
    organization: 'Riverbend',
    jobLocation: 'Philadelphia, PA',
    applicationUrl: 'https://x/a/1',
  };

  it('every default uses only known placeholders and renders completely', () => {
    for (const s of NOTIFY_STAGES) {
      const t = DEFAULT_TEMPLATES[s];
      expect(unknownPlaceholders(t.subject + t.body)).toEqual([]);
      const r = renderTemplate(t, vars);
      expect(r.subject + r.body).not.toMatch(/\{\{/);
    }
  });

  it('finds unknown placeholders; keeps subjects on one line', () => {
    expect(unknownPlaceholders('Hi {{ firstName }}, {{candidateName}} {{ x }}')).toEqual(['firstName', 'x']);
    expect(renderTemplate({ subject: 'A\r\nBcc: evil@x {{jobTitle}}', body: '{{unknown}}' }, vars)).toEqual({
      subject: 'A Bcc: evil@x Therapist',
      body: '{{unknown}}',
    });
    expect(Object.keys(PLACEHOLDERS)).toContain('applicationUrl');
  });
});

describe('licenses on the profile', () => {
  const today = '2026-11-23';
  it('expired, expiring within 60 days (flagged), current, no expiry', () => {
    expect(licenseStatus({ expiresOn: '2026-11-22' }, today)).toEqual({ kind: 'expired', since: '2026-11-22' });
    expect(licenseStatus({ expiresOn: today }, today)).toEqual({ kind: 'expiring', daysLeft: 0, on: today });
    expect(licenseStatus({ expiresOn: addDays(today, 60) }, today)).toMatchObject({ kind: 'expiring', daysLeft: 60 });
    expect(licenseStatus({ expiresOn: addDays(today, 61) }, today)).toMatchObject({ kind: 'current' });
    expect(licenseStatus({ expiresOn: null }, today)).toEqual({ kind: 'no_expiry' });
    expect(licenseStatusLabel(licenseStatus({ expiresOn: addDays(today, 1) }, today))).toBe('Expires in 1 day (Nov 24, 2026)');
  });

  it('validates a license: state required for state licenses, multistate only where a compact exists, national ones stateless', () => {
    expect(licenseSchema.safeParse({ credentialCode: 'LCSW', number: 'CW1234' }).error?.issues[0]?.message).toMatch(/choose the state that issued it/);
    expect(licenseSchema.safeParse({ credentialCode: 'LCSW', state: 'PA', number: 'CW1234', compact: true }).error?.issues[0]?.message).toMatch(
      /no interstate compact/,
    );
    expect(licenseSchema.parse({ credentialCode: 'RN', state: 'nj', number: '26NR0001', compact: true })).toMatchObject({
      state: 'NJ',
      compact: true,
      expiresOn: null,
    });
    expect(licenseSchema.parse({ credentialCode: 'CPRP', state: 'PA', number: 'CPRP-1' }).state).toBeNull();
    expect(licenseSchema.safeParse({ credentialCode: 'LCSW', state: 'PA', number: 'x', expiresOn: '2026-02-30' }).success).toBe(false);
    expect(licenseSchema.safeParse({ credentialCode: 'NOPE', state: 'PA', number: 'CW1234' }).success).toBe(false);
  });

  it('validates the profile with messages', () => {
    expect(profileSchema.safeParse({ name: '' }).error?.issues[0]?.message).toBe('Enter your name.');
    expect(profileSchema.safeParse({ name: 'A', zip: '1234' }).error?.issues[0]?.message).toBe('Enter the 5-digit ZIP code.');
    expect(profileSchema.safeParse({ name: 'A', yearsExperience: '61' }).success).toBe(false);
    expect(profileSchema.parse({ name: ' A ', yearsExperience: '', phone: '' })).toMatchObject({
      name: 'A',
      yearsExperience: null,
      phone: null,
    });
  });
});

describe('form parsing', () => {
  const fd = (entries: [string, string | File][]) => {
    const f = new FormData();
    for (const [k, v] of entries) f.append(k, v);
    return f;
  };
  it('collects answers and EEO fields from the apply form; a chosen file wins over a stored resume', () => {
    const id = '11111111-1111-4111-8111-111111111111';
    const r = applyFormSchema.parse(
      fd([
        ['jobId', id],
        ['resumeChoice', id],
        [`answer.${id}`, 'yes'],
        ['eeo.gender', 'female'],
        ['coverNote', ''],
      ]),
    );
    expect(r).toMatchObject({
      jobId: id,
      resumeId: id,
      resumeFile: null,
      answers: { [id]: 'yes' },
      coverNote: null,
      eeo: { gender: 'female', veteran: 'decline' },
    });
    const withFile = applyFormSchema.parse(
      fd([
        ['jobId', id],
        ['resumeChoice', id],
        ['resumeFile', new File(['x'], 'cv.pdf')],
      ]),
    );
    expect(withFile.resumeId).toBeNull();
    expect(withFile.resumeFile).toBeInstanceOf(File);
    expect(
      applyFormSchema.safeParse(
        fd([
          ['jobId', id],
          ['eeo.gender', 'robot'],
        ]),
      ).success,
    ).toBe(false);
  });
  it('reads bulk selections as id:version pairs and rejects junk', () => {
    const id = '11111111-1111-4111-8111-111111111111';
    expect(
      bulkMoveFormSchema.parse(
        fd([
          ['jobId', id],
          ['selected', `${id}:3`],
          ['toStage', 'interview'],
        ]),
      ).items,
    ).toEqual([{ applicationId: id, version: 3 }]);
    expect(
      bulkMoveFormSchema.safeParse(
        fd([
          ['jobId', id],
          ['selected', 'x:y'],
          ['toStage', 'interview'],
        ]),
      ).success,
    ).toBe(false);
    expect(
      bulkMoveFormSchema.safeParse(
        fd([
          ['jobId', id],
          ['toStage', 'interview'],
        ]),
      ).error?.issues[0]?.message,
    ).toBe('Select at least one applicant to move.');
    expect(moveSchema.safeParse({ applicationId: id, version: 1, toStage: 'withdrawn' }).success).toBe(false);
  });
});

describe('the tabulated rule is eligibility() (every license kind × a spread of jobs)', () => {
  const { rows } = tabulateRule();
  // Looked up the way the SQL does: by the license's kind number, the accepted credential and the job's state or '*'.
  const index = new Set(rows.map((r) => `${r.kind}|${r.acceptedCode}|${r.jobState}|${r.telehealthOnly}`));
  const qualifies = (l: HeldLicense, job: { state: string; setting: string; credentials: string[] }) => {
    const k = licenseKind(l.credentialCode, l.state, l.compact);
    return job.credentials.some((acc) =>
      [job.state, ANY_STATE].some((js) => index.has(`${k}|${acc}|${js}|false`) || (job.setting === 'telehealth' && index.has(`${k}|${acc}|${js}|true`))),
    );
  };
  it('numbers every license kind uniquely', () => {
    const seen = new Set<number>();
    for (const code of CREDENTIAL_CODES) for (const st of [null, ...STATE_CODES]) for (const m of [false, true]) seen.add(licenseKind(code, st, m)!);
    expect(seen.size).toBe(CREDENTIAL_CODES.length * (STATE_CODES.length + 1) * 2);
    expect(licenseKind('LCSW', 'pa', false)).toBeNull();
    expect(licenseKind('TOOLONG', 'PA', false)).toBeNull();
  });
  const jobStates = ['PA', 'NJ', 'NY', 'OH', 'KY', 'CA', 'TX', 'WA', 'DC', 'VT'];
  const jobCreds = [
    ['LCSW'],
    ['LMSW'],
    ['LPC', 'LMHC'],
    ['LPCC'],
    ['RN'],
    ['LPN'],
    ['LP'],
    ['CPRP', 'CPS'],
    ['PMHNP', 'MD'],
    ['CADC'],
    ['LMFT', 'AMFT'],
    ['LAPC'],
  ];
  it('agrees for every held credential, issuing state and multistate flag', () => {
    let checked = 0;
    const mismatches: string[] = [];
    for (const code of CREDENTIAL_CODES)
      for (const state of [null, ...STATE_CODES])
        for (const compact of [false, true]) {
          const lic: HeldLicense = { credentialCode: code, state, expiresOn: null, compact };
          for (const js of jobStates)
            for (const setting of ['onsite', 'telehealth'])
              for (const credentials of jobCreds) {
                const job = { state: js, setting, credentials };
                const e = eligibility([lic], job, '2026-01-01').status;
                if (qualifies(lic, job) !== (e === 'eligible' || e === 'compact'))
                  mismatches.push(`${code}/${state}/${compact} → ${credentials} in ${js} ${setting}: ${e}`);
                checked++;
              }
        }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(200_000);
  }, 60_000);
});
