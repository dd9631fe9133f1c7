import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '#db/client';
import { applicationAnswers, screeningQuestions } from '#db/schema';

/**
 * Applications' screening answers with their questions, in the job's question order: the one read behind the
 * team's application page, the candidate's own page and the candidate's data export. Each keeps only what it
 * shows (the candidate's side never shows which answer knocked out).
 */
export async function screeningAnswers(db: Pick<Db, 'select'>, applicationIds: readonly string[]) {
  if (!applicationIds.length) return [];
  return db
    .select({
      applicationId: applicationAnswers.applicationId,
      prompt: screeningQuestions.prompt,
      kind: screeningQuestions.kind,
      answer: applicationAnswers.answer,
      knockout: applicationAnswers.knockout,
    })
    .from(applicationAnswers)
    .innerJoin(screeningQuestions, eq(screeningQuestions.id, applicationAnswers.questionId))
    .where(inArray(applicationAnswers.applicationId, [...applicationIds]))
    .orderBy(asc(screeningQuestions.position));
}
