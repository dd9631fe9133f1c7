/**
 * Merging a page of the main index with the fresh index's hits (fresh.ts), as if one index held
 * both. Meilisearch orders hits rule by rule (words, typo, proximity, attribute, sort, exactness);
 * `showRankingScoreDetails` returns each rule's result, so two hits from indexes with the same
 * settings compare exactly as the engine would order them, up to its internal tie-break.
 */

/** One rule's part of a hit's `_rankingScoreDetails`: a score for relevance rules, a value (and a distance for geo) for sort rules. */
export interface RuleDetail {
  order: number;
  score?: number;
  value?: unknown;
  distance?: number;
}
export type RankingDetails = Record<string, RuleDetail>;

/** Missing sort values rank last whatever the direction, as in Meilisearch. */
function compareMissingLast(a: number | string | undefined, b: number | string | undefined, direction: 1 | -1): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (a === b) return 0;
  return (a < b ? -1 : 1) * direction;
}

const sortable = (v: unknown): number | string | undefined => (typeof v === 'number' || typeof v === 'string' ? v : undefined);

/** Negative when `a` ranks before `b`, 0 when the rules cannot tell them apart. */
export function compareRanking(a: RankingDetails, b: RankingDetails): number {
  const rules = Object.entries(a).sort(([, x], [, y]) => x.order - y.order);
  for (const [rule, da] of rules) {
    const db = b[rule];
    if (!db) continue;
    let c: number;
    if (da.distance !== undefined || db.distance !== undefined) c = compareMissingLast(da.distance, db.distance, 1);
    else if (rule.endsWith(':asc') || rule.endsWith(':desc')) c = compareMissingLast(sortable(da.value), sortable(db.value), rule.endsWith(':desc') ? -1 : 1);
    else c = compareMissingLast(da.score, db.score, -1);
    if (c !== 0) return c;
  }
  return 0;
}

export interface MergeInput<T> {
  /** The main index's hits from position `mainOffset` on, in its order. */
  main: T[];
  mainOffset: number;
  /** How many hits the main index has in all. */
  mainTotal: number;
  /** Every fresh-index hit, in its order. */
  fresh: T[];
  /** The merged window wanted: positions [start, start + size). */
  start: number;
  size: number;
  /** Negative when the first ranks before the second. On a tie the main index's hit comes first. */
  compare: (a: T, b: T) => number;
}

/**
 * The window [start, start + size) of the merged order. `mainOffset` must be at most
 * start − fresh.length (or 0), so every main hit in the window was fetched: a fresh hit that ranks
 * before the first fetched main hit then lies before the window whatever its exact place.
 */
export function mergeWindow<T>({ main, mainOffset, mainTotal, fresh, start, size, compare }: MergeInput<T>): T[] {
  const placed: { at: number; hit: T }[] = [];
  main.forEach((hit, i) => {
    const freshBefore = fresh.filter((f) => compare(f, hit) < 0).length;
    placed.push({ at: mainOffset + i + freshBefore, hit });
  });
  fresh.forEach((hit, j) => {
    if (mainOffset > 0 && main.length > 0 && compare(hit, main[0]!) < 0) return; // before the window
    const mainBefore = Math.min(mainTotal, mainOffset) + main.filter((m) => compare(hit, m) >= 0).length;
    placed.push({ at: j + mainBefore, hit });
  });
  return placed
    .filter((p) => p.at >= start && p.at < start + size)
    .sort((x, y) => x.at - y.at)
    .map((p) => p.hit);
}
