import { describe, expect, it } from 'vitest';
import { boardColumns, moveNotice, parseTableSort, sortCards, tablePage, TABLE_PAGE_SIZE } from '#lib/applications/pipeline-view';
import type { PipelineCard } from '#lib/applications/pipeline';
import { APPLICATION_STAGES } from '#lib/domain/taxonomy';
import { parseSearchParams } from '#lib/search/params';
import { activeChips, facetOptions, pageCount } from '#lib/search/results-view';

/** The view modules pages render from: pure functions of the query and the data. */
describe('search results view', () => {
  const p = (qs: string) => parseSearchParams(new URLSearchParams(qs));

  it('makes one removable chip per active filter, each link dropping only that filter and going back to page 1', () => {
    const chips = activeChips(p('q=therapist&role=therapist&state=PA&state=NJ&pay_min=60000&page=3'));
    expect(chips.map((c) => c.label)).toEqual(['Therapist / Primary Clinician', 'Pennsylvania', 'New Jersey', '“therapist”', 'Pay at least $60,000/yr']);
    const nj = new URL(chips[2]!.href, 'http://x').searchParams;
    expect(nj.getAll('state')).toEqual(['PA']);
    expect(nj.get('role')).toBe('therapist');
    expect(nj.get('page')).toBeNull();
  });

  it('drops the distance sort with the ZIP it needs', () => {
    const [chip] = activeChips(p('near=19104&radius=50&sort=distance'));
    expect(chip!.label).toBe('Within 50 miles of 19104');
    const u = new URL(chip!.href, 'http://x').searchParams;
    expect(u.get('near')).toBeNull();
    expect(u.get('sort')).not.toBe('distance');
  });

  it('lists every facet value in taxonomy order with its count, states by count', () => {
    const result = {
      facets: { role: { therapist: 4 }, program: { IOP: 2 }, credential: {}, state: { PA: 1, NJ: 9 }, setting: {} },
    };
    const roles = facetOptions(result, 'role');
    expect(roles.find((o) => o.value === 'therapist')).toMatchObject({
      count: 4,
      label: 'Therapist / Primary Clinician',
    });
    expect(roles.every((o) => typeof o.count === 'number')).toBe(true);
    expect(
      facetOptions(result, 'state')
        .slice(0, 2)
        .map((o) => o.value),
    ).toEqual(['NJ', 'PA']);
  });

  it('counts pages and caps deep paging', () => {
    expect(pageCount({ total: 41, pageSize: 20 })).toBe(3);
    expect(pageCount({ total: 10_000_000, pageSize: 20 })).toBe(10_000);
    expect(pageCount(undefined)).toBe(0);
  });
});

describe('pipeline view', () => {
  const card = (name: string, stage: PipelineCard['stage'], day: number, rating: number | null = null) =>
    ({ candidateName: name, stage, createdAt: new Date(Date.UTC(2026, 0, day)), avgRating: rating }) as PipelineCard;
  const cards = [card('Bea', 'offer', 3, 4), card('Al', 'applied', 5), card('Cy', 'rejected', 1, 5), card('Di', 'applied', 2, 2)];

  it('sorts by name, stage (pipeline order, newest within), rating and date', () => {
    expect(sortCards(cards, 'name').map((c) => c.candidateName)).toEqual(['Al', 'Bea', 'Cy', 'Di']);
    expect(sortCards(cards, 'stage').map((c) => c.candidateName)).toEqual(['Al', 'Di', 'Bea', 'Cy']);
    expect(sortCards(cards, 'rating').map((c) => c.candidateName)).toEqual(['Cy', 'Bea', 'Di', 'Al']);
    expect(sortCards(cards, 'newest').map((c) => c.candidateName)).toEqual(['Al', 'Bea', 'Di', 'Cy']);
    expect(parseTableSort('bogus')).toBe('newest');
  });

  it('puts every stage on the board in the taxonomy order', () => {
    const cols = boardColumns(cards);
    expect(cols.map((c) => c.stage)).toEqual([...APPLICATION_STAGES]);
    expect(cols.find((c) => c.stage === 'applied')!.cards).toHaveLength(2);
  });

  it('clamps the table page into range', () => {
    const many = Array.from({ length: TABLE_PAGE_SIZE * 2 + 1 }, (_, i) => i);
    expect(tablePage(many, 99)).toMatchObject({ page: 3, pages: 3 });
    expect(tablePage(many, 99).rows).toEqual([TABLE_PAGE_SIZE * 2]);
    expect(tablePage(many, -4).page).toBe(1);
    expect(tablePage([], 2)).toMatchObject({ page: 1, pages: 1, rows: [] });
  });

  it('says what a move did', () => {
    expect(moveNotice(new URLSearchParams('notice=moved&who=Pat&to=interview'))).toBe('Pat moved to Interview.');
    expect(moveNotice(new URLSearchParams('notice=bulk&n=1&to=screening'))).toBe('1 applicant moved to Screening.');
    expect(moveNotice(new URLSearchParams('notice=bulk&n=3&to=offer'))).toBe('3 applicants moved to Offer.');
    expect(moveNotice(new URLSearchParams(''))).toBeNull();
  });
});
