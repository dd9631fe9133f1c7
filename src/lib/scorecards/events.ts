/** The application_events kind a submitted scorecard appends (listed with the others in applications/stages.ts). */
export const SCORECARD_SUBMITTED_EVENT = 'scorecard_submitted';
