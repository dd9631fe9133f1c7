import { z } from 'zod';
import { text } from '#lib/shared/text';
import { fromForm, optionalText, str, strs, uuid, file, isHttpUrl } from '#lib/shared/forms';
import { TEAM_TARGET_STAGES } from './stages';
import { NOTIFY_STAGES, TEMPLATE_LIMITS } from './templates';
import { APPLICATION_SOURCES } from '#lib/domain/sources';

/**
 * Input schemas for applying and for the hiring team's actions, defined once:
 * forms are parsed with the *FormSchema variants (FormData in), services parse
 * the plain objects again before writing.
 */
export const APPLY_LIMITS = { coverNoteMax: 5000, answerMax: 1000 } as const;

/** Voluntary self-identification (US EEO-1 categories). Stored apart from the application, with no candidate id. */
export const EEO_QUESTIONS = {
  gender: {
    label: 'Gender',
    options: { female: 'Female', male: 'Male', nonbinary: 'Nonbinary', decline: 'I decline to answer' },
  },
  ethnicity: {
    label: 'Race / ethnicity',
    options: {
      hispanic_latino: 'Hispanic or Latino',
      american_indian_alaska_native: 'American Indian or Alaska Native',
      asian: 'Asian',
      black_african_american: 'Black or African American',
      native_hawaiian_pacific_islander: 'Native Hawaiian or Other Pacific Islander',
      white: 'White',
      two_or_more: 'Two or more races',
      decline: 'I decline to answer',
    },
  },
  veteran: {
    label: 'Veteran status',
    options: {
      protected_veteran: 'I am a protected veteran',
      not_protected_veteran: 'I am not a protected veteran',
      decline: 'I decline to answer',
    },
  },
  disability: {
    label: 'Disability',
    options: {
      yes: 'Yes, I have a disability (or had one in the past)',
      no: 'No, I do not have a disability',
      decline: 'I decline to answer',
    },
  },
} as const;
export type EeoField = keyof typeof EEO_QUESTIONS;
export const EEO_FIELDS = Object.keys(EEO_QUESTIONS) as EeoField[];

const eeoChoice = <F extends EeoField>(f: F) =>
  z
    .enum(Object.keys(EEO_QUESTIONS[f].options) as [string, ...string[]], {
      error: `Choose an answer for ${EEO_QUESTIONS[f].label.toLowerCase()}, or “I decline to answer”.`,
    })
    .default('decline');

export const eeoSchema = z.object({
  gender: eeoChoice('gender'),
  ethnicity: eeoChoice('ethnicity'),
  veteran: eeoChoice('veteran'),
  disability: eeoChoice('disability'),
});
export type EeoAnswers = z.output<typeof eeoSchema>;

export const applySchema = z.object({
  jobId: uuid('This job no longer exists.'),
  /** An already stored resume of the candidate… */
  resumeId: uuid('Choose one of your resumes.')
    .nullish()
    .transform((v) => v ?? null),
  /** …or a new file (checked by the resume service). */
  resumeFile: z
    .instanceof(File)
    .nullish()
    .transform((v) => v ?? null),
  /** questionId → answer; checked against the job's questions by the service. */
  answers: z.record(text(), text().trim().max(APPLY_LIMITS.answerMax, `Keep answers under ${APPLY_LIMITS.answerMax} characters.`)).default({}),
  coverNote: optionalText(APPLY_LIMITS.coverNoteMax, `Keep the cover note under ${APPLY_LIMITS.coverNoteMax.toLocaleString('en-US')} characters.`),
  eeo: eeoSchema.default({ gender: 'decline', ethnicity: 'decline', veteran: 'decline', disability: 'decline' }),
  /** Where the candidate came from (set by the site on its own links, carried by the form); anything else is direct. */
  source: z.enum(APPLICATION_SOURCES).catch('direct').default('direct'),
});
export type ApplyInput = z.input<typeof applySchema>;

export const applyFormSchema = fromForm(applySchema, (fd) => {
  const answers: Record<string, string> = {};
  for (const [k, v] of fd.entries()) {
    const m = /^answer\.([0-9a-f-]{36})$/i.exec(k);
    if (m && typeof v === 'string') answers[m[1]!.toLowerCase()] = v;
  }
  const choice = str(fd, 'resumeChoice');
  const upload = file(fd, 'resumeFile');
  return {
    jobId: str(fd, 'jobId'),
    // A chosen file wins: picking one means "use this", whichever radio button is on.
    resumeId: !upload && choice && choice !== 'upload' ? choice : null,
    resumeFile: upload ?? null,
    answers,
    coverNote: str(fd, 'coverNote'),
    eeo: Object.fromEntries(EEO_FIELDS.map((f) => [f, str(fd, `eeo.${f}`) || 'decline'])),
    source: str(fd, 'source') || 'direct',
  };
});

