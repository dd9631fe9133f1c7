import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { getPublicJob } from '#lib/jobs/queries';
import { applicationAnswers, applicationEvents, applications, eeoResponses, jobs, organizations, screeningQuestions } from '#db/schema';
import { conflict, invalid, notFound } from '#lib/shared/errors';
import { jobState } from '#lib/jobs/queries';
import { formatDate } from '#lib/domain/format';
import { ensureProfileRow, refreshProfileSearchText } from '#lib/profile/search-text';
import { ownResume, readUpload, saveResume } from '#lib/resumes/service';
import type { ResumeStore } from '#lib/resumes/storage';
import { parseOrThrow } from '#lib/shared/forms';
import { notifyCandidate, type Notifier } from './notify';
import { notifyNewApplication } from '#lib/team-notify/emails';
import { applySchema, type ApplyInput, type EeoAnswers } from './schema';
import { EVENT_KINDS } from './stages';
import { applicationKey } from './report-rollups';
import type { ClockOpts } from '#lib/shared/clock';

/**
 * Applying. Exactly one live application per (job, candidate), however many
 * identical submits race (double click, two tabs, a retry): the insert is
 * `on conflict (job_id, candidate_id) where stage <> 'withdrawn' do nothing` on
 * the partial unique index (a withdrawn application stays in the history and
 * the candidate may apply again), and
 * every loser returns the application that won. A knockout answer never
 * stops an application: it is recorded and marked (knockout_failed), so
 * nothing the candidate sent is lost.
 */
export type Question = typeof screeningQuestions.$inferSelect;

export interface CheckedAnswer {
  questionId: string;
  answer: string;
  knockout: boolean;
}

/** The candidate's answers against the job's questions (pure). Throws `invalid` with one message per question. */
export function checkAnswers(questions: readonly Question[], answers: Record<string, string>): CheckedAnswer[] {
  const fields: Record<string, string[]> = {};
  const out: CheckedAnswer[] = [];
  const known = new Set(questions.map((q) => q.id));
  for (const id of Object.keys(answers)) if (!known.has(id)) fields[`answer.${id}`] = ['This question is no longer part of the posting. Reload the page.'];
  for (const q of questions) {
    const key = `answer.${q.id}`;
    const a = (answers[q.id] ?? '').trim();
    if (!a) {
      if (q.required) fields[key] = [`Answer “${q.prompt}”.`];
      continue;
    }
    let value = a;
    if (q.kind === 'yes_no') {
      const v = a.toLowerCase();
      if (v !== 'yes' && v !== 'no') {
        fields[key] = [`Answer “${q.prompt}” with yes or no.`];
        continue;
      }
      value = v;
    } else if (q.kind === 'single_choice') {
      const match = q.options.find((o) => o === a) ?? q.options.find((o) => o.toLowerCase() === a.toLowerCase());
      if (!match) {
        fields[key] = [`Choose one of the answers offered for “${q.prompt}”.`];
        continue;
      }
      value = match;
    }
    const knockout = q.knockoutAnswer !== null && q.kind !== 'short_text' && value.toLowerCase() === q.knockoutAnswer.toLowerCase();
    out.push({ questionId: q.id, answer: value, knockout });
  }
  const n = Object.keys(fields).length;
  if (n) throw invalid(n === 1 ? Object.values(fields)[0]![0]! : `Answer the ${n} screening questions marked below.`, fields);
  return out;
}

/** The EEO answers worth storing: those not declined. Null when the candidate declined everything. */
export function eeoToStore(eeo: EeoAnswers): Record<string, string> | null {
  const kept = Object.fromEntries(Object.entries(eeo).filter(([, v]) => v && v !== 'decline'));
  return Object.keys(kept).length ? kept : null;
}

export interface ApplyDeps {
  store: ResumeStore;
  notifier?: Notifier;
}

export interface ApplyResult {
  applicationId: string;
  /** false: the candidate had already applied; nothing new was written. */
  created: boolean;
  knockoutFailed: boolean;
  jobSlug: string;
}

async function existingApplication(db: Pick<Db, 'select'>, jobId: string, candidateId: string) {
  const [a] = await db
    .select({ id: applications.id, knockoutFailed: applications.knockoutFailed })
    .from(applications)
    .where(and(eq(applications.jobId, jobId), eq(applications.candidateId, candidateId), ne(applications.stage, 'withdrawn')))
    .limit(1);
  return a ?? null;
}

