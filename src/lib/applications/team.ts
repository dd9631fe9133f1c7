import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import {
  applicationAnswers, applicationEvents, applicationNotes, applicationRatings, applications, candidateProfiles, eeoResponses,
  jobCredentials, jobs, licenses, licenseVerifications, resumes, screeningQuestions, users,
} from '../../../db/schema';
import { conflict, invalid, isServiceError, notFound } from '../errors';
import { eligibility, eligibilityLabel, todayIso, type Eligibility, type HeldLicense } from '../licensure/eligibility';
import { licenseStatus, type LicenseStatus } from '../profile/licenses';
import type { TeamActor } from './access';
import { parseOrThrow } from './form';
import { notifyCandidate, type Notifier } from './notify';
import { bulkMoveSchema, moveSchema, noteSchema, ratingSchema, unverifySchema, verifySchema, EEO_QUESTIONS, EEO_FIELDS, type BulkMoveInput, type MoveInput } from './schema';
import { checkTeamMove, EVENT_KINDS, PIPELINE_STAGES, STAGE_LABELS, APPLICATION_STAGES, type ApplicationStage } from './stages';
import { isNotifyStage } from './templates';

/**
 * The hiring team's side: a job's pipeline, one application in full, moving
 * applicants (one or many) with optimistic concurrency, notes, ratings and
 * license verification. Every function takes the acting member (TeamActor,
 * from access.ts) and scopes every read and write to the member's organization;
 * an id from another organization is not found. Every change writes an
 * application_events row in the same transaction.
 */
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

// ---------------------------------------------------------------- shared reads

export async function jobCredentialMap(db: Pick<Db, 'select'>, jobIds: readonly string[]): Promise<Map<string, string[]>> {
  const m = new Map<string, string[]>();
  if (!jobIds.length) return m;
  const rows = await db
    .select({ jobId: jobCredentials.jobId, code: jobCredentials.credentialCode })
    .from(jobCredentials)
    .where(inArray(jobCredentials.jobId, [...jobIds]))
    .orderBy(asc(jobCredentials.credentialCode));
  for (const r of rows) (m.get(r.jobId) ?? m.set(r.jobId, []).get(r.jobId)!).push(r.code);
  return m;
}

export interface TeamLicense extends HeldLicense {
  id: string;
  number: string;
  status: LicenseStatus;
  /** This organization's verification, if it made one (other organizations' are never shown). */
  verification: { verifiedAt: Date; verifiedBy: string | null; lookupUrl: string } | null;
}

/** Candidates' licenses with this organization's verifications, keyed by candidate. */
export async function teamLicenses(db: Pick<Db, 'select'>, orgId: string, candidateIds: readonly string[], today = todayIso()): Promise<Map<string, TeamLicense[]>> {
  const m = new Map<string, TeamLicense[]>();
  if (!candidateIds.length) return m;
  const rows = await db
    .select({
      l: licenses,
      verifiedAt: licenseVerifications.verifiedAt,
      lookupUrl: licenseVerifications.lookupUrl,
      verifiedBy: users.name,
    })
    .from(licenses)
    .leftJoin(licenseVerifications, and(eq(licenseVerifications.licenseId, licenses.id), eq(licenseVerifications.orgId, orgId)))
    .leftJoin(users, eq(users.id, licenseVerifications.verifiedBy))
    .where(inArray(licenses.userId, [...candidateIds]))
    .orderBy(asc(licenses.credentialCode), asc(licenses.state));
  for (const r of rows) {
    const t: TeamLicense = {
      id: r.l.id,
      credentialCode: r.l.credentialCode,
      state: r.l.state,
      number: r.l.number,
      expiresOn: r.l.expiresOn,
      compact: r.l.compact,
      status: licenseStatus(r.l, today),
      verification: r.verifiedAt ? { verifiedAt: r.verifiedAt, verifiedBy: r.verifiedBy, lookupUrl: r.lookupUrl ?? '' } : null,
    };
    (m.get(r.l.userId) ?? m.set(r.l.userId, []).get(r.l.userId)!).push(t);
  }
  return m;
}

