import { describe, expect, it } from 'vitest';
import { invitationIcs, interviewUid } from '#lib/interviews/ics';
import { fromLocal } from '#lib/interviews/times';
import { jobTimeZone } from '#lib/domain/time-zones';
import { parseIcs } from '../helpers/ics';

const NY = 'America/New_York';
const base = {
  interviewId: '0b6b1f7e-8f59-4c55-9d7a-6a1f1f0c0a11',
  siteUrl: 'https://jobs.example.org',
  summary: 'Clinical interview',
  description: 'With the clinical director',
  location: '100 Main St, Pittsburgh, PA',
  organizer: { name: 'Mara Lee', email: 'mara@example.org' },
  attendees: [
    { name: 'Dana Whitfield', email: 'dana@example.com' },
    { name: 'Mara Lee', email: 'mara@example.org' },
  ],
  stamp: new Date('2027-03-01T12:00:00Z'),
};
const at = (local: string) => {
  const r = fromLocal(local, NY);
  if (!r.ok) throw new Error(r.message);
  return r.at;
};

describe('interview invitations (.ics read back by ical.js)', () => {
  it('writes 10 AM Eastern with TZID and a VTIMEZONE that resolves right on both sides of the 2027-03-14 DST change', () => {
    const before = parseIcs(invitationIcs({ ...base, method: 'REQUEST', sequence: 0, start: at('2027-03-12T10:00'), end: at('2027-03-12T11:00'), zone: NY }));
    const after = parseIcs(invitationIcs({ ...base, method: 'REQUEST', sequence: 0, start: at('2027-03-15T10:00'), end: at('2027-03-15T11:00'), zone: NY }));
    for (const ev of [before, after]) {
      expect(ev.tzid).toBe(NY);
      expect(ev.vtimezones).toEqual([NY]);
      expect(ev.localStart).toBe('10:00');
      expect(ev.method).toBe('REQUEST');
    }
    // EST is UTC−5, EDT is UTC−4: the same wall-clock time is a different instant.
    expect(before.start.toISOString()).toBe('2027-03-12T15:00:00.000Z');
    expect(after.start.toISOString()).toBe('2027-03-15T14:00:00.000Z');
    expect(after.end.toISOString()).toBe('2027-03-15T15:00:00.000Z');
  });

  it('keeps the UID per interview, carries SEQUENCE, ORGANIZER and ATTENDEEs; a cancel is METHOD:CANCEL with the same UID', () => {
    const times = { start: at('2027-03-15T10:00'), end: at('2027-03-15T11:00'), zone: NY };
    const first = parseIcs(invitationIcs({ ...base, ...times, method: 'REQUEST', sequence: 0 }));
    const moved = parseIcs(invitationIcs({ ...base, ...times, method: 'REQUEST', sequence: 1 }));
    const cancel = parseIcs(invitationIcs({ ...base, ...times, method: 'CANCEL', sequence: 2 }));
    expect(first.uid).toBe(interviewUid(base.interviewId, base.siteUrl));
    expect(first.uid).toBe('interview-0b6b1f7e-8f59-4c55-9d7a-6a1f1f0c0a11@jobs.example.org');
    expect(moved.uid).toBe(first.uid);
    expect(cancel.uid).toBe(first.uid);
    expect([first.sequence, moved.sequence, cancel.sequence]).toEqual([0, 1, 2]);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.status).toBe('CANCELLED');
    expect(first.organizer).toBe('mailto:mara@example.org');
    expect(first.attendees.map((a) => a.toLowerCase())).toEqual(['mailto:dana@example.com', 'mailto:mara@example.org']);
  });

  it('refuses a time the clocks skip, and maps states to zones', () => {
    expect(fromLocal('2027-03-14T02:30', NY)).toMatchObject({ ok: false });
    expect(fromLocal('2027-03-14T03:30', NY)).toMatchObject({ ok: true });
    expect(jobTimeZone('PA')).toBe(NY);
    expect(jobTimeZone('AZ')).toBe('America/Phoenix');
    expect(jobTimeZone('CA')).toBe('America/Los_Angeles');
  });
});
