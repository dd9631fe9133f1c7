import { EVENT_KINDS, STAGE_LABELS, type ApplicationStage } from './stages';

/** The audit trail in words: one sentence per application event. */

const name = (d: Record<string, unknown>) => String(d.name ?? 'interview').toLowerCase();
const count = (n: unknown) => (Number(n) === 1 ? 'one time' : `${Number(n)} times`);
/** An interview time in the zone it was set in (the job's), saying which zone. */
function when(at: unknown, zone: unknown): string {
  const z = typeof zone === 'string' ? zone : 'UTC';
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: z, timeZoneName: 'short' }).format(
    new Date(String(at)),
  );
}

export function eventText(e: { kind: string; fromStage: string | null; toStage: string | null; data: Record<string, unknown> }): string {
  const st = (s: string | null) => (s ? (STAGE_LABELS[s as ApplicationStage] ?? s) : '—');
  switch (e.kind) {
    case EVENT_KINDS.applied:
      return e.data.knockoutFailed ? 'Applied (a knockout answer did not meet the requirement)' : 'Applied';
    case EVENT_KINDS.stageChanged:
      return `Moved from ${st(e.fromStage)} to ${st(e.toStage)}${e.data.reason ? ` — reason: ${String(e.data.reason)}` : ''}`;
    case EVENT_KINDS.withdrawn:
      return `Candidate withdrew (was ${st(e.fromStage)})`;
    case EVENT_KINDS.noteAdded:
      return 'Added a note';
    case EVENT_KINDS.rated:
      return e.data.previous ? `Changed their rating from ${String(e.data.previous)} to ${String(e.data.rating)} of 5` : `Rated ${String(e.data.rating)} of 5`;
    case EVENT_KINDS.licenseVerified:
      return `Verified ${String(e.data.credential)}${e.data.state ? ` (${String(e.data.state)})` : ''} with the state board`;
    case EVENT_KINDS.licenseUnverified:
      return `Removed the verification of ${String(e.data.credential)}${e.data.state ? ` (${String(e.data.state)})` : ''}`;
    case EVENT_KINDS.candidateEmailed:
      return `Emailed the candidate: “${String(e.data.subject ?? '')}”`;
    case EVENT_KINDS.scorecardSubmitted:
      return 'Submitted a scorecard';
    case EVENT_KINDS.interviewProposed:
      return `Proposed ${count(e.data.slots)} for a ${name(e.data)}`;
    case EVENT_KINDS.interviewRescheduled:
      return `Proposed new times (${count(e.data.slots)}) for the ${name(e.data)}${e.data.was ? `, which was set for ${when(e.data.was, e.data.zone)}` : ''}`;
    case EVENT_KINDS.interviewScheduled:
      return `The candidate picked ${when(e.data.at, e.data.zone)} for the ${name(e.data)}; invitations sent`;
    case EVENT_KINDS.interviewOtherTimes:
      return `The candidate asked for other times for the ${name(e.data)}: “${String(e.data.note ?? '')}”`;
    case EVENT_KINDS.interviewCancelled:
      return `Cancelled the ${name(e.data)}${e.data.at ? ` set for ${when(e.data.at, e.data.zone)}` : ''}`;
    case EVENT_KINDS.interviewCompleted:
      return `Marked the ${name(e.data)} as completed`;
    case EVENT_KINDS.interviewNoShow:
      return `Marked the ${name(e.data)} as a no-show`;
    case EVENT_KINDS.offerCreated:
      return `Prepared an offer (${String(e.data.pay ?? '')}) for an admin's approval`;
    case EVENT_KINDS.offerSent:
      return `Sent an offer: ${String(e.data.pay ?? '')}${e.data.outsideRange ? ' (outside the posted range)' : ''}`;
    case EVENT_KINDS.offerWithdrawn:
      return 'Withdrew the offer';
    case EVENT_KINDS.offerAccepted:
      return `Candidate accepted the offer${e.data.via === 'link' ? ' (from the emailed link)' : ''}`;
    case EVENT_KINDS.offerDeclined:
      return `Candidate declined the offer${e.data.via === 'link' ? ' (from the emailed link)' : ''}`;
    case EVENT_KINDS.messageSent:
      return e.data.sender === 'candidate' ? 'Candidate wrote a message' : 'Wrote to the candidate';
    default:
      return e.kind;
  }
}

// ---------------------------------------------------------------- moves