export function eligibilityFor(lics: readonly HeldLicense[], job: { state: string; setting: string; credentials: readonly string[] }, today = todayIso()): { value: Eligibility; label: string } {
  const value = eligibility(lics, job, today);
  return { value, label: eligibilityLabel(value) ?? 'No matching credential' };
}

// ---------------------------------------------------------------- pipeline of one job

export interface PipelineCard {
  id: string;
  version: number;
  stage: ApplicationStage;
  candidateId: string;
  candidateName: string;
  candidateEmail: string;
  createdAt: Date;
  updatedAt: Date;
  knockoutFailed: boolean;
  rejectionReason: string | null;
  avgRating: number | null;
  ratings: number;
  myRating: number | null;
  notes: number;
  eligibility: { value: Eligibility; label: string };
  licenses: TeamLicense[];
}

export const PIPELINE_MAX = 2000;

export async function jobForTeam(db: Pick<Db, 'select'>, actor: TeamActor, jobId: string) {
  const [job] = await db.select().from(jobs).where(and(eq(jobs.id, jobId), eq(jobs.orgId, actor.orgId))).limit(1);
  if (!job) throw notFound();
  const creds = await jobCredentialMap(db, [job.id]);
  return { ...job, credentials: creds.get(job.id) ?? [] };
}

export async function pipelineForJob(db: Db, actor: TeamActor, jobId: string, today = todayIso()) {
  const job = await jobForTeam(db, actor, jobId);
  const rows = await db
    .select({
      a: applications,
      name: users.name,
      email: users.email,
      avgRating: sql<string | null>`(select avg(${applicationRatings.rating})::numeric(3,2)::text from ${applicationRatings} where ${applicationRatings.applicationId} = ${applications.id})`,
      ratings: sql<number>`(select count(*)::int from ${applicationRatings} where ${applicationRatings.applicationId} = ${applications.id})`,
      myRating: sql<number | null>`(select ${applicationRatings.rating} from ${applicationRatings} where ${applicationRatings.applicationId} = ${applications.id} and ${applicationRatings.authorId} = ${actor.userId})`,
      notes: sql<number>`(select count(*)::int from ${applicationNotes} where ${applicationNotes.applicationId} = ${applications.id})`,
    })
    .from(applications)
    .innerJoin(users, eq(users.id, applications.candidateId))
    .where(eq(applications.jobId, job.id))
    .orderBy(desc(applications.createdAt), asc(applications.id))
    .limit(PIPELINE_MAX + 1);
  const truncated = rows.length > PIPELINE_MAX;
  const list = rows.slice(0, PIPELINE_MAX);
  const lics = await teamLicenses(db, actor.orgId, [...new Set(list.map((r) => r.a.candidateId))], today);
  const cards: PipelineCard[] = list.map((r) => {
    const l = lics.get(r.a.candidateId) ?? [];
    return {
      id: r.a.id,
      version: r.a.version,
      stage: r.a.stage,
      candidateId: r.a.candidateId,
      candidateName: r.name,
      candidateEmail: r.email,
      createdAt: r.a.createdAt,
      updatedAt: r.a.updatedAt,
      knockoutFailed: r.a.knockoutFailed,
      rejectionReason: r.a.rejectionReason,
      avgRating: r.avgRating === null ? null : Number(r.avgRating),
      ratings: Number(r.ratings),
      myRating: r.myRating === null ? null : Number(r.myRating),
      notes: Number(r.notes),
      eligibility: eligibilityFor(l, job, today),
      licenses: l,
    };
  });
  const counts = Object.fromEntries(APPLICATION_STAGES.map((s) => [s, 0])) as Record<ApplicationStage, number>;
  for (const c of cards) counts[c.stage]++;
  return { job, cards, counts, truncated };
}

