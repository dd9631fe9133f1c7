import { z } from 'zod';
import { fromForm, isRealDate, optionalText, strFields, uuid } from '#lib/shared/forms';
import { text } from '#lib/shared/text';
import { parseDollars } from './pay';

export const OFFER_LIMITS = { scheduleMax: 200, noteMax: 2000 } as const;

export const offerSchema = z.object({
  applicationId: uuid('Unknown application.'),
  pay: text({ error: 'Enter the pay.' })
    .trim()
    .transform((v, ctx) => {
      const cents = parseDollars(v);
      if (cents === null) {
        ctx.addIssue({ code: 'custom', message: 'Enter the pay as an amount in dollars, like 38.50 or 72,000.' });
        return z.NEVER;
      }
      return cents;
    }),
  payPeriod: z.enum(['hour', 'year'], { error: 'Choose hourly or yearly pay.' }),
  startDate: text({ error: 'Choose the start date.' })
    .refine(isRealDate, 'Choose the start date.')
    // A day of slack for time zones west of UTC, where "today" is still yesterday in UTC.
    .refine((d) => d >= new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), 'Choose a start date from today on.'),
  schedule: text({ error: 'Describe the schedule.' })
    .trim()
    .min(2, 'Describe the schedule (for example “Mon–Fri 8:30–3:00, PHP day track”).')
    .max(OFFER_LIMITS.scheduleMax, `Keep the schedule under ${OFFER_LIMITS.scheduleMax} characters.`),
  note: optionalText(OFFER_LIMITS.noteMax, `Keep the note under ${OFFER_LIMITS.noteMax.toLocaleString('en-US')} characters.`),
});
export type OfferInput = z.input<typeof offerSchema>;

export const offerFormSchema = fromForm(offerSchema, (fd) => strFields(fd, ['applicationId', 'pay', 'payPeriod', 'startDate', 'schedule', 'note']));

export const offerRefSchema = z.object({ offerId: uuid('Unknown offer.') });

export const respondSchema = z.object({
  offerId: uuid('Unknown offer.'),
  decision: z.enum(['accept', 'decline'], { error: 'Choose to accept or decline the offer.' }),
  /** The signed link's token, when answering from the email signed out. */
  token: text().max(300).optional(),
});
export type RespondInput = z.input<typeof respondSchema>;
