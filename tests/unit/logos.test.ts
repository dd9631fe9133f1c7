import { describe, expect, it } from 'vitest';
import { initials } from '#lib/logos/initials';

describe('initials avatar', () => {
  it('takes the first letters of the first two significant words', () => {
    expect(initials('Riverside Behavioral Health')).toBe('RB');
    expect(initials('The Center for Recovery')).toBe('CR');
    expect(initials('st. luke’s')).toBe('SL');
    expect(initials('Ünity')).toBe('Ü');
    expect(initials('— ')).toBe('?');
  });
});
