import { zoneLabel } from '#lib/domain/time-zones';
import type { MailAttachment } from '#db/schema';
import type { MailMessage } from '#lib/mail';
import { absolute, paths } from '#lib/paths';
import type { InterviewContext, Person } from './context';
import { invitationAttachment } from './ics';
import { interviewName, whereLine } from './labels';
import { formatInZone, formatRange } from './times';

/**
 * The interview emails, as plain text (the invitations ride along as .ics attachments).
 * Times are written in the job's zone and say which zone.
 */
const where = (c: InterviewContext) => whereLine(c.interview);

function whenLine(c: InterviewContext): string {
  const i = c.interview;
  return i.startsAt && i.endsAt ? `${formatRange(i.startsAt, i.endsAt, i.timeZone)} (${zoneLabel(i.timeZone)})` : '';
}

/** The candidate's link to pick a time (first proposal or new times). */
export function chooseTimeEmail(c: InterviewContext, slots: { startsAt: Date }[], link: string, expiresAt: Date, again: boolean): MailMessage {
  const name = interviewName(c.interview);
  const z = c.interview.timeZone;
  return {
    to: c.candidate.email,
    subject: `${again ? 'New times' : 'Choose a time'} for your ${name.toLowerCase()} with ${c.orgName}`,
    text: [
      `Hi ${c.candidate.name},`,
      '',
      `${c.orgName} would like to ${again ? 'find a new time for' : 'set up'} a ${name.toLowerCase()} (${c.interview.durationMinutes} minutes) for ${c.job.title}. The times they offer, in ${zoneLabel(z)}:`,
      '',
      ...slots.map((s) => `• ${formatInZone(s.startsAt, z)}`),
      '',
      `Pick one, or ask for other times, here (no sign-in needed):`,
      link,
      '',
      `The link is yours alone and works until ${formatInZone(expiresAt, z)} or until you pick a time.`,
      `Where: ${where(c)}`,
    ].join('\n'),
  };
}

export interface InviteOpts {
  siteUrl: string;
  method: 'REQUEST' | 'CANCEL';
  sequence: number;
  stamp: Date;
}

/** The same calendar invitation for everyone on it. */
export function invitation(c: InterviewContext, o: InviteOpts): MailAttachment {
  const i = c.interview;
  if (!i.startsAt || !i.endsAt) throw new Error('an invitation needs a time');
  const name = interviewName(i);
  return invitationAttachment({
    method: o.method,
    interviewId: i.id,
    siteUrl: o.siteUrl,
    sequence: o.sequence,
    start: i.startsAt,
    end: i.endsAt,
    zone: i.timeZone,
    summary: `${name}: ${c.candidate.name} — ${c.job.title} (${c.orgName})`,
    description: `${name} for ${c.job.title} at ${c.orgName}, ${c.job.city}, ${c.job.state}.\n${where(c)}`,
    location: c.interview.placeDetail,
    organizer: { name: c.organizer.name, email: c.organizer.email },
    attendees: [c.candidate, ...c.interviewers].map((p) => ({ name: p.name, email: p.email })),
    stamp: o.stamp,
  });
}

/** Everyone on the invitation: the candidate, the interviewers and the organizer, once each. */
export function everyone(c: InterviewContext): Person[] {
  const seen = new Map<string, Person>();
  for (const p of [c.candidate, c.organizer, ...c.interviewers]) seen.set(p.email, p);
  return [...seen.values()];
}

/** The time is set: the candidate's confirmation and the team's notice, each with the invitation. */
export function scheduledEmail(c: InterviewContext, to: Person, ics: MailAttachment, siteUrl: string, rescheduled: boolean): MailMessage {
  const name = interviewName(c.interview);
  const isCandidate = to.id === c.candidate.id;
  const head = isCandidate
    ? `Your ${name.toLowerCase()} with ${c.orgName} for ${c.job.title} is ${rescheduled ? 'moved to' : 'set for'}:`
    : `${c.candidate.name} picked a time for the ${name.toLowerCase()} (${c.job.title}):`;
  return {
    to: to.email,
    subject: isCandidate
      ? `${rescheduled ? 'Updated' : 'Confirmed'}: ${name} with ${c.orgName}, ${formatInZone(c.interview.startsAt!, c.interview.timeZone)}`
      : `${c.candidate.name} picked ${formatInZone(c.interview.startsAt!, c.interview.timeZone)} for the ${name.toLowerCase()}`,
    text: [
      `Hi ${to.name},`,
      '',
      head,
      whenLine(c),
      `Where: ${where(c)}`,
      `With: ${[c.candidate, ...c.interviewers].map((p) => p.name).join(', ')}`,
      '',
      'The calendar invitation is attached.',
      ...(isCandidate ? [] : ['', `The application: ${absolute(siteUrl, paths.application(c.interview.applicationId))}`]),
    ].join('\n'),
    attachments: [ics],
  };
}

export function cancelledEmail(c: InterviewContext, to: Person, ics: MailAttachment | null): MailMessage {
  const name = interviewName(c.interview);
  const when = whenLine(c);
  return {
    to: to.email,
    subject: `Cancelled: ${name} with ${to.id === c.candidate.id ? c.orgName : c.candidate.name} (${c.job.title})`,
    text: [`Hi ${to.name},`, '', `The ${name.toLowerCase()} for ${c.job.title} at ${c.orgName}${when ? `, ${when},` : ''} is cancelled.`].join('\n'),
    attachments: ics ? [ics] : undefined,
  };
}

export function otherTimesEmail(c: InterviewContext, to: Person, note: string, siteUrl: string): MailMessage {
  const name = interviewName(c.interview);
  return {
    to: to.email,
    subject: `${c.candidate.name} asked for other times for the ${name.toLowerCase()}`,
    text: [
      `Hi ${to.name},`,
      '',
      `${c.candidate.name} (${c.job.title}) cannot make the times offered for the ${name.toLowerCase()} and wrote:`,
      '',
      note,
      '',
      `Propose new times on the application: ${absolute(siteUrl, paths.application(c.interview.applicationId))}`,
    ].join('\n'),
  };
}

export function reminderEmail(c: InterviewContext, to: Person): MailMessage {
  const name = interviewName(c.interview);
  return {
    to: to.email,
    subject: `Reminder: ${name} ${formatInZone(c.interview.startsAt!, c.interview.timeZone)}`,
    text: [
      `Hi ${to.name},`,
      '',
      `A reminder of the ${name.toLowerCase()} for ${c.job.title} at ${c.orgName}:`,
      whenLine(c),
      `Where: ${where(c)}`,
      `With: ${[c.candidate, ...c.interviewers].map((p) => p.name).join(', ')}`,
    ].join('\n'),
  };
}
