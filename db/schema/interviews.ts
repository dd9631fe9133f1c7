import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { optionalRef, ownedBy, owner, singleUseToken, stamp, timestamps, tstz, version } from './columns';
import { oneOf, optionalSpan } from './checks';
import { applications } from './applications';
import { orgOwned } from './organizations';
import { users } from './users';

/** "Shadow a group session" is how many PHP/IOP programs see a clinician run a group before hiring. */
export const INTERVIEW_KINDS = ['phone_screen', 'clinical_interview', 'panel', 'group_shadow', 'custom'] as const;
export const INTERVIEW_PLACES = ['on_site', 'phone', 'video'] as const;
export const INTERVIEW_STATUSES = ['proposed', 'scheduled', 'completed', 'cancelled', 'no_show'] as const;

export type InterviewKind = (typeof INTERVIEW_KINDS)[number];
export type InterviewPlace = (typeof INTERVIEW_PLACES)[number];
export type InterviewStatus = (typeof INTERVIEW_STATUSES)[number];

/**
 * One interview of an application. It starts `proposed` with up to five slots
 * (interview_slots); picking one makes it `scheduled` with starts_at/ends_at set.
 * org_id is the application's job's organization, kept here so every query can be scoped
 * by organization without a join.
 */
export const interviews = pgTable(
  'interviews',
  {
    ...orgOwned,
    applicationId: owner('application_id', () => applications.id),
    kind: text('kind', { enum: INTERVIEW_KINDS }).notNull(),
    /** The name of a `custom` kind ("Meet the medical director"). */
    customKind: text('custom_kind'),
    durationMinutes: smallint('duration_minutes').notNull(),
    place: text('place', { enum: INTERVIEW_PLACES }).notNull(),
    /** Street address, phone number or video link, by `place`. */
    placeDetail: text('place_detail').notNull().default(''),
    /** IANA zone the times are written in (the job's); invitations carry it as TZID. */
    timeZone: text('time_zone').notNull(),
    status: text('status', { enum: INTERVIEW_STATUSES }).notNull().default('proposed'),
    startsAt: tstz('starts_at'),
    endsAt: tstz('ends_at'),
    /** iCalendar SEQUENCE: every reschedule or cancel sent for this UID adds one. */
    icsSequence: integer('ics_sequence').notNull().default(0),
    /** When the first calendar invitation went out: later invitations for this UID carry SEQUENCE + 1. */
    invitedAt: tstz('invited_at'),
    /** The 24-hour reminder: set by the one process that sends it (null again after a reschedule). */
    reminderSentAt: tstz('reminder_sent_at'),
    /** The candidate asked for other times, with this note (cleared when new times are proposed). */
    otherTimesNote: text('other_times_note'),
    otherTimesAt: tstz('other_times_at'),
    /** Optimistic concurrency, as on applications. */
    version: version(),
    createdBy: optionalRef('created_by', () => users.id),
    ...timestamps,
  },
  (t) => [
    index('interviews_application_idx').on(t.applicationId),
    index('interviews_org_starts_idx').on(t.orgId, t.startsAt),
    index('interviews_reminder_due_idx').on(t.startsAt).where(sql`status = 'scheduled' and reminder_sent_at is null`),
    oneOf('interviews_kind', 'kind', INTERVIEW_KINDS),
    oneOf('interviews_place', 'place', INTERVIEW_PLACES),
    oneOf('interviews_status', 'status', INTERVIEW_STATUSES),
    check('interviews_custom_kind', sql`${t.kind} <> 'custom' or ${t.customKind} is not null`),
    check('interviews_duration', sql`${t.durationMinutes} between 5 and 480`),
    optionalSpan('interviews_times', t.startsAt, t.endsAt),
    check('interviews_scheduled_has_time', sql`${t.status} not in ('scheduled', 'completed', 'no_show') or ${t.startsAt} is not null`),
  ],
);

/** The times the team proposed for a `proposed` interview (at most five, enforced by the service). */
export const interviewSlots = pgTable(
  'interview_slots',
  {
    ...ownedBy('interviewId', 'interview_id', () => interviews.id),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
  },
  (t) => [index('interview_slots_interview_idx').on(t.interviewId, t.startsAt), check('interview_slots_times', sql`${t.endsAt} > ${t.startsAt}`)],
);

/**
 * Who interviews. busy_from/busy_until copy the interview's time while it is `scheduled`
 * (null otherwise) so the exclusion constraint `interview_interviewers_no_overlap`
 * (migration 0006, btree_gist) can refuse a second overlapping scheduled interview for
 * the same person in the database itself, whichever process tries.
 */
export const interviewInterviewers = pgTable(
  'interview_interviewers',
  {
    interviewId: owner('interview_id', () => interviews.id),
    userId: owner('user_id', () => users.id),
    busyFrom: tstz('busy_from'),
    busyUntil: tstz('busy_until'),
  },
  (t) => [
    primaryKey({ columns: [t.interviewId, t.userId] }),
    index('interview_interviewers_user_idx').on(t.userId),
    optionalSpan('interview_interviewers_busy', t.busyFrom, t.busyUntil),
  ],
);

/**
 * The candidate's scheduling link: only a SHA-256 of its random token is stored. Single-purpose
 * (picking a time for this one interview of this one application), expiring, used up by a pick and
 * revoked when the team proposes new times or cancels; it works without signing in.
 */
export const interviewLinks = pgTable(
  'interview_links',
  {
    ...ownedBy('interviewId', 'interview_id', () => interviews.id),
    applicationId: owner('application_id', () => applications.id),
    ...singleUseToken,
    revokedAt: tstz('revoked_at'),
    createdAt: stamp('created_at'),
  },
  (t) => [uniqueIndex('interview_links_token_uq').on(t.tokenHash), index('interview_links_interview_idx').on(t.interviewId)],
);
