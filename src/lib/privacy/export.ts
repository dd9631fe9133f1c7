import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Db } from '#db/client';
import {
  accountEvents,
  applicationEvents,
  applications,
  candidateProfiles,
  jobs,
  licenses,
  members,
  organizations,
  resumes,
  savedJobs,
  savedSearchDeliveries,
  savedSearches,
  sessions,
  users,
} from '#db/schema';
import { screeningAnswers } from '#lib/applications/answers';
import { candidateHistoryText } from '#lib/applications/candidate';
import { interviewsForCandidate } from '#lib/interviews/scheduling';
import { threadForCandidate } from '#lib/messages/service';
import { offersForCandidate } from '#lib/offers/service';
import { CANDIDATE_STAGE_LABELS, CANDIDATE_VISIBLE_EVENTS } from '#lib/applications/stages';
import { enforce, keys, POLICIES } from '#lib/ratelimit';
import { readResumeFile, type ResumeStore } from '#lib/resumes/storage';

/**
 * "Download your data" (`GET /account/export`): a ZIP of JSON files — one per source below —
 * and the person's resume files, exactly as uploaded.
 *
 * What goes in is what the site holds about the person and what they can see: their
 * account, profile, licenses, resumes, applications with their answers and the events of
 * theirs they are shown, saved searches and alerts, sessions (never a secret hash) and
 * organizations they belong to. An organization's internal notes, ratings, rejection
 * reasons and verifications are that organization's records and are never read here —
 * every query below starts from the person's id, never from an organization.
 *
 * Each source is ONE entry in EXPORT_SOURCES: a new table about the person (messages,
 * offers they received…) adds its line.
 *
 * Bounded: the ZIP is streamed (fflate's streaming Zip) and built on demand — a file is
 * read and added only when the client has taken what came before (ReadableStream pull),
 * resumes are stored without recompression (PDF and DOCX are compressed already), so a
 * large account costs one file's memory at a time and a slow or gone client stops the work.
 */
export interface ExportContext {
  db: Db;
  store: ResumeStore;
  userId: string;
  /** The session asking, marked `current` in sessions.json. */
  sessionId: string | null;
  now: Date;
}

export interface ExportSource {
  file: string;
  collect: (c: ExportContext) => Promise<unknown>;
}

async function account({ db, userId }: ExportContext) {
  const [u] = await db
    .select({ id: users.id, name: users.name, email: users.email, emailVerifiedAt: users.emailVerifiedAt, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId));
  return u ?? null;
}

async function profile({ db, userId }: ExportContext) {
  const [p] = await db.select().from(candidateProfiles).where(eq(candidateProfiles.userId, userId));
  if (!p) return null;
  // searchText/searchVector are an index built from the fields already here.
  const { searchText: _t, searchVector: _v, ...rest } = p;
  return rest;
}

function myLicenses({ db, userId }: ExportContext) {
  return db
    .select({
      id: licenses.id,
      credential: licenses.credentialCode,
      state: licenses.state,
      number: licenses.number,
      expiresOn: licenses.expiresOn,
      compact: licenses.compact,
      createdAt: licenses.createdAt,
    })
    .from(licenses)
    .where(eq(licenses.userId, userId))
    .orderBy(asc(licenses.createdAt));
}

function resumeRows({ db, userId }: ExportContext) {
  return db.select().from(resumes).where(eq(resumes.userId, userId)).orderBy(asc(resumes.createdAt));
}