export const WITHDRAW_CONFIRM_MESSAGE = 'Tick “Yes, withdraw my application” to confirm.';
export const withdrawSchema = z.object({
  applicationId: uuid('Unknown application.'),
  version: z.coerce.number({ error: 'Reload the page and try again.' }).int().positive(),
  /** The page's "Yes, withdraw" checkbox ("on" from a form, true from code): withdrawing cannot be undone. */
  confirm: z.union([z.literal('on'), z.literal(true)], { error: WITHDRAW_CONFIRM_MESSAGE }),
});

const stageTarget = z.enum(TEAM_TARGET_STAGES, { error: 'Choose the stage to move to.' });
const reasonText = optionalText(500, 'Keep the reason under 500 characters.');
/** One of the organization's rejection reasons (blank when not rejecting). */
const reasonRef = z
  .union([z.uuid({ error: 'Choose one of the listed reasons.' }), z.literal('')])
  .nullish()
  .transform((v) => v || null);

export const moveSchema = z.object({
  applicationId: uuid('Unknown application.'),
  version: z.coerce.number({ error: 'Reload the page and try again.' }).int().positive(),
  toStage: stageTarget,
  reason: reasonText,
  reasonId: reasonRef,
});
export type MoveInput = z.input<typeof moveSchema>;

/** Board and table bulk moves: each selected checkbox carries "<applicationId>:<version>". */
export const bulkMoveSchema = z.object({
  jobId: uuid('Unknown job.'),
  items: z
    .array(z.object({ applicationId: uuid('Unknown application.'), version: z.number().int().positive() }))
    .min(1, 'Select at least one applicant to move.')
    .max(500, 'Move at most 500 applicants at once.'),
  toStage: stageTarget,
  reason: reasonText,
  reasonId: reasonRef,
});
export type BulkMoveInput = z.input<typeof bulkMoveSchema>;

export const bulkMoveFormSchema = fromForm(bulkMoveSchema, (fd) => ({
  jobId: str(fd, 'jobId'),
  items: strs(fd, 'selected').map((s) => {
    const [applicationId, version] = s.split(':');
    return { applicationId, version: Number(version) };
  }),
  toStage: str(fd, 'toStage'),
  reason: str(fd, 'reason'),
  reasonId: str(fd, 'reasonId'),
}));

export const noteSchema = z.object({
  applicationId: uuid('Unknown application.'),
  body: text({ error: 'Write the note.' }).trim().min(1, 'Write the note.').max(5000, 'Keep notes under 5,000 characters.'),
});

export const ratingSchema = z.object({
  applicationId: uuid('Unknown application.'),
  rating: z.coerce.number({ error: 'Choose 1 to 5 stars.' }).int('Choose 1 to 5 stars.').min(1, 'Choose 1 to 5 stars.').max(5, 'Choose 1 to 5 stars.'),
});

export const lookupUrlSchema = text({ error: 'Paste the state board’s lookup page address.' })
  .trim()
  .min(1, 'Paste the state board’s lookup page address.')
  .max(500, 'Use an address under 500 characters.')
  .refine(isHttpUrl, 'Paste the full address of the board’s lookup page, starting with https://');

export const verifySchema = z.object({
  applicationId: uuid('Unknown application.'),
  licenseId: uuid('Unknown license.'),
  lookupUrl: lookupUrlSchema,
});
export const unverifySchema = z.object({
  applicationId: uuid('Unknown application.'),
  licenseId: uuid('Unknown license.'),
});

export const templateSchema = z.object({
  org: text().min(1).max(200),
  stage: z.enum(NOTIFY_STAGES, { error: 'Unknown email.' }),
  subject: text({ error: 'Write a subject.' })
    .trim()
    .min(3, 'Write a subject.')
    .max(TEMPLATE_LIMITS.subjectMax, `Keep the subject under ${TEMPLATE_LIMITS.subjectMax} characters.`),
  body: text({ error: 'Write the message.' })
    .trim()
    .min(10, 'Write the message.')
    .max(TEMPLATE_LIMITS.bodyMax, `Keep the message under ${TEMPLATE_LIMITS.bodyMax.toLocaleString('en-US')} characters.`),
});
export const templateResetSchema = z.object({
  org: text().min(1).max(200),
  stage: z.enum(NOTIFY_STAGES, { error: 'Unknown email.' }),
});