export async function submitApplication(db: Db, deps: ApplyDeps, candidateId: string, raw: ApplyInput, opts: ClockOpts = {}): Promise<ApplyResult> {
  const v = parseOrThrow(applySchema, raw);
  const now = opts.now ?? new Date();
  // Independent reads at once: the job, an application already there, the job's questions.
  const [[found], before, questions] = await Promise.all([
    db
      .select({ job: jobs, orgName: organizations.name })
      .from(jobs)
      .innerJoin(organizations, eq(organizations.id, jobs.orgId))
      .where(eq(jobs.id, v.jobId))
      .limit(1),
    existingApplication(db, v.jobId, candidateId),
    db.select().from(screeningQuestions).where(eq(screeningQuestions.jobId, v.jobId)).orderBy(asc(screeningQuestions.position)),
  ]);
  if (!found || found.job.status === 'draft') throw notFound();
  const job = found.job;

  // Already applied: answer with that application before looking at anything else (a retry after success).
  if (before) return { applicationId: before.id, created: false, knockoutFailed: before.knockoutFailed, jobSlug: job.slug };

  const state = jobState(job, now);
  if (!state.open) {
    throw conflict(
      state.closedReason === 'expired'
        ? `This posting expired on ${formatDate(job.validThrough)} and no longer takes applications.`
        : 'This posting is closed and no longer takes applications.',
    );
  }

  const answers = checkAnswers(questions, v.answers);
  const knockoutFailed = answers.some((a) => a.knockout);

  let resumeId: string;
  if (v.resumeFile) {
    const upload = await readUpload(v.resumeFile);
    resumeId = (await saveResume(db, deps.store, candidateId, upload)).resume.id;
  } else if (v.resumeId) {
    const own = await ownResume(db, candidateId, v.resumeId);
    if (!own)
      throw invalid('Choose one of your resumes, or upload one.', {
        resume: ['Choose one of your resumes, or upload one.'],
      });
    resumeId = own.id;
  } else {
    throw invalid('Attach a resume: choose one you uploaded before, or upload a PDF or Word file.', {
      resume: ['Attach a resume.'],
    });
  }

  const eeo = eeoToStore(v.eeo);
  const result = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(applications)
      .values({
        jobId: job.id,
        candidateId,
        resumeId,
        coverNote: v.coverNote,
        knockoutFailed,
        source: v.source,
        stage: 'applied',
        stageEnteredAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({
        target: [applications.jobId, applications.candidateId],
        where: sql`stage <> 'withdrawn'`,
      })
      .returning({ id: applications.id });
    if (!created) return null; // another submit won; it wrote the answers, the event and the EEO row
    if (answers.length) await tx.insert(applicationAnswers).values(answers.map((a) => ({ applicationId: created.id, ...a })));
    await tx.insert(applicationEvents).values({
      applicationId: created.id,
      actorId: candidateId,
      kind: EVENT_KINDS.applied,
      toStage: 'applied',
      data: {
        knockoutFailed,
        knockoutQuestions: answers.filter((a) => a.knockout).map((a) => a.questionId),
        answered: answers.length,
      },
      createdAt: now,
    });
    if (eeo) {
      // No candidate or application id, and only the day: the row cannot be joined back to a person by time either.
      // The keyed hash lets the server keep furthest_stage current for the fairness report without the row naming the application.
      const knockoutAsked = questions.filter((q) => q.knockoutAnswer !== null && answers.some((a) => a.questionId === q.id)).map((q) => q.id);
      await tx.insert(eeoResponses).values({
        orgId: job.orgId,
        jobId: job.id,
        answers: eeo,
        applicationKey: await applicationKey(tx, created.id),
        furthestStage: 'applied',
        knockoutAsked,
        knockedOutBy: answers.filter((a) => a.knockout).map((a) => a.questionId),
        createdAt: sql`date_trunc('day', now())` as unknown as Date,
      });
    }
    // Searchable from the first application, even without a saved profile (profile edits keep it current after that).
    await ensureProfileRow(tx, candidateId);
    await refreshProfileSearchText(tx, [candidateId], { onlyIfEmpty: true });
    // The confirmation email is queued with the application: both or neither.
    await notifyCandidate(tx, deps.notifier, created.id, 'applied');
    // Members who follow the job instantly hear of it in the same transaction (digest followers: runJobDigests).
    if (deps.notifier) await notifyNewApplication(tx, deps.notifier.siteUrl, created.id);
    return created.id;
  });

  if (!result) {
    const winner = await existingApplication(db, job.id, candidateId);
    if (!winner) throw new Error('application missing after a conflicting insert');
    return { applicationId: winner.id, created: false, knockoutFailed: winner.knockoutFailed, jobSlug: job.slug };
  }
  return { applicationId: result, created: true, knockoutFailed, jobSlug: job.slug };
}

/** What the apply page needs: the job as the public sees it, and whether this candidate already applied. */
export async function applyContext(db: Db, slug: string, candidateId: string, now = new Date()) {
  const found = await getPublicJob(db, slug, now);
  if (!found) return null;
  const [existing, [org]] = await Promise.all([
    existingApplication(db, found.job.id, candidateId),
    db.select({ retentionMonths: organizations.retentionMonths }).from(organizations).where(eq(organizations.id, found.org.id)),
  ]);
  // How long the organization keeps an ended application: the apply form tells the candidate.
  return { ...found, orgName: found.org.name, orgSlug: found.org.slug, existing, retentionMonths: org?.retentionMonths ?? 24 };
}