/** The path a resume's bytes get inside the ZIP: its id keeps names unique, its name stays readable. */
export function resumePath(r: { id: string; originalName: string }): string {
  const safe =
    r.originalName
      .normalize('NFKC')
      .replace(/[\\/:*?"<>|\p{Cc}]/gu, '_')
      .replace(/^\.+/, '')
      .slice(-120) || 'resume';
  return `resumes/${r.id}/${safe}`;
}

async function myApplications({ db, userId }: ExportContext) {
  const apps = await db
    .select({
      id: applications.id,
      stage: applications.stage,
      coverNote: applications.coverNote,
      resumeId: applications.resumeId,
      knockoutFailed: applications.knockoutFailed,
      createdAt: applications.createdAt,
      updatedAt: applications.updatedAt,
      job: { id: jobs.id, title: jobs.title, slug: jobs.slug, city: jobs.city, state: jobs.state },
      organization: organizations.name,
    })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .innerJoin(organizations, eq(organizations.id, jobs.orgId))
    .where(eq(applications.candidateId, userId))
    .orderBy(asc(applications.createdAt));
  const ids = apps.map((a) => a.id);
  if (!ids.length) return [];
  const [answers, events] = await Promise.all([
    screeningAnswers(db, ids),
    // Only the kinds the candidate's own page shows, with the same words; never the team's data.
    db
      .select({
        applicationId: applicationEvents.applicationId,
        kind: applicationEvents.kind,
        fromStage: applicationEvents.fromStage,
        toStage: applicationEvents.toStage,
        actorId: applicationEvents.actorId,
        at: applicationEvents.createdAt,
      })
      .from(applicationEvents)
      .where(and(inArray(applicationEvents.applicationId, ids), inArray(applicationEvents.kind, [...CANDIDATE_VISIBLE_EVENTS])))
      .orderBy(asc(applicationEvents.id)),
  ]);
  return apps.map((a) => ({
    ...a,
    status: CANDIDATE_STAGE_LABELS[a.stage],
    answers: answers.filter((x) => x.applicationId === a.id).map(({ prompt, answer }) => ({ question: prompt, answer })),
    history: events
      .filter((e) => e.applicationId === a.id)
      .map((e) => ({ at: e.at, by: e.actorId === userId ? 'you' : a.organization, text: candidateHistoryText(e), fromStage: e.fromStage, toStage: e.toStage })),
  }));
}

async function mySavedSearches({ db, userId }: ExportContext) {
  const list = await db.select().from(savedSearches).where(eq(savedSearches.userId, userId)).orderBy(asc(savedSearches.createdAt));
  const ids = list.map((s) => s.id);
  const sent = ids.length
    ? await db
        .select({ savedSearchId: savedSearchDeliveries.savedSearchId, jobId: savedSearchDeliveries.jobId, sentAt: savedSearchDeliveries.sentAt })
        .from(savedSearchDeliveries)
        .where(inArray(savedSearchDeliveries.savedSearchId, ids))
    : [];
  return list.map((s) => ({ ...s, alertsSent: sent.filter((d) => d.savedSearchId === s.id).map(({ jobId, sentAt }) => ({ jobId, sentAt })) }));
}

async function mySessions({ db, userId, sessionId }: ExportContext) {
  // Never the id (half of the cookie) or the secret's hash.
  const list = await db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastVerifiedAt: sessions.lastVerifiedAt, activeOrgId: sessions.activeOrgId })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastVerifiedAt));
  return list.map(({ id, ...s }) => ({ ...s, current: id === sessionId }));
}

function myMemberships({ db, userId }: ExportContext) {
  return db
    .select({ organization: organizations.name, slug: organizations.slug, role: members.role, since: members.createdAt })
    .from(members)
    .innerJoin(organizations, eq(organizations.id, members.orgId))
    .where(eq(members.userId, userId));
}

function myAccountEvents({ db, userId }: ExportContext) {
  return db
    .select({ kind: accountEvents.kind, at: accountEvents.createdAt })
    .from(accountEvents)
    .where(eq(accountEvents.userId, userId))
    .orderBy(asc(accountEvents.createdAt));
}

/**
 * Interviews, offers and the message thread of each application, read through the same functions that
 * build the candidate's own application page: what they can see there, never the team's side.
 */
async function myHiringLoop({ db, userId }: ExportContext) {
  const apps = await db.select({ id: applications.id }).from(applications).where(eq(applications.candidateId, userId)).orderBy(asc(applications.createdAt));
  return Promise.all(
    apps.map(async ({ id }) => {
      const [interviews, offers, messages] = await Promise.all([
        interviewsForCandidate(db, userId, id),
        offersForCandidate(db, userId, id),
        threadForCandidate(db, userId, id),
      ]);
      return { applicationId: id, interviews, offers, messages };
    }),
  );
}

function mySavedJobs({ db, userId }: ExportContext) {
  return db
    .select({ jobId: savedJobs.jobId, title: jobs.title, slug: jobs.slug, savedAt: savedJobs.createdAt })
    .from(savedJobs)
    .innerJoin(jobs, eq(jobs.id, savedJobs.jobId))
    .where(eq(savedJobs.userId, userId))
    .orderBy(asc(savedJobs.createdAt));
}

/** One entry per file; a new table about the person adds a line. */
export const EXPORT_SOURCES: ExportSource[] = [
  { file: 'account.json', collect: account },
  { file: 'profile.json', collect: profile },
  { file: 'licenses.json', collect: myLicenses },
  {
    file: 'resumes.json',
    collect: async (c) =>
      (await resumeRows(c)).map(({ storageKey: _k, searchVector: _v, textContent, ...r }) => ({ ...r, file: resumePath(r), extractedText: textContent })),
  },
  { file: 'applications.json', collect: myApplications },
  { file: 'interviews-offers-messages.json', collect: myHiringLoop },
  { file: 'saved-jobs.json', collect: mySavedJobs },
  { file: 'saved-searches.json', collect: mySavedSearches },
  { file: 'sessions.json', collect: mySessions },
  { file: 'organizations.json', collect: myMemberships },
  { file: 'account-activity.json', collect: myAccountEvents },
];

