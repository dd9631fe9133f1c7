import type { Tx } from '#db/client';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  applicationAnswers,
  applicationEvents,
  applicationMessages,
  applicationNotes,
  applications,
  interviews,
  offers,
  scorecards,
  screeningQuestions,
} from '#db/schema';

/**
 * Anonymizing an application: the row stays (stage, dates, job, knockout flag, ratings,
 * the stage events), so the organization's counts, funnels and time-to-hire stay true,
 * and everything that could point at the person goes — who they are (candidate_id), their
 * resume, every free text about or by them. Used when a candidate deletes their account and
 * by the organization's retention job (src/lib/retention/policy.ts).
 *
 * Every table that keeps something personal per application is ONE entry below, run in
 * order (applications last: earlier entries still read candidate_id). A new table that
 * holds a person's words or contact details per application (messages, offers,
 * scorecards…) adds its line here; tests/integration/data-rights.test.ts dumps every
 * table after a deletion and fails on any trace left.
 */
export interface PersonalData {
  table: string;
  scrub: (tx: Tx, ids: string[], now: Date) => Promise<unknown>;
}

/**
 * Event-data keys that hold free text (a rejection reason, an email subject that may carry the name)
 * or point back at the person (a license's id and number, a board lookup address that may carry the name).
 */
const PERSONAL_EVENT_KEYS = ['reason', 'subject', 'body', 'message', 'note', 'comment', 'text', 'name', 'email', 'phone', 'licenseId', 'number', 'lookupUrl'];

/** What a rejection reason reads once anonymized (the column must stay non-empty for rejected rows). */
export const ANONYMIZED_REASON = 'Removed when the application was anonymized';

export const APPLICATION_PERSONAL_DATA: PersonalData[] = [
  {
    // Free-text answers go; yes/no and choice answers stay (they are what knockout and fairness reports count).
    table: 'application_answers',
    scrub: (tx, ids) =>
      tx
        .update(applicationAnswers)
        .set({ answer: '' })
        .where(
          and(
            inArray(applicationAnswers.applicationId, ids),
            inArray(
              applicationAnswers.questionId,
              tx.select({ id: screeningQuestions.id }).from(screeningQuestions).where(eq(screeningQuestions.kind, 'short_text')),
            ),
          ),
        ),
  },
  {
    // The candidate's own events lose their actor; every event loses free text and pointers to the person.
    table: 'application_events',
    scrub: async (tx, ids) => {
      await tx.execute(sql`update ${applicationEvents} e set actor_id = null
        from ${applications} a
        where a.id = e.application_id and e.actor_id = a.candidate_id and a.id in ${idList(ids)}`);
      await tx
        .update(applicationEvents)
        .set({ data: sql`${applicationEvents.data} - ${`{${PERSONAL_EVENT_KEYS.join(',')}}`}::text[]` })
        .where(inArray(applicationEvents.applicationId, ids));
    },
  },
  // Team notes are free text about the person: they go (ratings, numbers only, stay).
  { table: 'application_notes', scrub: (tx, ids) => tx.delete(applicationNotes).where(inArray(applicationNotes.applicationId, ids)) },
  // An interview's place may be the candidate's phone number; its kind, times and status stay for the reports.
  // The candidate's "other times" note is their own free text.
  {
    table: 'interviews',
    scrub: (tx, ids) => tx.update(interviews).set({ placeDetail: '', otherTimesNote: null }).where(inArray(interviews.applicationId, ids)),
  },
  // The message thread is the person's own words and the team's words to them: it goes. The email history keeps
  // what was sent when (its subjects name the job and the organization, not the person).
  { table: 'application_messages', scrub: (tx, ids) => tx.delete(applicationMessages).where(inArray(applicationMessages.applicationId, ids)) },
  // An offer's pay, dates and answer stay for the reports; its note is free text to the person.
  { table: 'offers', scrub: (tx, ids) => tx.update(offers).set({ note: null }).where(inArray(offers.applicationId, ids)) },
  // Scorecard notes are free text about the person, like team notes; the per-competency ratings and the recommendation stay.
  {
    table: 'scorecards',
    scrub: (tx, ids) => tx.update(scorecards).set({ notes: '' }).where(inArray(scorecards.applicationId, ids)),
  },
  {
    table: 'applications',
    scrub: (tx, ids, now) =>
      tx
        .update(applications)
        .set({
          candidateId: null,
          resumeId: null,
          coverNote: null,
          rejectionReason: sql`case when ${applications.rejectionReason} is null then null else ${ANONYMIZED_REASON} end`,
          anonymizedAt: now,
        })
        .where(inArray(applications.id, ids)),
  },
];

const idList = (ids: readonly string[]) =>
  sql`(${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;

/** Anonymizes these applications inside the caller's transaction (in chunks, so a parameter list stays small). */
export async function anonymizeApplications(tx: Tx, ids: readonly string[], now: Date): Promise<number> {
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 1000) {
    const chunk = unique.slice(i, i + 1000);
    for (const source of APPLICATION_PERSONAL_DATA) await source.scrub(tx, chunk, now);
  }
  return unique.length;
}
