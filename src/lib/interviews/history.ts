import type { Tx } from '#db/client';
import { applicationEvents } from '#db/schema';
import type { InterviewRow } from './context';
import type { INTERVIEW_EVENT_KINDS } from './events';
import { interviewName } from './labels';

type InterviewEventKind = (typeof INTERVIEW_EVENT_KINDS)[keyof typeof INTERVIEW_EVENT_KINDS];

/**
 * An interview's entry in its application's history: every one names the interview (id and name, as it
 * read when the event happened); `data` adds what this event is about (the time, the zone, the note).
 * `actorId` is the member who acted, or null for the candidate through the emailed link.
 */
export async function interviewEvent(
  tx: Tx,
  iv: Pick<InterviewRow, 'id' | 'applicationId' | 'kind' | 'customKind'>,
  e: { kind: InterviewEventKind; actorId: string | null; now: Date; data: Record<string, unknown> },
): Promise<void> {
  await tx.insert(applicationEvents).values({
    applicationId: iv.applicationId,
    actorId: e.actorId,
    kind: e.kind,
    data: { interviewId: iv.id, name: interviewName(iv), ...e.data },
    createdAt: e.now,
  });
}
