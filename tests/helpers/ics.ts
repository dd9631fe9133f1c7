import ICAL from 'ical.js';

/** An .ics file read back by a real iCalendar parser (ical.js), its VTIMEZONE registered so TZID times resolve. */
export function parseIcs(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const vevent = cal.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  const ev = new ICAL.Event(vevent);
  const prop = (c: InstanceType<typeof ICAL.Component>, name: string) => c.getFirstPropertyValue(name);
  return {
    method: String(prop(cal, 'method')),
    uid: ev.uid,
    sequence: ev.sequence,
    status: String(prop(vevent, 'status')),
    tzid: vevent.getFirstProperty('dtstart')?.getParameter('tzid'),
    start: ev.startDate.toJSDate(),
    end: ev.endDate.toJSDate(),
    /** Wall-clock "HH:MM" as written in the file (in the TZID's zone). */
    localStart: `${String(ev.startDate.hour).padStart(2, '0')}:${String(ev.startDate.minute).padStart(2, '0')}`,
    organizer: String(prop(vevent, 'organizer')),
    attendees: vevent.getAllProperties('attendee').map((a) => String(a.getFirstValue())),
    vtimezones: cal.getAllSubcomponents('vtimezone').map((t) => String(t.getFirstPropertyValue('tzid'))),
  };
}

/** The `text/calendar; method=…` attachment of a message as sent over the wire (an .eml), decoded; null when it has none. */
export function calendarAttachment(eml: string, method = 'REQUEST'): string | null {
  const part = new RegExp(`Content-Type: text/calendar; charset=utf-8; method=${method}[\\s\\S]*?\\r?\\n\\r?\\n([A-Za-z0-9+/=\\r\\n]+)`).exec(eml);
  return part ? Buffer.from(part[1]!.replace(/\s/g, ''), 'base64').toString('utf8') : null;
}
