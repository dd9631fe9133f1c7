import { APPLICATION_STAGES, type ApplicationStage } from '#lib/domain/taxonomy';
import { SCORECARD_SUBMITTED_EVENT } from '#lib/scorecards/events';
import { INTERVIEW_EVENT_KINDS } from '#lib/interviews/events';

/**
 * The pipeline's stages and the moves between them. Pure: no I/O.
 *
 *   applied → screening → interview → offer → hired      (the pipeline, in order)
 *   rejected  (with a reason; the team can reopen it)
 *   withdrawn (the candidate's own decision; the team cannot move it or undo it)
 */
export { APPLICATION_STAGES, type ApplicationStage };

/** Where the hiring team may move an application (withdrawing belongs to the candidate). */
export const TEAM_TARGET_STAGES = ['applied', 'screening', 'interview', 'offer', 'hired', 'rejected'] as const satisfies readonly ApplicationStage[];

/** What the hiring team reads. */
export const STAGE_LABELS: Record<ApplicationStage, string> = {
  applied: 'Applied',
  screening: 'Screening',
  interview: 'Interview',
  offer: 'Offer',
  hired: 'Hired',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

/** What the candidate reads: plain words, nothing internal. */
export const CANDIDATE_STAGE_LABELS: Record<ApplicationStage, string> = {
  applied: 'Application received',
  screening: 'Under review',
  interview: 'Interviewing',
  offer: 'Offer extended',
  hired: 'Hired',
  rejected: 'Not moving forward',
  withdrawn: 'Withdrawn',
};

export const CANDIDATE_STAGE_HELP: Record<ApplicationStage, string> = {
  applied: 'The hiring team has your application and has not reviewed it yet.',
  screening: 'The hiring team is reviewing your application and licensure.',
  interview: 'The hiring team would like to interview you; expect them to contact you.',
  offer: 'The hiring team has made or is preparing an offer.',
  hired: 'Congratulations: you were hired for this job.',
  rejected: 'The hiring team decided not to move forward with your application.',
  withdrawn: 'You withdrew this application.',
};

/** Stages from which the candidate may still withdraw. */
export const WITHDRAWABLE: readonly ApplicationStage[] = ['applied', 'screening', 'interview', 'offer'];

export type MoveCheck = { ok: true } | { ok: false; message: string };

/** May the hiring team move an application from `from` to `to`? */
export function checkTeamMove(from: ApplicationStage, to: ApplicationStage, reason: string | null | undefined): MoveCheck {
  if (from === 'withdrawn') return { ok: false, message: 'The candidate withdrew this application; it can no longer be moved.' };
  if (!(TEAM_TARGET_STAGES as readonly string[]).includes(to)) return { ok: false, message: 'Only the candidate can withdraw an application.' };
  if (from === to) return { ok: false, message: `The application is already in ${STAGE_LABELS[to]}.` };
  if (to === 'rejected' && !reason?.trim()) return { ok: false, message: 'Give a reason for rejecting (the candidate does not see it).' };
  return { ok: true };
}

export function checkWithdraw(from: ApplicationStage): MoveCheck {
  if (from === 'withdrawn') return { ok: false, message: 'You already withdrew this application.' };
  if (!WITHDRAWABLE.includes(from)) {
    return {
      ok: false,
      message:
        from === 'hired' ? 'You were hired for this job; contact the employer to change that.' : 'This application is closed, so there is nothing to withdraw.',
    };
  }
  return { ok: true };
}

/** What the team sees instead of a name once an application is anonymized (src/lib/retention/anonymize.ts). */
export const ANONYMIZED_CANDIDATE = 'Anonymized applicant';

/** Event kinds in the audit trail (application_events.kind). */
export const EVENT_KINDS = {
  applied: 'applied',
  stageChanged: 'stage_changed',
  withdrawn: 'withdrawn',
  noteAdded: 'note_added',
  rated: 'rated',
  licenseVerified: 'license_verified',
  licenseUnverified: 'license_unverified',
  candidateEmailed: 'candidate_emailed',
  scorecardSubmitted: SCORECARD_SUBMITTED_EVENT,
  ...INTERVIEW_EVENT_KINDS,
  offerCreated: 'offer_created',
  offerSent: 'offer_sent',
  offerWithdrawn: 'offer_withdrawn',
  offerAccepted: 'offer_accepted',
  offerDeclined: 'offer_declined',
  messageSent: 'message_sent',
} as const;

/** The events a candidate sees in their own history (notes, ratings and verifications stay internal). */
export const CANDIDATE_VISIBLE_EVENTS: readonly string[] = [EVENT_KINDS.applied, EVENT_KINDS.stageChanged, EVENT_KINDS.withdrawn];