/** Voluntary self-identification for a job, as counts only, and only from 5 responses up (fewer could point at a person). */
export const EEO_MIN_RESPONSES = 5;
export async function eeoSummary(db: Pick<Db, 'select'>, actor: TeamActor, jobId: string) {
  await jobForTeam(db, actor, jobId);
  const rows = await db
    .select({ answers: eeoResponses.answers })
    .from(eeoResponses)
    .where(and(eq(eeoResponses.jobId, jobId), eq(eeoResponses.orgId, actor.orgId)));
  if (rows.length < EEO_MIN_RESPONSES) return { responses: rows.length, shown: false as const };
  const fields = EEO_FIELDS.map((f) => {
    const counts = new Map<string, number>();
    for (const r of rows) {
      const v = r.answers[f];
      if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const options = EEO_QUESTIONS[f].options as Record<string, string>;
    return {
      field: f,
      label: EEO_QUESTIONS[f].label,
      counts: Object.keys(options)
        .filter((k) => k !== 'decline')
        .map((k) => ({ value: k, label: options[k]!, count: counts.get(k) ?? 0 })),
      declined: rows.length - [...counts.values()].reduce((a, b) => a + b, 0),
    };
  });
  return { responses: rows.length, shown: true as const, fields };
}

// ---------------------------------------------------------------- one application

export async function applicationForTeam(db: Db, actor: TeamActor, applicationId: string, today = todayIso()) {
  const [r] = await db
    .select({
      a: applications,
      job: jobs,
      candidate: { id: users.id, name: users.name, email: users.email },
      profile: candidateProfiles,
      resume: { id: resumes.id, originalName: resumes.originalName, mime: resumes.mime, sizeBytes: resumes.sizeBytes },
    })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(users, eq(users.id, applications.candidateId))
    .leftJoin(candidateProfiles, eq(candidateProfiles.userId, applications.candidateId))
    .leftJoin(resumes, eq(resumes.id, applications.resumeId))
    .where(and(eq(applications.id, applicationId), eq(jobs.orgId, actor.orgId)))
    .limit(1);
  if (!r) throw notFound();
  const [creds, lics, answers, notes, ratings, events] = await Promise.all([
    jobCredentialMap(db, [r.job.id]),
    teamLicenses(db, actor.orgId, [r.candidate.id], today),
    db
      .select({ prompt: screeningQuestions.prompt, kind: screeningQuestions.kind, answer: applicationAnswers.answer, knockout: applicationAnswers.knockout })
      .from(applicationAnswers)
      .innerJoin(screeningQuestions, eq(screeningQuestions.id, applicationAnswers.questionId))
      .where(eq(applicationAnswers.applicationId, applicationId))
      .orderBy(asc(screeningQuestions.position)),
    db
      .select({ id: applicationNotes.id, body: applicationNotes.body, createdAt: applicationNotes.createdAt, author: users.name, authorId: applicationNotes.authorId })
      .from(applicationNotes)
      .leftJoin(users, eq(users.id, applicationNotes.authorId))
      .where(eq(applicationNotes.applicationId, applicationId))
      .orderBy(asc(applicationNotes.createdAt)),
    db
      .select({ authorId: applicationRatings.authorId, author: users.name, rating: applicationRatings.rating, updatedAt: applicationRatings.updatedAt })
      .from(applicationRatings)
      .innerJoin(users, eq(users.id, applicationRatings.authorId))
      .where(eq(applicationRatings.applicationId, applicationId))
      .orderBy(asc(users.name)),
    db
      .select({ e: applicationEvents, actor: users.name })
      .from(applicationEvents)
      .leftJoin(users, eq(users.id, applicationEvents.actorId))
      .where(eq(applicationEvents.applicationId, applicationId))
      .orderBy(asc(applicationEvents.id)),
  ]);
  const job = { ...r.job, credentials: creds.get(r.job.id) ?? [] };
  const licenseList = lics.get(r.candidate.id) ?? [];
  const avg = ratings.length ? ratings.reduce((s, x) => s + x.rating, 0) / ratings.length : null;
  return {
    application: r.a,
    job,
    candidate: r.candidate,
    profile: r.profile,
    resume: r.resume?.id ? r.resume : null,
    licenses: licenseList,
    eligibility: eligibilityFor(licenseList, job, today),
    answers,
    notes,
    ratings,
    avgRating: avg,
    myRating: ratings.find((x) => x.authorId === actor.userId)?.rating ?? null,
    events: events.map((x) => ({ ...x.e, actor: x.actor })),
  };
}

export function eventText(e: { kind: string; fromStage: string | null; toStage: string | null; data: Record<string, unknown> }): string {
  const st = (s: string | null) => (s ? STAGE_LABELS[s as ApplicationStage] ?? s : '—');
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
    default:
      return e.kind;
  }
}

