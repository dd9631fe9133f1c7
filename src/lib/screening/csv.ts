import { stringify } from 'csv-stringify/sync';
import { STAGE_LABELS } from '#lib/applications/stages';
import type { TeamLicense } from '#lib/applications/team-licenses';
import { licenseStatusLabel } from '#lib/profile/licenses';
import type { ScreenRow } from './query';

/**
 * The screening view as CSV (csv-stringify writes it). Cells a spreadsheet
 * would run as a formula — starting with = + - @, or a tab or carriage return
 * (OWASP's list) — get a leading apostrophe, so a candidate's name or answer
 * can never become a formula on a recruiter's machine.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeCell(v: string): string {
  return FORMULA_START.test(v) ? `'${v}` : v;
}

function licenseCell(l: TeamLicense): string {
  const parts = [`${l.credentialCode}${l.state ? ` ${l.state}` : ''}`, `#${l.number}`];
  if (l.compact) parts.push('multistate');
  parts.push(licenseStatusLabel(l.status));
  if (l.verification)
    parts.push(`verified ${l.verification.verifiedAt.toISOString().slice(0, 10)}${l.verification.verifiedBy ? ` by ${l.verification.verifiedBy}` : ''}`);
  else parts.push('not verified');
  return parts.join(', ');
}

export const CSV_COLUMNS = [
  'Applicant',
  'Email',
  'Phone',
  'City',
  'State',
  'Job',
  'Job state',
  'Stage',
  'Applied',
  'Knockout failed',
  'Eligibility in job state',
  'Licenses',
  'Average rating',
  'Application ID',
] as const;

export function screeningCsv(rows: readonly ScreenRow[]): string {
  const records = rows.map((r) =>
    [
      r.candidateName,
      r.candidateEmail,
      r.candidatePhone ?? '',
      r.candidateCity ?? '',
      r.candidateState ?? '',
      r.jobTitle,
      r.jobState,
      STAGE_LABELS[r.stage],
      r.appliedAt.toISOString().slice(0, 10),
      r.knockoutFailed ? 'yes' : 'no',
      r.eligibility.label,
      r.licenses.map(licenseCell).join('; '),
      r.avgRating === null ? '' : r.avgRating.toFixed(1),
      r.applicationId,
    ].map((c) => neutralizeCell(String(c))),
  );
  // A byte-order mark so Excel reads UTF-8 names correctly.
  return `\ufeff${stringify(records, { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows', quoted_string: true })}`;
}
