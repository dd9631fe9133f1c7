import { describe, expect, it } from 'vitest';
import { blockRanges } from '#lib/search/documents';
import { evenUploadBytes } from '#lib/search/reindex';

describe('blockRanges (how the reindex pages through the jobs table)', () => {
  it('an empty or small table is one open-ended range', () => {
    expect(blockRanges(0, 512)).toEqual([{ lo: '(0,0)', hi: null }]);
    expect(blockRanges(300, 512)).toEqual([{ lo: '(0,0)', hi: null }]);
  });

  it('ranges are contiguous and ordered, and the last one has no upper bound', () => {
    const r = blockRanges(1100, 512);
    expect(r).toEqual([
      { lo: '(0,0)', hi: '(512,0)' },
      { lo: '(512,0)', hi: '(1024,0)' },
      { lo: '(1024,0)', hi: null },
    ]);
  });

  it('an exact multiple adds no empty range', () => {
    expect(blockRanges(1024, 512)).toHaveLength(2);
  });
});

describe('evenUploadBytes (how the reindex sizes its uploads)', () => {
  it('splits the expected bytes into the fewest bodies under the limit, evenly, with 5 % to spare', () => {
    // 100k jobs here: 143 MB of documents, two bodies of about 75 MB instead of 90 + 53.
    expect(evenUploadBytes(143_000_000, 90_000_000)).toBe(75_075_000);
    expect(evenUploadBytes(200_000_000, 90_000_000)).toBe(70_000_000);
  });

  it('never passes the limit, and keeps it while nothing tells the size', () => {
    expect(evenUploadBytes(88_000_000, 90_000_000)).toBe(90_000_000);
    expect(evenUploadBytes(10_000, 90_000_000)).toBe(10_500);
    expect(evenUploadBytes(0, 90_000_000)).toBe(90_000_000);
    expect(evenUploadBytes(Number.NaN, 90_000_000)).toBe(90_000_000);
  });
});
