import { z } from 'zod';
import { text } from '#lib/shared/text';
import { SCREENING_KINDS } from '#db/schema/jobs';
import { MARKDOWN_LIMITS, markdownProblem } from '#lib/markdown';
import {
  CREDENTIAL_CODES,
  EMPLOYMENT_TYPES,
  PAY_PERIODS,
  POPULATIONS,
  PROGRAM_TYPES,
  ROLE_SLUGS,
  SCHEDULES,
  SETTINGS,
  STATE_CODES,
  TRACKS,
} from '#lib/domain/taxonomy';

/**
 * The posting schema, defined once: the form renders its limits, the action
 * parses the form with it (jobFormSchema), and the job service parses again
 * with it (jobInputSchema) before anything is written.
 */
export const LIMITS = {
  titleMin: 5,
  titleMax: 120,
  descriptionMin: 50,
  descriptionMax: MARKDOWN_LIMITS.maxChars,
  questionsMax: 10,
  optionsMax: 10,
  promptMax: 300,
  optionMax: 100,
  credentialsMax: 20,
} as const;

export const PAY_BOUNDS = {
  hour: { min: 10, max: 500 },
  year: { min: 15_000, max: 1_000_000 },
} as const;

export { SCREENING_KINDS };
export type ScreeningKind = (typeof SCREENING_KINDS)[number];
export const SCREENING_KIND_LABELS: Record<ScreeningKind, string> = {
  yes_no: 'Yes / no',
  single_choice: 'Single choice',
  short_text: 'Short text',
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
function isRealDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The last moment a posting is open: the end of its valid-through day (UTC). */
export function validThroughToDate(day: string): Date {
  return new Date(`${day}T23:59:59.999Z`);
}
export function dateToValidThrough(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export const questionSchema = z
  .object({
    id: z.uuid().optional(),
    kind: z.enum(SCREENING_KINDS, { error: 'Choose the kind of question.' }),
    prompt: text({ error: 'Write the question.' })
      .trim()
      .min(3, 'Write the question (at least 3 characters).')
      .max(LIMITS.promptMax, `Keep questions under ${LIMITS.promptMax} characters.`),
    options: z
      .array(text().trim().min(1).max(LIMITS.optionMax, `Keep options under ${LIMITS.optionMax} characters.`))
      .max(LIMITS.optionsMax, `At most ${LIMITS.optionsMax} options.`)
      .default([]),
    required: z.boolean().default(true),
    /** The answer that disqualifies; null for an informational question. */
    knockoutAnswer: text().trim().max(LIMITS.optionMax).nullable().default(null),
  })
  .superRefine((q, ctx) => {
    if (q.kind === 'yes_no') {
      if (q.knockoutAnswer !== null && q.knockoutAnswer !== 'yes' && q.knockoutAnswer !== 'no') {
        ctx.addIssue({
          code: 'custom',
          path: ['knockoutAnswer'],
          message: 'A yes/no knockout answer is “yes” or “no”.',
        });
      }
    } else if (q.kind === 'single_choice') {
      if (q.options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Give at least two options, one per line.' });
      if (new Set(q.options.map((o) => o.toLowerCase())).size !== q.options.length) {
        ctx.addIssue({ code: 'custom', path: ['options'], message: 'Each option must be different.' });
      }
      if (q.knockoutAnswer !== null && !q.options.includes(q.knockoutAnswer)) {
        ctx.addIssue({
          code: 'custom',
          path: ['knockoutAnswer'],
          message: 'The knockout answer must be one of the options.',
        });
      }
    } else if (q.knockoutAnswer !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['knockoutAnswer'],
        message: 'A short-text question cannot be a knockout.',
      });
    }
  })
  .transform((q) => ({ ...q, options: q.kind === 'single_choice' ? q.options : [] }));

export const jobInputSchema = z
  .object({
    title: text({ error: 'Give the job a title.' })
      .trim()
      .min(LIMITS.titleMin, `Use at least ${LIMITS.titleMin} characters for the title.`)
      .max(LIMITS.titleMax, `Keep the title under ${LIMITS.titleMax} characters.`),
    role: z.enum(ROLE_SLUGS, { error: 'Choose a role.' }),
    programType: z.enum(PROGRAM_TYPES, { error: 'Choose the program type.' }),
    setting: z.enum(SETTINGS, { error: 'Choose a work setting.' }),
    schedule: z.enum(SCHEDULES, { error: 'Choose a schedule.' }),
    track: z.enum(TRACKS, { error: 'Choose a track.' }),
    employmentType: z.enum(EMPLOYMENT_TYPES, { error: 'Choose an employment type.' }),
    payPeriod: z.enum(PAY_PERIODS, { error: 'Choose hourly or yearly pay.' }),
    payMin: z.coerce.number({ error: 'Enter the lowest pay as a whole number.' }).int('Enter whole dollars.').positive('Enter the lowest pay.'),
    payMax: z.coerce.number({ error: 'Enter the highest pay as a whole number.' }).int('Enter whole dollars.').positive('Enter the highest pay.'),
    city: text({ error: 'Enter the city.' }).trim().min(2, 'Enter the city.').max(80, 'Use at most 80 characters.'),
    state: z.enum(STATE_CODES, { error: 'Choose the state.' }),
    zip: text({ error: 'Enter the 5-digit ZIP code.' })
      .trim()
      .regex(/^\d{5}$/, 'Enter the 5-digit ZIP code.'),
    descriptionMd: text({ error: 'Describe the job.' })
      .trim()
      .min(LIMITS.descriptionMin, `Describe the job in at least ${LIMITS.descriptionMin} characters.`)
      .max(LIMITS.descriptionMax, `Keep the description under ${LIMITS.descriptionMax.toLocaleString('en-US')} characters.`)
      // A posting is saved only if it renders: the page, the feeds and the preview use the same bounded renderer.
      .superRefine((md, ctx) => {
        if (md.length > LIMITS.descriptionMax) return; // already said above
        const problem = markdownProblem(md);
        if (problem) ctx.addIssue({ code: 'custom', message: problem.message });
      }),
    populations: z.array(z.enum(POPULATIONS)).max(POPULATIONS.length).default([]),
    supervisionOffered: z.boolean().default(false),
    openings: z.coerce
      .number({ error: 'Enter how many people this posting hires.' })
      .int('Enter a whole number of openings.')
      .min(1, 'A posting has at least 1 opening.')
      .max(500, 'Enter at most 500 openings.')
      .default(1),
    credentials: z
      .array(z.enum(CREDENTIAL_CODES as [string, ...string[]], { error: 'Unknown credential.' }))
      .min(1, 'Choose at least one accepted credential.')
      .max(LIMITS.credentialsMax),
    validThrough: text({ error: 'Choose the last day the posting is open.' }).refine(isRealDate, 'Choose the last day the posting is open.'),
    questions: z.array(questionSchema).max(LIMITS.questionsMax, `At most ${LIMITS.questionsMax} screening questions.`).default([]),
  })
  .superRefine((j, ctx) => {
    const b = PAY_BOUNDS[j.payPeriod];
    const unit = j.payPeriod === 'hour' ? 'an hour' : 'a year';
    if (j.payMin < b.min || j.payMin > b.max) {
      ctx.addIssue({
        code: 'custom',
        path: ['payMin'],
        message: `Pay ${unit} should be between $${b.min.toLocaleString('en-US')} and $${b.max.toLocaleString('en-US')}.`,
      });
    }
    if (j.payMax < j.payMin) ctx.addIssue({ code: 'custom', path: ['payMax'], message: 'The highest pay cannot be below the lowest.' });
    else if (j.payMax > b.max)
      ctx.addIssue({
        code: 'custom',
        path: ['payMax'],
        message: `Pay ${unit} should be at most $${b.max.toLocaleString('en-US')}.`,
      });
  })
  .transform((j) => ({
    ...j,
    credentials: [...new Set(j.credentials)].sort(),
    populations: [...new Set(j.populations)],
  }));

export type JobInput = z.input<typeof jobInputSchema>;
export type JobValues = z.output<typeof jobInputSchema>;

const str = (fd: FormData, k: string): string | undefined => {
  const v = fd.get(k);
  return typeof v === 'string' ? v : undefined;
};
const strs = (fd: FormData, k: string): string[] => fd.getAll(k).filter((v): v is string => typeof v === 'string' && v !== '');

/**
 * A posting form's fields as the object jobInputSchema takes. Questions arrive
 * as `questions.<n>.<field>`; slots left blank (no prompt) are dropped, so the
 * form can always offer empty ones.
 */
export function formDataToJobInput(fd: FormData): Record<string, unknown> {
  const questions: Record<string, unknown>[] = [];
  const slots = new Set<number>();
  for (const key of fd.keys()) {
    const m = /^questions\.(\d{1,2})\./.exec(key);
    if (m) slots.add(Number(m[1]));
  }
  for (const n of [...slots].sort((a, b) => a - b)) {
    const p = `questions.${n}.`;
    const prompt = str(fd, `${p}prompt`)?.trim();
    if (!prompt) continue;
    const knockout = str(fd, `${p}knockoutAnswer`)?.trim();
    questions.push({
      id: str(fd, `${p}id`) || undefined,
      kind: str(fd, `${p}kind`),
      prompt,
      options: (str(fd, `${p}options`) ?? '')
        .split(/\r?\n/)
        .map((o) => o.trim())
        .filter(Boolean),
      required: fd.has(`${p}required`),
      knockoutAnswer: knockout ? knockout : null,
    });
  }
  return {
    title: str(fd, 'title'),
    role: str(fd, 'role'),
    programType: str(fd, 'programType'),
    setting: str(fd, 'setting'),
    schedule: str(fd, 'schedule'),
    track: str(fd, 'track'),
    employmentType: str(fd, 'employmentType'),
    payPeriod: str(fd, 'payPeriod'),
    payMin: str(fd, 'payMin')?.replace(/[$,\s]/g, '') || undefined,
    payMax: str(fd, 'payMax')?.replace(/[$,\s]/g, '') || undefined,
    city: str(fd, 'city'),
    state: str(fd, 'state'),
    zip: str(fd, 'zip'),
    descriptionMd: str(fd, 'descriptionMd'),
    populations: strs(fd, 'populations'),
    supervisionOffered: fd.has('supervisionOffered'),
    openings: str(fd, 'openings')?.trim() || undefined,
    credentials: strs(fd, 'credentials'),
    validThrough: str(fd, 'validThrough'),
    questions,
  };
}

/** Which buttons the form's submit carries: save as draft, or save and publish. */
export const JOB_FORM_INTENTS = ['save', 'publish'] as const;

/**
 * The form's schema for the action: FormData in, the posting (plus the org it
 * belongs to, the job being edited with the version the editor started from, and
 * the intent) out — through jobInputSchema.
 */
const jobFormValuesSchema = z.intersection(
  jobInputSchema,
  z
    .object({
      org: text({ error: 'Missing organization.' }).min(1).max(200),
      jobId: z.uuid().optional(),
      version: z.coerce.number({ error: 'Reload the page and try again.' }).int().positive('Reload the page and try again.').optional(),
      intent: z.enum(JOB_FORM_INTENTS).default('save'),
    })
    // On this part, not the whole, so it is checked even when posting fields are wrong too.
    .superRefine((v, ctx) => {
      // An edit must say which version it started from, or it could overwrite someone else's.
      if (v.jobId && v.version === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: 'This form is missing the posting’s version. Reload the page and try again.',
        });
    }),
);

export const jobFormSchema = z
  .instanceof(FormData)
  // Untyped until the pipe checks it: the cast only tells TypeScript what the pipe will verify.
  .transform(
    (fd) =>
      ({
        ...formDataToJobInput(fd),
        org: str(fd, 'org'),
        jobId: str(fd, 'jobId') || undefined,
        version: str(fd, 'version') || undefined,
        intent: str(fd, 'intent') ?? 'save',
      }) as z.input<typeof jobFormValuesSchema>,
  )
  .pipe(jobFormValuesSchema);

/** Markdown preview input (the live preview on the posting form). */
export const previewSchema = z.object({ markdown: text().max(LIMITS.descriptionMax) });

export const jobRefSchema = z.object({ org: text().min(1).max(200), jobId: z.uuid('Unknown job.') });
export const renewSchema = jobRefSchema.extend({
  validThrough: text().refine(isRealDate, 'Choose the new last day the posting is open.').optional(),
});
