import { describe, expect, it } from 'vitest';
import { count, FEWER, pct, shown } from '#components/reports/cells.ts';
import { countedGroups } from '#lib/web/list-groups';

describe('countedGroups', () => {
  it('leaves out empty groups and counts the items in each heading, in order', () => {
    const groups = countedGroups([
      { id: 'open-h', title: 'Open', items: ['a', 'b'] },
      { id: 'empty-h', title: 'Empty', items: [] },
      { id: 'closed-h', title: 'Closed', items: ['c'] },
    ]);
    expect(groups.map((g) => [g.id, g.heading, g.items])).toEqual([
      ['open-h', 'Open (2)', ['a', 'b']],
      ['closed-h', 'Closed (1)', ['c']],
    ]);
  });
});

describe('report cells', () => {
  it('writes counts, rates and hidden figures as the reports show them', () => {
    expect(count(12345)).toBe('12,345');
    expect(pct(0.12345)).toBe('12.3%');
    expect(pct(1)).toBe('100.0%');
    expect(pct(null)).toBe('—');
    expect(FEWER).toBe('fewer than 5');
    expect(shown(null)).toBe(FEWER);
    expect(shown(0)).toBe('0');
    expect(shown(1500)).toBe('1,500');
  });
});
