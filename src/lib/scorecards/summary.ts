import { SCORECARD_RATINGS, type ScorecardRating } from './scale';

/**
 * The scorecard summary an application shows: one row per competency (the kit's, in order,
 * then any removed from the kit that someone had rated), one column per scorecard, and the
 * tally of each row. Pure: the service passes only the scorecards the viewer may see.
 */
export interface SummaryCard {
  id: string;
  author: string;
  interview: string;
  submittedAt: Date;
  overall: ScorecardRating;
  notes: string;
  ratings: { competencyId: string | null; competencyName: string; rating: ScorecardRating }[];
}

export interface SummaryRow {
  key: string;
  name: string;
  /** A competency no longer in the kit (rated before it was removed). */
  removed: boolean;
  /** scorecard id → rating; missing means "not assessed" on that scorecard. */
  byCard: Record<string, ScorecardRating>;
  counts: Record<ScorecardRating, number>;
  rated: number;
  /** Share of ratings that are yes or strong yes, 0–100 (null when nobody rated it). */
  yesPercent: number | null;
}

export interface ScorecardSummary {
  cards: SummaryCard[];
  rows: SummaryRow[];
  overall: SummaryRow;
}

const emptyCounts = (): Record<ScorecardRating, number> => Object.fromEntries(SCORECARD_RATINGS.map((r) => [r, 0])) as Record<ScorecardRating, number>;

function row(key: string, name: string, removed: boolean, byCard: Record<string, ScorecardRating>): SummaryRow {
  const counts = emptyCounts();
  for (const r of Object.values(byCard)) counts[r]++;
  const rated = Object.keys(byCard).length;
  const yes = counts.yes + counts.strong_yes;
  return { key, name, removed, byCard, counts, rated, yesPercent: rated ? Math.round((yes / rated) * 100) : null };
}

export function summarize(competencies: readonly { id: string; name: string }[], cards: readonly SummaryCard[]): ScorecardSummary {
  const inKit = new Set(competencies.map((c) => c.id));
  const rows = competencies.map((c) => {
    const byCard: Record<string, ScorecardRating> = {};
    for (const card of cards) {
      const r = card.ratings.find((x) => x.competencyId === c.id);
      if (r) byCard[card.id] = r.rating;
    }
    return row(c.id, c.name, false, byCard);
  });
  // Ratings of competencies since removed from the kit, grouped by the name they had.
  const removed = new Map<string, Record<string, ScorecardRating>>();
  for (const card of cards) {
    for (const r of card.ratings) {
      if (r.competencyId && inKit.has(r.competencyId)) continue;
      const byCard = removed.get(r.competencyName) ?? {};
      byCard[card.id] = r.rating;
      removed.set(r.competencyName, byCard);
    }
  }
  for (const [name, byCard] of removed) rows.push(row(`removed:${name}`, name, true, byCard));
  const overall = row('overall', 'Overall recommendation', false, Object.fromEntries(cards.map((c) => [c.id, c.overall])));
  return { cards: [...cards], rows, overall };
}
