import { DateTime } from 'luxon';

/**
 * Wall-clock times in a zone, both ways, with luxon (the IANA database through Intl): the team
 * types "2027-03-15T10:00" meaning 10 AM where the job is, which is a different UTC instant on
 * either side of a daylight-saving change.
 */

export type LocalTimeResult = { ok: true; at: Date } | { ok: false; message: string };

/** "YYYY-MM-DDTHH:mm" (what `<input type="datetime-local">` sends) in `zone` → the instant. */
export function fromLocal(value: string, zone: string): LocalTimeResult {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return { ok: false, message: 'Enter a date and a time.' };
  const dt = DateTime.fromISO(value, { zone });
  if (!dt.isValid) return { ok: false, message: 'Enter a real date and time.' };
  // A time the clocks skip (2:30 AM on the spring-forward day) does not exist there; luxon would move it.
  if (dt.toFormat("yyyy-MM-dd'T'HH:mm") !== value)
    return { ok: false, message: 'That time does not exist there (the clocks skip it for daylight saving time).' };
  return { ok: true, at: dt.toJSDate() };
}

/** "Mon, Mar 15, 2027, 10:00 AM EDT": how emails and pages write an interview time in its zone. */
export function formatInZone(at: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  }).format(at);
}

/** "10:00 – 11:00 AM EDT, Mon, Mar 15, 2027"-like range in the zone. */
export function formatRange(start: Date, end: Date, zone: string): string {
  return `${formatInZone(start, zone)} – ${new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: zone }).format(end)}`;
}

/** The instant in the zone, as luxon's DateTime (what the calendar generator writes with TZID). */
export function inZone(at: Date, zone: string): DateTime {
  return DateTime.fromJSDate(at, { zone });
}
