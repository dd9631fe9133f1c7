import { describe, expect, it } from 'vitest';
import { publicMaxAge } from '#lib/web/micro-cache';

describe('which responses the micro-cache may keep', () => {
  it('keeps only public responses with a max-age, for at most that long', () => {
    expect(publicMaxAge('public, max-age=60, stale-while-revalidate=600')).toBe(60);
    expect(publicMaxAge('max-age=60, public')).toBe(60);
    expect(publicMaxAge('public, max-age=0')).toBe(0);
    expect(publicMaxAge('public')).toBe(0);
    expect(publicMaxAge('private, max-age=60')).toBe(0);
    expect(publicMaxAge('public, no-store, max-age=60')).toBe(0);
    expect(publicMaxAge('no-cache, public, max-age=60')).toBe(0);
    expect(publicMaxAge('s-maxage=60, max-age=30, public')).toBe(30);
    expect(publicMaxAge(undefined)).toBe(0);
  });
});
