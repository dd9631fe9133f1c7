import { describe, expect, it } from 'vitest';
import { eligibility, eligibilityLabel, qualifyClauses, type HeldLicense } from '#lib/licensure/eligibility';

const TODAY = '2026-11-23';
const lic = (credentialCode: string, state: string | null, extra: Partial<HeldLicense> = {}): HeldLicense => ({
  credentialCode,
  state,
  expiresOn: '2028-01-31',
  compact: false,
  ...extra,
});
const job = (state: string, credentials: string[], setting = 'onsite') => ({ state, credentials, setting });

describe('eligibility rule', () => {
  const table: [string, HeldLicense[], ReturnType<typeof job>, string][] = [
    ['same credential, same state', [lic('LCSW', 'PA')], job('PA', ['LCSW']), 'eligible'],
    ['state title variant of the same class', [lic('LMHC', 'NY')], job('NY', ['LPC']), 'eligible'],
    ['higher tier satisfies lower', [lic('LCSW', 'PA')], job('PA', ['LMSW']), 'eligible'],
    ['lower tier does not satisfy higher', [lic('LMSW', 'PA')], job('PA', ['LCSW']), 'needs_credential'],
    ['matching credential in another state', [lic('LCSW', 'NJ')], job('PA', ['LCSW']), 'needs_license'],
    ['expired license never counts', [lic('LCSW', 'PA', { expiresOn: '2026-11-22' })], job('PA', ['LCSW']), 'expired'],
    [
      'an expired license here is named before an active one elsewhere',
      [lic('LCSW', 'PA', { expiresOn: '2026-11-22' }), lic('LCSW', 'NJ')],
      job('PA', ['LCSW']),
      'expired',
    ],
    ['expired license in another state: needs a license here', [lic('LCSW', 'NJ', { expiresOn: '2026-11-22' })], job('PA', ['LCSW']), 'needs_credential'],
    ['a posting that lists no credential: nothing to say', [lic('LCSW', 'PA')], job('PA', []), 'none'],
    ['expiring today still counts', [lic('LCSW', 'PA', { expiresOn: TODAY })], job('PA', ['LCSW']), 'eligible'],
    ['no matching credential', [lic('RN', 'PA')], job('PA', ['LCSW']), 'needs_credential'],
    ['RN multistate license between NLC states', [lic('RN', 'NJ', { compact: true })], job('PA', ['RN']), 'compact'],
    ['RN single-state license does not cross', [lic('RN', 'NJ')], job('PA', ['RN']), 'needs_license'],
    ['RN multistate into a non-NLC state', [lic('RN', 'NJ', { compact: true })], job('NY', ['RN']), 'needs_license'],
    ['independent counselor under the Counseling Compact', [lic('LPC', 'OH')], job('KY', ['LPCC']), 'compact'],
    ['associate counselor gets no compact privilege', [lic('LAPC', 'GA')], job('TN', ['LAPC']), 'needs_license'],
    ['counselor into a non-member state', [lic('LPC', 'OH')], job('CA', ['LPCC']), 'needs_license'],
    ['PSYPACT carries telehealth work', [lic('LP', 'PA')], job('OH', ['LP'], 'telehealth'), 'compact'],
    ['PSYPACT does not carry on-site work', [lic('LP', 'PA')], job('OH', ['LP'], 'onsite'), 'needs_license'],
    ['national certification counts anywhere', [lic('CPRP', null)], job('WA', ['CPRP']), 'eligible'],
    ['in-state beats compact', [lic('RN', 'NJ', { compact: true }), lic('RN', 'PA')], job('PA', ['RN']), 'eligible'],
    ['LPN is not an RN', [lic('LPN', 'PA')], job('PA', ['RN']), 'needs_credential'],
    ['unknown credential is ignored', [lic('XYZ', 'PA')], job('PA', ['LCSW']), 'needs_credential'],
  ];
  for (const [name, held, j, expected] of table) {
    it(name, () => {
      expect(eligibility(held, j, TODAY).status).toBe(expected);
    });
  }

  // issue 10 #5
  it('an expired license that would have qualified is named with its date; a missing credential names what the job accepts', () => {
    const expired = eligibility([lic('LMFT', 'NY', { expiresOn: '2026-03-31' })], job('NY', ['LMFT']), TODAY);
    expect(eligibilityLabel(expired)).toBe('Your NY LMFT expired on Mar 31, 2026');
    expect(eligibilityLabel(expired, 'team')).toBe('Their NY LMFT expired on Mar 31, 2026');
    expect(eligibilityLabel(eligibility([lic('RN', 'NY')], job('NY', ['LMFT', 'LPC', 'LCSW']), TODAY))).toBe('Needs LMFT, LPC or LCSW');
    expect(eligibilityLabel(eligibility([], job('NY', ['LCSW']), TODAY))).toBe('Needs LCSW');
    expect(eligibilityLabel(eligibility([lic('CPRP', null, { expiresOn: '2026-01-02' })], job('WA', ['CPRP']), TODAY))).toBe(
      'Your CPRP expired on Jan 2, 2026',
    );
  });

  it('names the state that needs a license and the compact used', () => {
    expect(eligibility([lic('LCSW', 'NJ')], job('PA', ['LCSW']), TODAY)).toEqual({
      status: 'needs_license',
      state: 'PA',
    });
    expect(eligibility([lic('RN', 'NJ', { compact: true })], job('PA', ['RN']), TODAY)).toMatchObject({
      compact: 'Nurse Licensure Compact',
    });
  });
});

describe('qualify clauses agree with the rule', () => {
  const jobsToTry = [
    job('PA', ['LCSW']),
    job('NY', ['LMHC']),
    job('KY', ['LPCC']),
    job('OH', ['LP'], 'telehealth'),
    job('OH', ['LP']),
    job('PA', ['RN']),
    job('NY', ['RN']),
    job('WA', ['CPRP']),
    job('PA', ['LMSW']),
    job('CA', ['LPCC']),
  ];
  const holdings: HeldLicense[][] = [
    [lic('LCSW', 'PA')],
    [lic('LPC', 'OH')],
    [lic('LP', 'PA')],
    [lic('RN', 'NJ', { compact: true })],
    [lic('RN', 'NJ')],
    [lic('CPRP', null)],
    [lic('LCSW', 'PA', { expiresOn: '2020-01-01' })],
    [],
  ];
  for (const held of holdings) {
    it(`matches for ${held.map((h) => `${h.credentialCode}/${h.state}`).join(', ') || 'no licenses'}`, () => {
      const clauses = qualifyClauses(held, TODAY);
      for (const j of jobsToTry) {
        const byClause = clauses.some(
          (c) =>
            j.credentials.some((x) => c.credentials.includes(x)) &&
            (c.states === null || c.states.includes(j.state)) &&
            (!c.telehealthOnly || j.setting === 'telehealth'),
        );
        const status = eligibility(held, j, TODAY).status;
        expect(byClause, `${JSON.stringify(j)} → ${status}`).toBe(status === 'eligible' || status === 'compact');
      }
    });
  }
});
