import type { InterviewKind, InterviewPlace, InterviewStatus } from '#db/schema';

/** What people read for the interview enums. */
export const KIND_LABELS: Record<InterviewKind, string> = {
  phone_screen: 'Phone screen',
  clinical_interview: 'Clinical interview',
  panel: 'Panel interview',
  group_shadow: 'Shadow a group session',
  custom: 'Other (name it)',
};

export const PLACE_LABELS: Record<InterviewPlace, string> = {
  on_site: 'On site',
  phone: 'Phone',
  video: 'Video call',
};

/** What the detail field holds for each place. */
export const PLACE_DETAIL_LABELS: Record<InterviewPlace, string> = {
  on_site: 'Address',
  phone: 'Phone number',
  video: 'Video link',
};

export const STATUS_LABELS: Record<InterviewStatus, string> = {
  proposed: 'Waiting for the candidate to pick a time',
  scheduled: 'Scheduled',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

export function interviewName(i: { kind: InterviewKind; customKind: string | null }): string {
  return i.kind === 'custom' && i.customKind ? i.customKind : KIND_LABELS[i.kind];
}
