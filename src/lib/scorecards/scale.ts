import { SCORECARD_RATINGS, type ScorecardRating } from '#db/schema';

/** The four-point scale every competency and the overall recommendation use (no middle: an interviewer has to lean). */
export const RATING_LABELS: Record<ScorecardRating, string> = {
  strong_no: 'Strong no',
  no: 'No',
  yes: 'Yes',
  strong_yes: 'Strong yes',
};

/** A competency the interview did not cover is rated "not assessed": no rating is stored for it. */
export const NOT_ASSESSED = 'not_assessed';
export const RATING_CHOICES = [...SCORECARD_RATINGS, NOT_ASSESSED] as const;

export { SCORECARD_RATINGS, type ScorecardRating };
