import { MIN_CELL } from '#lib/reports/figures';

/** How the reports page and its tables (FairnessTable) write their figures. */

/** A count, with thousands separators. */
export const count = (x: number) => x.toLocaleString('en-US');

/** A rate (0–1) as a percentage with one decimal; "—" when there is none. */
export const pct = (x: number | null) => (x === null ? '—' : `${(Math.round(x * 1000) / 10).toFixed(1)}%`);

/** What stands in for a figure about too few people to show. */
export const FEWER = `fewer than ${MIN_CELL}`;

/** A count the small-number rule may have hidden (null). */
export const shown = (x: number | null) => (x === null ? FEWER : count(x));
