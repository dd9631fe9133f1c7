import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '#db/client';
import { applicationEvents, applicationNotes, applicationRatings, applications, candidateProfiles, eeoResponses, jobs, resumes, users } from '#db/schema';
import { notFound } from '#lib/shared/errors';
import { todayIso, type Eligibility } from '#lib/licensure/eligibility';
import type { TeamActor } from './access';
import { screeningAnswers } from './answers';
import { EEO_QUESTIONS, EEO_FIELDS } from './schema';
import { ANONYMIZED_CANDIDATE, APPLICATION_STAGES, type ApplicationStage } from './stages';
import { type TeamLicense, eligibilityFor, jobCredentialMap, teamLicenses } from './team-licenses';

/** A team member's name by id, as a scalar subquery: null once the account is gone (notes and events outlive their authors). */
const nameOf = (id: AnyPgColumn) => sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${id})`;

/** The hiring team's reads: a job's pipeline, its EEO totals and one application in full, scoped to the member's organization. */

export interface PipelineCard {
  id: string;
  version: number;
  stage: ApplicationStage;
  /** Null once the application is anonymized (the name then reads ANONYMIZED_CANDIDATE, the email is empty). */
  candidateId: string | null;
  candidateName: string;
  candidateEmail: string;
  anonymized: boolean;
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
  const [job] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.orgId, actor.orgId)))
    .limit(1);
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
      avgRating: sql<
        string | null
      >`(select avg(${applicationRatings.rating})::numeric(3,2)::text from ${applicationRatings} where ${applicationRatings.applicationId} = ${applications.id})`,
      ratings: sql<number>`(select count(*)::int from ${applicationRatings} where ${applicationRatings.applicationId} = ${applications.id})`,
      myRating: sql<
        number | null
      >`(select ${applicationRatings.rating} from ${applicationRatings} where ${applicationRatings.applicationId} = ${applications.id} and ${applicationRatings.authorId} = ${actor.userId})`,
      notes: sql<number>`(select count(*)::int from ${applicationNotes} where ${applicationNotes.applicationId} = ${applications.id})`,
    })
    .from(applications)
    .leftJoin(users, eq(users.id, applications.candidateId))
    .where(eq(applications.jobId, job.id))
    .orderBy(desc(applications.createdAt), asc(applications.id))
    .limit(PIPELINE_MAX + 1);
  const truncated = rows.length > PIPELINE_MAX;
  const list = rows.slice(0, PIPELINE_MAX);
  const lics = await teamLicenses(db, actor.orgId, [...new Set(list.flatMap((r) => (r.a.candidateId ? [r.a.candidateId] : [])))], today);
  const cards: PipelineCard[] = list.map((r) => {
    const l = (r.a.candidateId && lics.get(r.a.candidateId)) || [];
    return {
      id: r.a.id,
      version: r.a.version,
      stage: r.a.stage,
      candidateId: r.a.candidateId,
      candidateName: r.name ?? ANONYMIZED_CANDIDATE,
      candidateEmail: r.email ?? '',
      anonymized: r.a.anonymizedAt !== null,
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
    .leftJoin(users, eq(users.id, applications.candidateId))
    .leftJoin(candidateProfiles, eq(candidateProfiles.userId, applications.candidateId))
    .leftJoin(resumes, eq(resumes.id, applications.resumeId))
    .where(and(eq(applications.id, applicationId), eq(jobs.orgId, actor.orgId)))
    .limit(1);
  if (!r) throw notFound();
  // An anonymized application has no person behind it: no name, email, profile or licenses.
  const candidate: { id: string | null; name: string; email: string | null } = r.candidate ?? { id: null, name: ANONYMIZED_CANDIDATE, email: null };
  const [creds, lics, answers, notes, ratings, events] = await Promise.all([
    jobCredentialMap(db, [r.job.id]),
    teamLicenses(db, actor.orgId, candidate.id ? [candidate.id] : [], today),
    screeningAnswers(db, [applicationId]),
    db
      .select({
        id: applicationNotes.id,
        body: applicationNotes.body,
        createdAt: applicationNotes.createdAt,
        author: nameOf(applicationNotes.authorId),
        authorId: applicationNotes.authorId,
      })
      .from(applicationNotes)
      .where(eq(applicationNotes.applicationId, applicationId))
      .orderBy(asc(applicationNotes.createdAt)),
    db
      .select({
        authorId: applicationRatings.authorId,
        author: nameOf(applicationRatings.authorId),
        rating: applicationRatings.rating,
        updatedAt: applicationRatings.updatedAt,
      })
      .from(applicationRatings)
      .where(eq(applicationRatings.applicationId, applicationId))
      .orderBy(asc(nameOf(applicationRatings.authorId))),
    db
      .select({ e: applicationEvents, actor: nameOf(applicationEvents.actorId) })
      .from(applicationEvents)
      .where(eq(applicationEvents.applicationId, applicationId))
      .orderBy(asc(applicationEvents.id)),
  ]);
  const job = { ...r.job, credentials: creds.get(r.job.id) ?? [] };
  const licenseList = (candidate.id && lics.get(candidate.id)) || [];
  const avg = ratings.length ? ratings.reduce((s, x) => s + x.rating, 0) / ratings.length : null;
  return {
    application: r.a,
    job,
    candidate,
    anonymized: r.a.anonymizedAt !== null,
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
