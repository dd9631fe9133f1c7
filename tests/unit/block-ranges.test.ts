import { describe, expect, it } from 'vitest';
import { blockRanges } from '#lib/search/documents';

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