// ---------------------------------------------------------------- moves

export interface MoveOutcome {
  applicationId: string;
  candidateName: string;
  from: ApplicationStage;
  to: ApplicationStage;
  version: number;
}

const fmtTime = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });

/** What a member is told when someone else changed the application first. */
async function conflictMessage(tx: Pick<Db, 'select'>, applicationId: string, name: string, stage: ApplicationStage): Promise<string> {
  const [last] = await tx
    .select({ actor: users.name, at: applicationEvents.createdAt, kind: applicationEvents.kind })
    .from(applicationEvents)
    .leftJoin(users, eq(users.id, applicationEvents.actorId))
    .where(and(eq(applicationEvents.applicationId, applicationId), inArray(applicationEvents.kind, [EVENT_KINDS.stageChanged, EVENT_KINDS.withdrawn, EVENT_KINDS.applied])))
    .orderBy(desc(applicationEvents.id))
    .limit(1);
  const who = last?.kind === EVENT_KINDS.withdrawn ? 'the candidate' : (last?.actor ?? 'someone');
  const when = last ? ` (${fmtTime.format(last.at)})` : '';
  return `${name} was changed by ${who}${when} after you loaded the page: now in ${STAGE_LABELS[stage]}. Your move was not applied; the page shows the current state.`;
}

async function moveInTx(tx: Tx, actor: TeamActor, item: { applicationId: string; version: number }, to: ApplicationStage, reason: string | null, now: Date, jobId?: string): Promise<MoveOutcome> {
  const scope = [eq(applications.id, item.applicationId), eq(jobs.orgId, actor.orgId)];
  if (jobId) scope.push(eq(applications.jobId, jobId));
  const [cur] = await tx
    .select({ stage: applications.stage, version: applications.version, name: users.name })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(users, eq(users.id, applications.candidateId))
    .where(and(...scope));
  if (!cur) throw notFound();
  if (cur.version !== item.version) throw conflict(await conflictMessage(tx, item.applicationId, cur.name, cur.stage));
  const ok = checkTeamMove(cur.stage, to, reason);
  if (!ok.ok) throw invalid(`${cur.name}: ${ok.message}`, to === 'rejected' ? { reason: [ok.message] } : undefined);
  // The compare-and-set: zero rows means someone else changed it between our read and this write.
  const [row] = await tx
    .update(applications)
    .set({ stage: to, version: sql`${applications.version} + 1`, rejectionReason: to === 'rejected' ? reason : null, updatedAt: now })
    .where(and(eq(applications.id, item.applicationId), eq(applications.version, item.version)))
    .returning({ version: applications.version, stage: applications.stage });
  if (!row) {
    const [again] = await tx.select({ stage: applications.stage }).from(applications).where(eq(applications.id, item.applicationId));
    throw conflict(await conflictMessage(tx, item.applicationId, cur.name, again?.stage ?? cur.stage));
  }
  await tx.insert(applicationEvents).values({
    applicationId: item.applicationId,
    actorId: actor.userId,
    kind: EVENT_KINDS.stageChanged,
    fromStage: cur.stage,
    toStage: to,
    data: reason && to === 'rejected' ? { reason } : {},
    createdAt: now,
  });
  return { applicationId: item.applicationId, candidateName: cur.name, from: cur.stage, to, version: row.version };
}

