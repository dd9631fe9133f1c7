import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { MailAttachment } from '#db/schema';
import { inZone } from './times';

/**
 * The calendar invitation of an interview, made by ical-generator. One VEVENT whose UID never
 * changes for the interview; DTSTART/DTEND are written in the job's zone with TZID, and the
 * VTIMEZONE (daylight and standard rules, from @touch4it/ical-timezones) travels with it, so a
 * calendar anywhere places 10 AM Eastern right on either side of a DST change. A later
 * invitation for the same UID carries a higher SEQUENCE and replaces the earlier one; METHOD:CANCEL
 * with the same UID removes it.
 */
export interface InvitationInput {
  method: 'REQUEST' | 'CANCEL';
  interviewId: string;
  /** The public site's origin: the UID's domain part. */
  siteUrl: string;
  sequence: number;
  start: Date;
  end: Date;
  zone: string;
  summary: string;
  description: string;
  location: string;
  url?: string;
  organizer: { name: string; email: string };
  attendees: { name: string; email: string }[];
  /** DTSTAMP: when this version of the invitation was made. */
  stamp: Date;
}

/** The UID: stable per interview, unique world-wide through the site's host name. */
export function interviewUid(interviewId: string, siteUrl: string): string {
  return `interview-${interviewId}@${new URL(siteUrl).hostname}`;
}

export function invitationIcs(i: InvitationInput): string {
  const cal = ical({
    prodId: { company: 'PHP-IOP Jobs', product: 'Interviews', language: 'EN' },
    method: i.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    // No calendar-wide zone (it would write DTSTAMP as local time); the generator still adds the VTIMEZONE of the event's TZID.
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  cal.createEvent({
    id: interviewUid(i.interviewId, i.siteUrl),
    sequence: i.sequence,
    stamp: i.stamp,
    start: inZone(i.start, i.zone),
    end: inZone(i.end, i.zone),
    timezone: i.zone,
    summary: i.summary,
    description: i.description,
    location: i.location,
    url: i.url ?? null,
    status: i.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: i.organizer,
    attendees: i.attendees.map((a) => ({
      name: a.name,
      email: a.email,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: i.method === 'REQUEST',
    })),
  });
  return cal.toString();
}

/** The invitation as an email attachment: `text/calendar; method=…`, as calendar clients expect. */
export function invitationAttachment(i: InvitationInput): MailAttachment {
  return {
    filename: i.method === 'CANCEL' ? 'cancelled.ics' : 'invite.ics',
    contentType: `text/calendar; charset=utf-8; method=${i.method}`,
    content: invitationIcs(i),
  };
}
