import { z } from 'zod';
import { text } from '#lib/shared/text';
import { CREDENTIAL_CODES, POPULATIONS, ROLE_SLUGS, SCHEDULES, SETTINGS, STATE_CODES, credentialByCode } from '#lib/domain/taxonomy';
import { checkedFields, choices, fromForm, isRealDate, optionalText, str, strFields, uuid } from '#lib/shared/forms';
import { MODALITIES } from './options';

/** The candidate profile and license schemas, defined once: forms, actions and the profile service use these. */
export const PROFILE_LIMITS = { nameMax: 100, headlineMax: 160, cityMax: 80, yearsMax: 60 } as const;

const stateOrNull = text()
  .trim()
  .toUpperCase()
  .nullish()
  .transform((v) => v || null)
  .refine((v) => v === null || (STATE_CODES as readonly string[]).includes(v), 'Choose a state from the list.');

export const profileSchema = z.object({
  name: text({ error: 'Enter your name.' }).trim().min(1, 'Enter your name.').max(PROFILE_LIMITS.nameMax, `Use at most ${PROFILE_LIMITS.nameMax} characters.`),
  phone: optionalText(25, 'Enter a phone number of at most 25 characters.').refine(
    (v) => v === null || /^[0-9+().\-\s]{7,25}$/.test(v),
    'Enter a phone number with digits, spaces, dashes or parentheses (e.g. 215-555-0134).',
  ),
  city: optionalText(PROFILE_LIMITS.cityMax, `Use at most ${PROFILE_LIMITS.cityMax} characters for the city.`),
  state: stateOrNull,
  zip: optionalText(5, 'Enter the 5-digit ZIP code.').refine((v) => v === null || /^\d{5}$/.test(v), 'Enter the 5-digit ZIP code.'),
  headline: optionalText(PROFILE_LIMITS.headlineMax, `Keep the headline under ${PROFILE_LIMITS.headlineMax} characters.`),
  yearsExperience: z
    .union([z.literal(''), z.coerce.number({ error: 'Enter whole years.' })])
    .nullish()
    .transform((v) => (v === '' || v === undefined || v === null ? null : v))
    .refine(
      (v) => v === null || (Number.isInteger(v) && v >= 0 && v <= PROFILE_LIMITS.yearsMax),
      `Enter whole years between 0 and ${PROFILE_LIMITS.yearsMax}.`,
    ),
  modalities: choices(MODALITIES, 'Choose modalities from the list.').default([]),
  populations: choices(POPULATIONS, 'Choose populations from the list.').default([]),
  desiredRoles: choices(ROLE_SLUGS, 'Choose roles from the list.').default([]),
  desiredSettings: choices(SETTINGS, 'Choose work settings from the list.').default([]),
  desiredSchedules: choices(SCHEDULES, 'Choose schedules from the list.').default([]),
});
export type ProfileInput = z.input<typeof profileSchema>;

export const profileFormSchema = fromForm(profileSchema, (fd) => ({
  ...strFields(fd, ['name', 'phone', 'city', 'state', 'zip', 'headline', 'yearsExperience']),
  ...checkedFields(fd, ['modalities', 'populations', 'desiredRoles', 'desiredSettings', 'desiredSchedules']),
}));

const EXPIRY_MIN = '1990-01-01';
const EXPIRY_MAX = '2100-12-31';

const licenseObject = z.object({
  credentialCode: z.enum(CREDENTIAL_CODES as [string, ...string[]], { error: 'Choose the credential.' }),
  state: stateOrNull,
  number: text({ error: 'Enter the license or certificate number.' })
    .trim()
    .min(2, 'Enter the license or certificate number.')
    .max(40, 'Use at most 40 characters for the number.')
    .regex(/^[A-Za-z0-9][A-Za-z0-9 .\-/#]*$/, 'Use letters, digits, spaces and . - / # only.'),
  expiresOn: text()
    .trim()
    .nullish()
    .transform((v) => v || null)
    .refine((v) => v === null || (isRealDate(v) && v >= EXPIRY_MIN && v <= EXPIRY_MAX), 'Enter the expiration date as a real date (YYYY-MM-DD).'),
  compact: z.boolean().default(false),
});

function checkLicense(l: z.output<typeof licenseObject>, ctx: z.RefinementCtx) {
  const def = credentialByCode(l.credentialCode);
  if (!def) return;
  if (def.scope === 'state' && !l.state) {
    ctx.addIssue({
      code: 'custom',
      path: ['state'],
      message: `${def.code} is issued by a state: choose the state that issued it.`,
    });
  }
  if (l.compact && !def.compact) {
    ctx.addIssue({
      code: 'custom',
      path: ['compact'],
      message: `${def.code} has no interstate compact: leave “Multistate” unchecked.`,
    });
  }
}

/** National certifications carry no state: store none, so one is not listed twice. */
function normalizeLicense<T extends z.output<typeof licenseObject>>(l: T): T {
  return credentialByCode(l.credentialCode)?.scope === 'national' ? { ...l, state: null } : l;
}

export const licenseSchema = licenseObject.superRefine(checkLicense).transform(normalizeLicense);
export const licenseUpdateSchema = licenseObject
  .extend({ licenseId: uuid('Unknown license.') })
  .superRefine(checkLicense)
  .transform(normalizeLicense);
export type LicenseInput = z.input<typeof licenseSchema>;

function licenseFields(fd: FormData) {
  return {
    ...strFields(fd, ['credentialCode', 'state', 'number', 'expiresOn']),
    compact: fd.get('compact') === 'on' || fd.get('compact') === 'true',
  };
}

export const licenseFormSchema = fromForm(licenseSchema, licenseFields);

export const licenseUpdateFormSchema = fromForm(licenseUpdateSchema, (fd) => ({
  ...licenseFields(fd),
  licenseId: str(fd, 'licenseId'),
}));

export const licenseRefSchema = z.object({ licenseId: uuid('Unknown license.') });
