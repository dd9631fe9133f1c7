import { describe, expect, it } from 'vitest';
import { interviewGuideFor, kitSourceFor } from '#lib/scorecards/kit-source';
import { summarize, type SummaryCard } from '#lib/scorecards/summary';
import { ROLE_SLUGS } from '#lib/domain/taxonomy';
import { loadGuides } from '../helpers/scorecards';

/** The pure halves of kits and scorecards: guide → kit, and the summary figures. */
describe('interview kit source', () => {
  const guides = loadGuides();

  it('finds an interview guide with competencies for every role, and makes an empty kit where none exists', () => {
    for (const role of ROLE_SLUGS) {
      const kit = kitSourceFor(role, guides);
      expect(kit.guideSlug, role).toBe(interviewGuideFor(role, guides)!.id);
      expect(kit.competencies.length, role).toBeGreaterThanOrEqual(2);
      for (const c of kit.competencies) expect(c.questions.length, `${role}: ${c.name}`).toBeGreaterThan(0);
    }
    expect(kitSourceFor('astronaut', guides)).toEqual({ guideSlug: null, competencies: [] });
    // Only interview guides are sources (levels-of-care lists roles too).
    expect(
      kitSourceFor(
        'therapist',
        guides.filter((g) => g.data.kind !== 'interview'),
      ),
    ).toEqual({ guideSlug: null, competencies: [] });
  });
});

describe('scorecard summary', () => {
  const card = (id: string, overall: SummaryCard['overall'], ratings: [string | null, string, SummaryCard['overall']][]): SummaryCard => ({
    id,
    author: id,
    interview: 'Panel interview',
    submittedAt: new Date(0),
    overall,
    notes: '',
    ratings: ratings.map(([competencyId, competencyName, rating]) => ({ competencyId, competencyName, rating })),
  });

  it('counts per competency and per interviewer, treats a missing rating as not assessed, and keeps removed competencies apart', () => {
    const s = summarize(
      [
        { id: 'c1', name: 'Risk' },
        { id: 'c2', name: 'Notes' },
      ],
      [
        card('a', 'strong_yes', [
          ['c1', 'Risk', 'strong_yes'],
          [null, 'Old competency', 'no'],
        ]),
        card('b', 'no', [
          ['c1', 'Risk (old name)', 'no'],
          ['c2', 'Notes', 'yes'],
          ['gone', 'Old competency', 'strong_no'],
        ]),
        card('c', 'yes', []),
      ],
    );
    expect(s.rows.map((r) => [r.name, r.removed, r.rated, r.yesPercent])).toEqual([
      ['Risk', false, 2, 50],
      ['Notes', false, 1, 100],
      ['Old competency', true, 2, 0],
    ]);
    expect(s.rows[0]!.byCard).toEqual({ a: 'strong_yes', b: 'no' });
    expect(s.rows[2]!.counts).toEqual({ strong_no: 1, no: 1, yes: 0, strong_yes: 0 });
    expect([s.overall.rated, s.overall.yesPercent, s.overall.counts]).toEqual([3, 67, { strong_no: 0, no: 1, yes: 1, strong_yes: 1 }]);
    expect(summarize([{ id: 'c1', name: 'Risk' }], []).rows[0]).toMatchObject({ rated: 0, yesPercent: null });
  });
});
