import { z } from 'zod';
import { fromForm, str, uuid } from '#lib/shared/forms';
import { text } from '#lib/shared/text';
import { RATING_CHOICES, SCORECARD_RATINGS } from './scale';

/**
 * Inputs for editing a job's interview kit and for submitting a scorecard, defined once:
 * actions parse forms with them and the services parse again before writing.
 */
export const KIT_LIMITS = { competencies: 12, nameMin: 3, nameMax: 80, descriptionMax: 300, questions: 15, questionMax: 300 } as const;
export const SCORECARD_LIMITS = { notesMax: 5000 } as const;

const name = text()
  .trim()
  .min(KIT_LIMITS.nameMin, `Name the competency in ${KIT_LIMITS.nameMin} to ${KIT_LIMITS.nameMax} characters.`)
  .max(KIT_LIMITS.nameMax, `Name the competency in ${KIT_LIMITS.nameMin} to ${KIT_LIMITS.nameMax} characters.`);
const description = text()
  .trim()
  .max(KIT_LIMITS.descriptionMax, `Keep what interviewers look for under ${KIT_LIMITS.descriptionMax} characters.`)
  .nullish()
  .transform((v) => v ?? '');
/** Suggested questions: a textarea with one question per line (blank lines dropped), or a list. */
const questions = z
  .union([z.array(text()), text()])
  .nullish()
  .transform((v) => (Array.isArray(v) ? v : (v ?? '').split(/\r?\n/)).map((q) => q.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.string().max(KIT_LIMITS.questionMax, `Keep each question under ${KIT_LIMITS.questionMax} characters.`))
      .max(KIT_LIMITS.questions, `List at most ${KIT_LIMITS.questions} questions, one per line.`),
  );

const jobId = uuid('This job no longer exists.');
const competencyId = uuid('This competency is no longer in the kit.');

export const competencySchema = z.object({ jobId, name, description, questions });
export const competencyUpdateSchema = competencySchema.extend({ competencyId });
export const competencyRefSchema = z.object({ jobId, competencyId });

export const scorecardSchema = z.object({
  applicationId: uuid('This application no longer exists.'),
  interviewId: uuid('This interview no longer exists.'),
  overall: z.enum(SCORECARD_RATINGS, { error: 'Choose your overall recommendation.' }),
  notes: text()
    .trim()
    .max(SCORECARD_LIMITS.notesMax, `Keep notes under ${SCORECARD_LIMITS.notesMax} characters.`)
    .nullish()
    .transform((v) => v ?? ''),
  /** competency id → rating (or not assessed); the service checks them against the kit. */
  ratings: z.record(text(), z.enum(RATING_CHOICES, { error: 'Choose a rating, or “Not assessed”.' })).default({}),
});

/** Form field name of a competency's rating. */
export const ratingField = (competencyId: string) => `rating-${competencyId}`;

export const scorecardFormSchema = fromForm(scorecardSchema, (fd) => ({
  applicationId: str(fd, 'applicationId'),
  interviewId: str(fd, 'interviewId'),
  overall: str(fd, 'overall') || undefined,
  notes: str(fd, 'notes'),
  ratings: Object.fromEntries([...new Set(fd.keys())].filter((k) => k.startsWith('rating-')).map((k) => [k.slice('rating-'.length), str(fd, k) ?? ''])),
}));