interface Entry {
  name: string;
  bytes: Uint8Array;
  /** Deflate (JSON) or store as is (resumes, compressed already). */
  deflate: boolean;
}

const json = (v: unknown) => strToU8(`${JSON.stringify(v, null, 2)}\n`);

/** The ZIP's files in order, each produced only when asked for. */
async function* entries(c: ExportContext): AsyncGenerator<Entry> {
  const files: string[] = [];
  for (const s of EXPORT_SOURCES) {
    files.push(s.file);
    yield { name: s.file, bytes: json(await s.collect(c)), deflate: true };
  }
  const missing: string[] = [];
  for (const r of await resumeRows(c)) {
    const bytes = await readResumeFile(c.store, r.storageKey);
    if (!bytes) {
      missing.push(resumePath(r));
      continue;
    }
    files.push(resumePath(r));
    yield { name: resumePath(r), bytes, deflate: false };
  }
  yield {
    name: 'README.json',
    bytes: json({
      generatedAt: c.now,
      files,
      ...(missing.length ? { resumeFilesNotFound: missing } : {}),
      notIncluded:
        'Employers’ internal notes, ratings, rejection reasons and license verifications are the hiring organization’s records and are not part of this export. Ask the organization for them.',
    }),
    deflate: true,
  };
}

/** How much of a file one pull adds: bounds the synchronous work (CRC, deflate) between yields to the event loop. */
const SLICE_BYTES = 256 * 1024;

/**
 * A ReadableStream of the ZIP: each pull adds the next slice of the next file, so the work follows
 * the client's pace and no step holds the event loop for more than one slice.
 */
export function exportZipStream(c: ExportContext): ReadableStream<Uint8Array> {
  const it = entries(c);
  const ready: Uint8Array[] = [];
  let failed: Error | null = null;
  let finished = false;
  let current: { file: ZipDeflate | ZipPassThrough; bytes: Uint8Array; at: number } | null = null;
  const zip = new Zip((err, chunk, final) => {
    if (err) failed = err;
    else ready.push(chunk);
    if (final) finished = true;
  });
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (!ready.length && !finished && !failed) {
          if (!current) {
            const next = await it.next();
            if (next.done) {
              zip.end();
              break;
            }
            const e = next.value;
            const file = e.deflate ? new ZipDeflate(e.name, { level: 6 }) : new ZipPassThrough(e.name);
            file.mtime = c.now;
            zip.add(file);
            current = { file, bytes: e.bytes, at: 0 };
          }
          const end = Math.min(current.at + SLICE_BYTES, current.bytes.length);
          const last = end === current.bytes.length;
          current.file.push(current.bytes.subarray(current.at, end), last);
          current.at = end;
          if (last) current = null;
          // Let timers and other requests run between slices (a resolved promise would not).
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } catch (err) {
        failed = err as Error;
      }
      if (failed) {
        controller.error(failed);
        return;
      }
      for (const chunk of ready.splice(0)) controller.enqueue(chunk);
      if (finished) controller.close();
    },
    async cancel() {
      zip.terminate();
      await it.return(undefined);
    },
  });
}

/** The download's file name. */
export const exportFileName = (now: Date) => `php-iop-jobs-my-data-${now.toISOString().slice(0, 10)}.zip`;

/**
 * Starts an export for the signed-in person: rate-limited per account (429 past the limit), and
 * recorded in their account activity (shown on the account page and inside later exports).
 */
export async function startExport(db: Db, store: ResumeStore, userId: string, sessionId: string | null, now = new Date()) {
  await enforce(db, [{ key: keys.id('exportAccount', userId), policy: POLICIES.exportAccount }], now);
  await db.insert(accountEvents).values({ userId, kind: 'data_exported', createdAt: now });
  return { fileName: exportFileName(now), stream: exportZipStream({ db, store, userId, sessionId, now }) };
}

/** When the person last downloaded their data (the account page says so). */
export async function lastExportAt(db: Db, userId: string): Promise<Date | null> {
  const [r] = await db
    .select({ at: accountEvents.createdAt })
    .from(accountEvents)
    .where(and(eq(accountEvents.userId, userId), eq(accountEvents.kind, 'data_exported')))
    .orderBy(desc(accountEvents.createdAt))
    .limit(1);
  return r?.at ?? null;
}
