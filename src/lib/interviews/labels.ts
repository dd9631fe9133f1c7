import type { InterviewKind, InterviewPlace, InterviewStatus } from '#db/schema';

/** What people read for the interview enums. */
export const KIND_LABELS: Record<InterviewKind, string> = {
  phone_screen: 'Phone screen',
  clinical_interview: 'Clinical interview',
  panel: 'Panel interview',
  group_shadow: 'Shadow a group session',
  custom: 'Other (name it)',
};

/** Each place an interview happens: what it is called, and what its detail field holds. */
export const PLACES: Record<InterviewPlace, { label: string; detail: string }> = {
  on_site: { label: 'On site', detail: 'Address' },
  phone: { label: 'Phone', detail: 'Phone number' },
  video: { label: 'Video call', detail: 'Video link' },
};

/** "Video call — Video link: https://…", the one line emails and the candidate's list show for where. */
export function whereLine(i: { place: InterviewPlace; placeDetail: string }): string {
  return `${PLACES[i.place].label} — ${PLACES[i.place].detail}: ${i.placeDetail}`;
}

export const STATUS_LABELS: Record<InterviewStatus, string> = {
  proposed: 'Waiting for the candidate to pick a time',
  scheduled: 'Scheduled',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/** An interview's name as pages, emails and scorecards show it: a custom kind by the name the team gave it. */
export function interviewName(i: { kind: InterviewKind; customKind: string | null }): string {
  if (i.kind === 'custom') return i.customKind || 'Interview';
  return KIND_LABELS[i.kind];
}
