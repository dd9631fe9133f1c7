import { describe, expect, it } from 'vitest';
import { compareRanking, mergeWindow, type RankingDetails } from '#lib/search/fresh-merge';

describe('compareRanking (ordering hits of two indexes as one engine would)', () => {
  it('goes rule by rule in the engine order: a better earlier rule wins over any later one', () => {
    const a: RankingDetails = { words: { order: 0, score: 1 }, typo: { order: 1, score: 0.5 } };
    const b: RankingDetails = { words: { order: 0, score: 0.5 }, typo: { order: 1, score: 1 } };
    expect(compareRanking(a, b)).toBeLessThan(0);
    expect(compareRanking(b, a)).toBeGreaterThan(0);
    expect(compareRanking(a, { ...a })).toBe(0);
  });

  it('follows each sort rule direction, puts missing values last, and ranks geo by distance', () => {
    const newer = { 'postedAt:desc': { order: 0, value: 200 } };
    const older = { 'postedAt:desc': { order: 0, value: 100 } };
    expect(compareRanking(newer, older)).toBeLessThan(0);
    const cheap = { 'payMinAnnual:asc': { order: 0, value: 1 } };
    const dear = { 'payMinAnnual:asc': { order: 0, value: 2 } };
    expect(compareRanking(cheap, dear)).toBeLessThan(0);
    expect(compareRanking({ 'payMinAnnual:desc': { order: 0 } }, { 'payMinAnnual:desc': { order: 0, value: 5 } })).toBeGreaterThan(0);
    const near = { '_geoPoint(40,-80):asc': { order: 0, value: { lat: 40, lng: -80 }, distance: 10 } };
    const far = { '_geoPoint(40,-80):asc': { order: 0, value: { lat: 41, lng: -80 }, distance: 900 } };
    expect(compareRanking(near, far)).toBeLessThan(0);
  });
});

/** A tiny deterministic generator, so a failure names its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('mergeWindow (a page of the main index and every fresh hit, as one list)', () => {
  type Hit = { key: number; from: 'main' | 'fresh'; n: number };
  /** Smaller keys rank first; on equal keys the main index's hit first, as mergeWindow promises. */
  const compare = (a: Hit, b: Hit) => a.key - b.key;
  const whole = (main: Hit[], fresh: Hit[]) =>
    [...main, ...fresh].sort((a, b) => a.key - b.key || (a.from === b.from ? a.n - b.n : a.from === 'main' ? -1 : 1));

  it('equals the window of the full merge for every page, offset and tie', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const size = 1 + Math.floor(r() * 6);
      const mainAll = Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 30))
        .sort((a, b) => a - b)
        .map((key, n): Hit => ({ key, from: 'main', n }));
      const fresh = Array.from({ length: Math.floor(r() * 8) }, () => Math.floor(r() * 30))
        .sort((a, b) => a - b)
        .map((key, n): Hit => ({ key, from: 'fresh', n }));
      const all = whole(mainAll, fresh);
      const pages = Math.max(1, Math.ceil(all.length / size)) + 1;
      for (let page = 1; page <= pages; page++) {
        // As the search asks: a page earlier per page of fresh hits there could be (meili-search.ts).
        const firstPage = Math.max(1, page - Math.ceil(fresh.length / size));
        const mainOffset = (firstPage - 1) * size;
        const main = mainAll.slice(mainOffset, page * size);
        const start = (page - 1) * size;
        const got = mergeWindow({ main, mainOffset, mainTotal: mainAll.length, fresh, start, size, compare });
        expect({ seed, page, got }).toEqual({ seed, page, got: all.slice(start, start + size) });
      }
    }
  });
});
