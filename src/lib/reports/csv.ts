import { stringify } from 'csv-stringify/sync';
import { neutralizeCell } from '#lib/screening/csv';
import type { SelectionRow } from './figures';
import { SOURCE_LABELS } from '#lib/domain/sources';
import type { Report } from './service';
import { STAGE_LABELS } from '#lib/applications/stages';

/**
 * The report as one CSV (csv-stringify): a long table — section, scope (a job or the organization),
 * item, measure, value — so every section fits the same five columns and a spreadsheet can pivot it.
 * Suppressed figures are written as "fewer than 5", exactly as the page shows them.
 */
export const REPORT_CSV_COLUMNS = ['Section', 'Scope', 'Item', 'Measure', 'Value'];
export const SUPPRESSED = 'fewer than 5';
type Cell = string | number | null;

const pct = (x: number | null) => (x === null ? '' : (Math.round(x * 1000) / 10).toFixed(1));
const hours = (x: number | null) => (x === null ? '' : (Math.round(x * 10) / 10).toFixed(1));
const shown = (n: number | null) => (n === null ? SUPPRESSED : n);

function selectionLines(section: string, scope: string, rows: readonly SelectionRow[], out: Cell[][]) {
  for (const r of rows) {
    out.push([section, scope, r.group, 'entered', shown(r.entered)]);
    out.push([section, scope, r.group, 'selected', r.suppressed ? SUPPRESSED : r.selected]);
    out.push([section, scope, r.group, 'selection rate %', r.suppressed ? SUPPRESSED : pct(r.rate)]);
    out.push([section, scope, r.group, 'ratio to highest', r.suppressed ? SUPPRESSED : r.ratio === null ? '' : r.ratio.toFixed(2)]);
  }
}

export function reportCsv(r: Report, orgName: string): string {
  const out: Cell[][] = [];
  if (r.funnel) {
    for (const s of r.funnel.total) {
      out.push(['funnel', orgName, s.label, 'count', s.count]);
      out.push(['funnel', orgName, s.label, 'conversion from previous %', pct(s.conversion)]);
    }
    for (const j of r.funnel.jobs) for (const s of j.steps) out.push(['funnel', j.title, s.label, 'count', s.count]);
  }
  for (const s of r.sources ?? []) {
    out.push(['sources', orgName, SOURCE_LABELS[s.source], 'applications', s.applications]);
    out.push(['sources', orgName, SOURCE_LABELS[s.source], 'reached interview', s.interviewed]);
    out.push(['sources', orgName, SOURCE_LABELS[s.source], 'hired', s.hired]);
  }
  if (r.speed) {
    for (const [stage, d] of Object.entries(r.speed.inStage)) {
      const label = `Time in ${STAGE_LABELS[stage as keyof typeof STAGE_LABELS]}`;
      out.push(
        ['speed', orgName, label, 'completed stays', d.n],
        ['speed', orgName, label, 'median hours', hours(d.median)],
        ['speed', orgName, label, 'p90 hours', hours(d.p90)],
      );
    }
    for (const [label, d] of [
      ['Time to first review', r.speed.firstReview],
      ['Time to hire', r.speed.toHire],
    ] as const) {
      out.push(
        ['speed', orgName, label, 'applications', d.n],
        ['speed', orgName, label, 'median hours', hours(d.median)],
        ['speed', orgName, label, 'p90 hours', hours(d.p90)],
      );
    }
  }
  for (const l of r.licensure ?? []) {
    out.push(['licensure', l.title, 'All applicants', 'count', l.applicants]);
    out.push(['licensure', l.title, `Eligible in ${l.state}`, 'count', l.eligible]);
    out.push(['licensure', l.title, `Needs a ${l.state} license`, 'count', l.needsLicense]);
    out.push(['licensure', l.title, 'No accepted credential', 'count', l.noMatch]);
    for (const [cls, n] of Object.entries(l.classes)) out.push(['licensure', l.title, `Credential class: ${cls}`, 'count', n]);
  }
  if (r.fairness) {
    out.push(['fairness', orgName, 'EEO responses with a known stage', 'count', r.fairness.responses]);
    for (const t of r.fairness.tables) for (const s of t.steps) selectionLines('fairness', `${t.label}: ${s.step.label}`, s.rows, out);
    for (const q of r.fairness.knockouts)
      for (const f of q.fields) selectionLines('fairness knockout', `${q.jobTitle}: “${q.prompt}” (${f.label})`, f.rows, out);
  }
  return stringify([REPORT_CSV_COLUMNS, ...out.map((row) => row.map((c) => (typeof c === 'string' ? neutralizeCell(c) : c)))]);
}
