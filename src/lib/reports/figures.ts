import { z } from 'zod';
import { PIPELINE_STAGES, type PipelineStage } from '#lib/domain/sources';

/**
 * The reports' arithmetic, pure: funnel conversions, the small-number rule and the four-fifths
 * selection-rate comparison, and the period a report covers. Queries (queries.ts) bring counts;
 * everything a reader sees as a percentage or a ratio is computed here, once.
 */

/** Counts under this many people are never shown (suppressed as "fewer than 5"). */
export const MIN_CELL = 5;
/** The four-fifths rule: a group whose selection rate is under 80% of the highest group's is flagged. */
export const FOUR_FIFTHS = 0.8;

export interface FunnelCounts {
  views: number;
  applyStarts: number;
  applications: number;
  screening: number;
  interview: number;
  offer: number;
  hired: number;
}
export const FUNNEL_KEYS = [
  'views',
  'applyStarts',
  'applications',
  'screening',
  'interview',
  'offer',
  'hired',
] as const satisfies readonly (keyof FunnelCounts)[];
export const FUNNEL_LABELS: Record<keyof FunnelCounts, string> = {
  views: 'Job page views',
  applyStarts: 'Apply started',
  applications: 'Applications',
  screening: 'Reached screening',
  interview: 'Reached interview',
  offer: 'Reached offer',
  hired: 'Hired',
};

export interface FunnelStep {
  key: keyof FunnelCounts;
  label: string;
  count: number;
  /** This step's count over the previous step's; null for the first step or when the previous is 0. */
  conversion: number | null;
}

export function funnelSteps(c: FunnelCounts): FunnelStep[] {
  return FUNNEL_KEYS.map((key, i) => {
    const prev = i === 0 ? 0 : c[FUNNEL_KEYS[i - 1]!];
    return { key, label: FUNNEL_LABELS[key], count: c[key], conversion: i === 0 || prev === 0 ? null : c[key] / prev };
  });
}

export const emptyFunnel = (): FunnelCounts => ({ views: 0, applyStarts: 0, applications: 0, screening: 0, interview: 0, offer: 0, hired: 0 });

/** A count as shown: null ("fewer than 5") for 1–4 people; zero and five or more as they are. */
export function shownCount(n: number): number | null {
  return n > 0 && n < MIN_CELL ? null : n;
}

export interface SelectionInput {
  group: string;
  /** People in the group who reached the step before (the pool). */
  entered: number;
  /** Of those, the people who passed this step. */
  selected: number;
}

export interface SelectionRow {
  group: string;
  /** null: fewer than 5. */
  entered: number | null;
  selected: number | null;
  rate: number | null;
  /** rate over the highest shown group's rate; null when suppressed or no group has a rate above 0. */
  ratio: number | null;
  /** Part of the row is hidden because a figure would describe fewer than 5 people. */
  suppressed: boolean;
  highest: boolean;
  belowFourFifths: boolean;
}

/**
 * Selection rates per group at one step and each rate's ratio to the highest (the four-fifths rule).
 * A group's rate is shown only when the pool has at least 5 people and neither those selected nor
 * those not selected number 1–4: otherwise the rate (with the pool) would give away a count under 5.
 * Only shown rates compete for "highest". Groups nobody entered are left out.
 */
export function selectionRates(inputs: readonly SelectionInput[]): SelectionRow[] {
  const rows = inputs
    .filter((g) => g.entered > 0)
    .map((g) => {
      const notSelected = g.entered - g.selected;
      const suppressed = g.entered < MIN_CELL || shownCount(g.selected) === null || shownCount(notSelected) === null;
      return {
        group: g.group,
        entered: shownCount(g.entered),
        selected: suppressed ? null : g.selected,
        rate: suppressed ? null : g.selected / g.entered,
        ratio: null as number | null,
        suppressed,
        highest: false,
        belowFourFifths: false,
      };
    });
  const top = Math.max(0, ...rows.map((r) => r.rate ?? 0));
  for (const r of rows) {
    if (r.rate === null || top === 0) continue;
    r.ratio = r.rate / top;
    r.highest = r.rate === top;
    r.belowFourFifths = r.ratio < FOUR_FIFTHS;
  }
  return rows;
}

/** The steps the fairness report compares groups at: each stage from the one before, and applied → hired overall. */
export const SELECTION_STEPS = [
  { key: 'screening', from: 'applied', to: 'screening', label: 'Applied → screening' },
  { key: 'interview', from: 'screening', to: 'interview', label: 'Screening → interview' },
  { key: 'offer', from: 'interview', to: 'offer', label: 'Interview → offer' },
  { key: 'hired', from: 'offer', to: 'hired', label: 'Offer → hired' },
  { key: 'overall', from: 'applied', to: 'hired', label: 'Applied → hired (overall)' },
] as const satisfies readonly { key: string; from: PipelineStage; to: PipelineStage; label: string }[];

/** People who reached at least `stage`, from counts per furthest stage. */
export function reachedAtLeast(byFurthest: Partial<Record<PipelineStage, number>>, stage: PipelineStage): number {
  const from = PIPELINE_STAGES.indexOf(stage);
  return PIPELINE_STAGES.slice(from).reduce((n, s) => n + (byFurthest[s] ?? 0), 0);
}

// ---------------------------------------------------------------- the period

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter dates as YYYY-MM-DD.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'Enter a real date.');

export const REPORT_SECTIONS = ['funnel', 'sources', 'speed', 'licensure', 'fairness'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export interface ReportParams {
  from: string;
  to: string;
  job: string | null;
  format: 'html' | 'csv';
  section: ReportSection | null;
}

/** At most this long a period (five years): bounds the work a request can ask for. */
const MAX_DAYS = 5 * 366;
const DAY_MS = 86_400_000;

export function defaultPeriod(now = new Date()): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - 89 * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}

const paramsSchema = z
  .object({
    from: isoDate,
    to: isoDate,
    job: z.uuid({ error: 'Choose a job from the list.' }).nullable(),
    format: z.enum(['html', 'csv'], { error: 'Choose html or csv.' }),
    section: z.enum(REPORT_SECTIONS, { error: 'Unknown report section.' }).nullable(),
  })
  .refine((p) => p.from <= p.to, { message: 'The start date must be on or before the end date.', path: ['from'] })
  .refine((p) => (Date.parse(p.to) - Date.parse(p.from)) / DAY_MS <= MAX_DAYS, { message: 'Choose a period of five years or less.', path: ['from'] });

/** The report's query string; on bad input, the defaults and a message a person can act on. */
export function parseReportParams(qs: URLSearchParams, now = new Date()): { params: ReportParams; error: string | null } {
  const d = defaultPeriod(now);
  const raw = {
    from: qs.get('from') || d.from,
    to: qs.get('to') || d.to,
    job: qs.get('job') || null,
    format: qs.get('format') || 'html',
    section: qs.get('section') || null,
  };
  const r = paramsSchema.safeParse(raw);
  if (r.success) return { params: r.data, error: null };
  return {
    params: { from: d.from, to: d.to, job: null, format: raw.format === 'csv' ? 'csv' : 'html', section: null },
    error: r.error.issues[0]?.message ?? 'Check the report’s dates.',
  };
}

/** The period as timestamps: from the start of `from` to the end of `to`, UTC. */
export function periodBounds(p: Pick<ReportParams, 'from' | 'to'>): { start: Date; end: Date } {
  return { start: new Date(`${p.from}T00:00:00Z`), end: new Date(Date.parse(`${p.to}T00:00:00Z`) + DAY_MS) };
}
