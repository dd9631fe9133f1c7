import { z } from 'zod';
import { INTERVIEW_KINDS, INTERVIEW_PLACES } from '#db/schema';
import { US_TIME_ZONES } from '#lib/domain/time-zones';
import { fromForm, isHttpUrl, optionalText, strFields, strs, uuid } from '#lib/shared/forms';
import { text } from '#lib/shared/text';

/**
 * The interview forms' schemas, defined once: the actions parse FormData with the *FormSchema
 * variants, the services parse the plain objects again. Slot times stay strings here
 * ("2027-03-15T10:00"): only the service knows the zone they are in.
 */
export const MAX_SLOTS = 5;
export const MAX_INTERVIEWERS = 8;

const version = z.coerce.number({ error: 'Reload the page and try again.' }).int().positive();

const slotsField = z
  .array(text().trim())
  .transform((a) => a.filter(Boolean))
  .pipe(z.array(text()).min(1, 'Propose at least one time.').max(MAX_SLOTS, `Propose at most ${MAX_SLOTS} times.`));

export const proposeSchema = z
  .object({
    applicationId: uuid('Unknown application.'),
    kind: z.enum(INTERVIEW_KINDS, { error: 'Choose the kind of interview.' }),
    customKind: optionalText(80, 'Keep the name under 80 characters.'),
    durationMinutes: z.coerce
      .number({ error: 'Choose how long it lasts.' })
      .int('Choose how long it lasts.')
      .min(5, 'An interview lasts at least 5 minutes.')
      .max(480, 'An interview lasts at most 8 hours.'),
    place: z.enum(INTERVIEW_PLACES, { error: 'Choose where it happens.' }),
    placeDetail: text({ error: 'Say where it happens.' })
      .trim()
      .min(1, 'Give the address, phone number or video link.')
      .max(300, 'Keep this under 300 characters.'),
    timeZone: z.enum(Object.keys(US_TIME_ZONES) as [string, ...string[]], { error: 'Choose a time zone.' }),
    interviewerIds: z
      .array(uuid('Unknown interviewer.'))
      .min(1, 'Choose at least one interviewer.')
      .max(MAX_INTERVIEWERS, `Choose at most ${MAX_INTERVIEWERS} interviewers.`),
    slots: slotsField,
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'custom' && !v.customKind) ctx.addIssue({ code: 'custom', path: ['customKind'], message: 'Name this kind of interview.' });
    if (v.place === 'video' && !isHttpUrl(v.placeDetail))
      ctx.addIssue({ code: 'custom', path: ['placeDetail'], message: 'Paste the full video link, starting with https://' });
    if (v.place === 'phone' && (v.placeDetail.match(/\d/g) ?? []).length < 7)
      ctx.addIssue({ code: 'custom', path: ['placeDetail'], message: 'Give a phone number with its area code.' });
  });
export type ProposeInput = z.input<typeof proposeSchema>;

export const proposeFormSchema = fromForm(proposeSchema, (fd) => ({
  ...strFields(fd, ['applicationId', 'kind', 'customKind', 'durationMinutes', 'place', 'placeDetail', 'timeZone']),
  interviewerIds: strs(fd, 'interviewerIds'),
  slots: strs(fd, 'slots'),
}));

export const rescheduleSchema = z.object({
  interviewId: uuid('Unknown interview.'),
  version,
  slots: slotsField,
});
export type RescheduleInput = z.input<typeof rescheduleSchema>;

export const rescheduleFormSchema = fromForm(rescheduleSchema, (fd) => ({ ...strFields(fd, ['interviewId', 'version']), slots: strs(fd, 'slots') }));

export const cancelSchema = z.object({ interviewId: uuid('Unknown interview.'), version });
export type CancelInput = z.input<typeof cancelSchema>;

export const outcomeSchema = z.object({
  interviewId: uuid('Unknown interview.'),
  version,
  outcome: z.enum(['completed', 'no_show'], { error: 'Choose what happened.' }),
});
export type OutcomeInput = z.input<typeof outcomeSchema>;

/** The scheduling link's token: base32, 32 characters (anything else is simply unknown). */
const token = text().trim().max(100);

export const pickSchema = z.object({
  token,
  slotId: uuid('Choose one of the times.'),
  version,
});
export type PickInput = z.input<typeof pickSchema>;

export const otherTimesSchema = z.object({
  token,
  note: text({ error: 'Say which days and times suit you.' })
    .trim()
    .min(3, 'Say which days and times suit you.')
    .max(1000, 'Keep the note under 1,000 characters.'),
});
export type OtherTimesInput = z.input<typeof otherTimesSchema>;