/** A move and the candidate's email about it, in one transaction. */
async function moveAndNotify(tx: Tx, notifier: Notifier | undefined, actor: TeamActor, item: { applicationId: string; version: number }, to: ApplicationStage, reason: string | null, now: Date, jobId?: string): Promise<MoveOutcome> {
  const out = await moveInTx(tx, actor, item, to, reason, now, jobId);
  if (out.to !== 'applied' && isNotifyStage(out.to)) await notifyCandidate(tx, notifier, out.applicationId, out.to);
  return out;
}

/** Moves one application; a stale version is a conflict (409) whose message says who changed it and where it is now. */
export async function moveApplication(db: Db, notifier: Notifier | undefined, actor: TeamActor, raw: MoveInput, opts: { now?: Date } = {}): Promise<MoveOutcome> {
  const v = parseOrThrow(moveSchema, raw);
  const now = opts.now ?? new Date();
  const out = await db.transaction((tx) => moveAndNotify(tx, notifier, actor, { applicationId: v.applicationId, version: v.version }, v.toStage, v.reason, now));
  return out;
}

export interface BulkMoveResult {
  moved: MoveOutcome[];
  /** Changed by someone else meanwhile, or not movable (withdrawn, already there): left as they are. */
  skipped: { applicationId: string; message: string }[];
}

/**
 * Moves many applications of one job. Every id must belong to the job (else
 * not found, nothing moved); each move is its own transaction with its own
 * version check, so one stale card does not undo the others — it is reported.
 */
export async function bulkMoveApplications(db: Db, notifier: Notifier | undefined, actor: TeamActor, raw: BulkMoveInput, opts: { now?: Date } = {}): Promise<BulkMoveResult> {
  const v = parseOrThrow(bulkMoveSchema, raw);
  const now = opts.now ?? new Date();
  if (v.toStage === 'rejected' && !v.reason) throw invalid('Give a reason for rejecting (the candidates do not see it).', { reason: ['Give a reason for rejecting.'] });
  const ids = [...new Set(v.items.map((i) => i.applicationId))];
  const owned = await db
    .select({ id: applications.id })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(inArray(applications.id, ids), eq(applications.jobId, v.jobId), eq(jobs.orgId, actor.orgId)));
  if (owned.length !== ids.length) throw notFound();
  const result: BulkMoveResult = { moved: [], skipped: [] };
  const seen = new Set<string>();
  for (const item of v.items) {
    if (seen.has(item.applicationId)) continue;
    seen.add(item.applicationId);
    try {
      result.moved.push(await db.transaction((tx) => moveAndNotify(tx, notifier, actor, item, v.toStage, v.reason, now, v.jobId)));
    } catch (err) {
      if (isServiceError(err) && (err.code === 'conflict' || err.code === 'invalid')) {
        result.skipped.push({ applicationId: item.applicationId, message: err.message });
      } else throw err;
    }
  }
  return result;
}

// ---------------------------------------------------------------- notes, ratings

async function lockOwned(tx: Tx, actor: TeamActor, applicationId: string): Promise<{ candidateId: string }> {
  const [r] = await tx
    .select({ candidateId: applications.candidateId })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(and(eq(applications.id, applicationId), eq(jobs.orgId, actor.orgId)));
  if (!r) throw notFound();
  return r;
}

export async function addNote(db: Db, actor: TeamActor, raw: { applicationId: string; body: string }, opts: { now?: Date } = {}) {
  const v = parseOrThrow(noteSchema, raw);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    await lockOwned(tx, actor, v.applicationId);
    const [note] = await tx.insert(applicationNotes).values({ applicationId: v.applicationId, authorId: actor.userId, body: v.body, createdAt: now }).returning({ id: applicationNotes.id });
    await tx.insert(applicationEvents).values({ applicationId: v.applicationId, actorId: actor.userId, kind: EVENT_KINDS.noteAdded, data: { noteId: note!.id }, createdAt: now });
    return { noteId: note!.id };
  });
}

