import { describe, expect, it } from 'vitest';
import { whereLine } from '#lib/interviews/labels';
import { roleInSentence } from '#lib/orgs/schema';
import { EMPLOYMENT_TYPES, PROGRAM_LABELS, PROGRAM_TYPES, SCHEDULES, SETTINGS } from '#lib/domain/taxonomy';

describe('label helpers', () => {
  it('puts the right article before a member role inside a sentence', () => {
    expect(roleInSentence('admin')).toBe('an admin');
    expect(roleInSentence('hiring_manager')).toBe('a hiring manager');
    expect(roleInSentence('recruiter')).toBe('a recruiter');
  });

  it('writes where an interview happens as one line with the detail the place needs', () => {
    expect(whereLine({ place: 'video', placeDetail: 'https://meet.example/abc' })).toBe('Video call — Video link: https://meet.example/abc');
    expect(whereLine({ place: 'on_site', placeDetail: '12 Main St' })).toBe('On site — Address: 12 Main St');
  });

  it('keeps the stored taxonomy codes in their declared order', () => {
    expect(PROGRAM_TYPES).toEqual(['PHP', 'IOP', 'PHP_IOP']);
    expect(SETTINGS).toEqual(['onsite', 'hybrid', 'telehealth']);
    expect(SCHEDULES).toEqual(['days', 'evenings', 'weekends', 'flexible']);
    expect(EMPLOYMENT_TYPES).toEqual(['full_time', 'part_time', 'per_diem', 'contract']);
    expect(PROGRAM_LABELS.PHP_IOP).toBe('PHP and IOP');
  });
});
