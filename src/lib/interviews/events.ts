/** The application events interviews write (application_events.kind); data carries interviewId, the interview's name and, where a time is involved, at + zone. */
export const INTERVIEW_EVENT_KINDS = {
  interviewProposed: 'interview_proposed',
  interviewScheduled: 'interview_scheduled',
  interviewRescheduled: 'interview_rescheduled',
  interviewOtherTimes: 'interview_other_times',
  interviewCancelled: 'interview_cancelled',
  interviewCompleted: 'interview_completed',
  interviewNoShow: 'interview_no_show',
} as const;