/** One rating per member per application (1–5); rating again replaces the member's own. */
export async function rateApplication(db: Db, actor: TeamActor, raw: { applicationId: string; rating: number | string }, opts: { now?: Date } = {}) {
  const v = parseOrThrow(ratingSchema, raw);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    await lockOwned(tx, actor, v.applicationId);
    const [prev] = await tx
      .select({ rating: applicationRatings.rating })
      .from(applicationRatings)
      .where(and(eq(applicationRatings.applicationId, v.applicationId), eq(applicationRatings.authorId, actor.userId)))
      .for('update');
    if (prev?.rating === v.rating) return { rating: v.rating, changed: false };
    await tx
      .insert(applicationRatings)
      .values({ applicationId: v.applicationId, authorId: actor.userId, rating: v.rating, updatedAt: now })
      .onConflictDoUpdate({ target: [applicationRatings.applicationId, applicationRatings.authorId], set: { rating: v.rating, updatedAt: now } });
    await tx.insert(applicationEvents).values({
      applicationId: v.applicationId,
      actorId: actor.userId,
      kind: EVENT_KINDS.rated,
      data: prev ? { rating: v.rating, previous: prev.rating } : { rating: v.rating },
      createdAt: now,
    });
    return { rating: v.rating, changed: true };
  });
}

// ---------------------------------------------------------------- license verification

async function licenseOfApplicant(tx: Tx, actor: TeamActor, applicationId: string, licenseId: string) {
  const { candidateId } = await lockOwned(tx, actor, applicationId);
  const [lic] = await tx.select().from(licenses).where(and(eq(licenses.id, licenseId), eq(licenses.userId, candidateId)));
  if (!lic) throw notFound();
  return lic;
}

/**
 * Records that this organization checked a license with the state board:
 * who, when, and the board's lookup page. Visible to this organization only.
 * Checking again refreshes it. An event goes on the application it was done from.
 */
export async function verifyLicense(db: Db, actor: TeamActor, raw: { applicationId: string; licenseId: string; lookupUrl: string }, opts: { now?: Date } = {}) {
  const v = parseOrThrow(verifySchema, raw);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const lic = await licenseOfApplicant(tx, actor, v.applicationId, v.licenseId);
    await tx
      .insert(licenseVerifications)
      .values({ licenseId: lic.id, orgId: actor.orgId, verifiedBy: actor.userId, verifiedAt: now, lookupUrl: v.lookupUrl })
      .onConflictDoUpdate({ target: [licenseVerifications.licenseId, licenseVerifications.orgId], set: { verifiedBy: actor.userId, verifiedAt: now, lookupUrl: v.lookupUrl } });
    await tx.insert(applicationEvents).values({
      applicationId: v.applicationId,
      actorId: actor.userId,
      kind: EVENT_KINDS.licenseVerified,
      data: { licenseId: lic.id, credential: lic.credentialCode, state: lic.state, number: lic.number, lookupUrl: v.lookupUrl },
      createdAt: now,
    });
    return { licenseId: lic.id, verifiedAt: now };
  });
}

export async function unverifyLicense(db: Db, actor: TeamActor, raw: { applicationId: string; licenseId: string }, opts: { now?: Date } = {}) {
  const v = parseOrThrow(unverifySchema, raw);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const lic = await licenseOfApplicant(tx, actor, v.applicationId, v.licenseId);
    const gone = await tx
      .delete(licenseVerifications)
      .where(and(eq(licenseVerifications.licenseId, lic.id), eq(licenseVerifications.orgId, actor.orgId)))
      .returning({ id: licenseVerifications.id });
    if (!gone.length) throw conflict('This license is not verified by your organization.');
    await tx.insert(applicationEvents).values({
      applicationId: v.applicationId,
      actorId: actor.userId,
      kind: EVENT_KINDS.licenseUnverified,
      data: { licenseId: lic.id, credential: lic.credentialCode, state: lic.state },
      createdAt: now,
    });
    return { licenseId: lic.id };
  });
}

export { PIPELINE_STAGES };
