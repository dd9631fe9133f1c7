import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uuidRanges } from '#lib/search/documents';

describe('uuidRanges (how the reindex pages through jobs)', () => {
  it('one range is the whole id space', () => {
    expect(uuidRanges(1)).toEqual([{ lo: '00000000-0000-0000-0000-000000000000', hi: null }]);
  });

  it('ranges are contiguous, ordered and equal in width', () => {
    const r = uuidRanges(16);
    expect(r).toHaveLength(16);
    expect(r[0]!.lo).toBe('00000000-0000-0000-0000-000000000000');
    expect(r[1]!.lo).toBe('10000000-0000-0000-0000-000000000000');
    expect(r[15]!.lo).toBe('f0000000-0000-0000-0000-000000000000');
    for (let i = 0; i + 1 < r.length; i++) expect(r[i]!.hi).toBe(r[i + 1]!.lo);
    expect(r[15]!.hi).toBeNull();
  });

  it('every random UUID falls in exactly one range, also at the finest split', () => {
    for (const [parts, samples] of [
      [2, 500],
      [64, 500],
      [0x10000, 10],
    ] as const) {
      const r = uuidRanges(parts);
      for (let i = 0; i < samples; i++) {
        const id = crypto.randomUUID();
        const holders = r.filter(({ lo, hi }) => id >= lo && (hi === null || id < hi));
        expect(holders).toHaveLength(1);
      }
    }
  });
});
