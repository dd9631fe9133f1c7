import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import {
  applicationAnswers,
  applicationEvents,
  applicationNotes,
  applicationRatings,
  applicationStageStays,
  applications,
  candidateProfiles,
  jobDailyStats,
  jobs,
  licenses,
  licenseVerifications,
  members,
  organizations,
  screeningQuestions,
  users,
} from '../schema';
import { hashPassword } from '#lib/auth/password';
import { randomToken } from '#lib/shared/tokens';
import type { ApplicationStage } from '#lib/domain/taxonomy';
import type { ApplicationSource, PipelineStage } from '#lib/domain/sources';
import { DEMO_ORGS } from './index';
import { createRng } from './random';

/**
 * A live pipeline for the demo organization, so the pipeline, screening and reports are
 * not empty on first start: applicants (who cannot sign in: random passwords) with
 * verified, expiring and expired licenses, applications at every stage with their
 * history, notes, ratings and knockout answers. Runs after seedJobs; skipped when the
 * organization already has applications.
 */
const DAY = 86_400_000;

interface DemoLicense {
  code: string;
  /** The issuing state; null for a national certification. */
  state: string | null;
  /** Days from the seed's day until it expires; negative: already expired. */
  expiresInDays: number;
  compact: boolean;
}

interface Applicant {
  name: string;
  city: string;
  state: string;
  headline: string;
  licenses: DemoLicense[];
}

function license(code: string, state: string | null, expiresInDays: number, { compact = false } = {}): DemoLicense {
  return { code, state, expiresInDays, compact };
}

function applicant(name: string, city: string, state: string, headline: string, ...licenses: DemoLicense[]): Applicant {
  return { name, city, state, headline, licenses };
}

/** The demo applicants, one a line: name, city, state, headline, then the licenses they hold (code, state, days to expiry). */
const APPLICANTS: readonly Applicant[] = [
  applicant('Jordan Ellis', 'Philadelphia', 'PA', 'LCSW, DBT-trained, adult PHP', license('LCSW', 'PA', 500)),
  applicant('Samira Haddad', 'Cherry Hill', 'NJ', 'LPC with co-occurring IOP experience', license('LPC', 'NJ', 300), license('LPC', 'PA', 25)),
  applicant('Marcus Bell', 'Wilmington', 'DE', 'Psychiatric RN, multistate license', license('RN', 'DE', 40, { compact: true })),
  applicant('Hannah Kowalski', 'Brooklyn', 'NY', 'LMFT, adolescent IOP', license('LMFT', 'NY', -60)),
  applicant('Luis Ortega', 'Allentown', 'PA', 'LMSW working toward LCSW', license('LMSW', 'PA', 200)),
  applicant('Grace Park', 'Princeton', 'NJ', 'LCSW, trauma-focused group therapist', license('LCSW', 'NJ', 700), license('LCSW', 'PA', 15)),
  applicant('Tobias Reed', 'Pittsburgh', 'PA', 'Certified peer specialist', license('CPRP', null, 365)),
  applicant('Nadia Petrova', 'Newark', 'NJ', 'LPC, eating disorder PHP', license('LPC', 'NJ', 90)),
  applicant('Evan Brooks', 'Harrisburg', 'PA', 'RN, inpatient to PHP', license('RN', 'PA', 400)),
  applicant('Keisha Johnson', 'Camden', 'NJ', 'LCSW, program coordinator', license('LCSW', 'NJ', 550)),
  applicant('Owen Murphy', 'Dover', 'DE', 'LPCMH, dual-diagnosis IOP', license('LPC', 'DE', 20)),
  applicant('Priscilla Nguyen', 'Lancaster', 'PA', 'LPC, adult PHP', license('LPC', 'PA', 330)),
  applicant('Daniel Avery', 'Trenton', 'NJ', 'New graduate, associate counselor', license('LAPC', 'NJ', 150)),
  applicant('Rosa Jimenez', 'Reading', 'PA', 'LCSW, evening IOP track', license('LCSW', 'PA', -10)),
];

/** Per job, the stages its applications sit at (every stage appears on every job). */
const STAGE_PLAN: readonly ApplicationStage[] = ['applied', 'applied', 'screening', 'interview', 'offer', 'hired', 'rejected', 'withdrawn'];
const PATH: readonly ApplicationStage[] = ['applied', 'screening', 'interview', 'offer', 'hired'];
/** The team's moves that brought a demo application to its stage (a withdrawal is the candidate's own). */
const stepsFor = (stage: ApplicationStage): ApplicationStage[] =>
  stage === 'rejected' ? ['screening', 'rejected'] : stage === 'withdrawn' ? [] : PATH.slice(1, PATH.indexOf(stage) + 1);
/** Where demo applicants came from, so the sources report has something to show. */
const DEMO_SOURCES: readonly ApplicationSource[] = ['search', 'search', 'alert', 'organization', 'direct', 'rss', 'feed', 'other'];
const NOTES = [
  'Strong DBT background; ask about evening availability.',
  'Phone screen went well. Wants the day track.',
  'References checked: two supervisors, both positive.',
  'Licensure looks right for the state; verify before the offer.',
];

export interface SeedPipelineResult {
  skipped: boolean;
  applications: number;
}

export async function seedDemoPipeline(db: Db, opts: { seed?: number | string; now?: Date; jobs?: number } = {}): Promise<SeedPipelineResult> {
  const now = opts.now ?? new Date();
  const rng = createRng(`pipeline:${opts.seed ?? 1}`);
  const slug = DEMO_ORGS[0]!.slug;
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
  if (!org) return { skipped: true, applications: 0 };
  const [any] = await db
    .select({ id: applications.id })
    .from(applications)
    .innerJoin(jobs, eq(jobs.id, applications.jobId))
    .where(eq(jobs.orgId, org.id))
    .limit(1);
  if (any) return { skipped: true, applications: 0 };

  const team = await db.select({ userId: members.userId, role: members.role }).from(members).where(eq(members.orgId, org.id));
  const recruiter = team.find((m) => m.role === 'recruiter')?.userId ?? team[0]?.userId ?? null;
  const manager = team.find((m) => m.role === 'hiring_manager')?.userId ?? recruiter;
  // Open postings, newest first: the ones a visitor finds on the dashboard.
  const open = await db
    .select({ id: jobs.id, state: jobs.state })
    .from(jobs)
    .where(and(eq(jobs.orgId, org.id), eq(jobs.status, 'published'), gt(jobs.validThrough, now)))
    .orderBy(sql`${jobs.createdAt} desc`)
    .limit(opts.jobs ?? 3);
  if (open.length === 0) return { skipped: true, applications: 0 };
  const questions = await db
    .select()
    .from(screeningQuestions)
    .where(
      inArray(
        screeningQuestions.jobId,
        open.map((j) => j.id),
      ),
    )
    .orderBy(asc(screeningQuestions.position));

  const passwordHash = await hashPassword(randomToken(20)); // nobody signs in as a demo applicant
  let count = 0;
  await db.transaction(async (tx) => {
    const people = await tx
      .insert(users)
      .values(
        APPLICANTS.map((a, i) => ({
          email: `applicant${i + 1}@demo.test`,
          name: a.name,
          passwordHash,
          emailVerifiedAt: new Date(now.getTime() - (20 + i) * DAY),
        })),
      )
      .onConflictDoNothing()
      .returning({ id: users.id, email: users.email });
    if (people.length !== APPLICANTS.length) return; // a previous partial seed: leave it
    await tx.insert(candidateProfiles).values(
      APPLICANTS.map((a, i) => ({
        userId: people[i]!.id,
        city: a.city,
        state: a.state,
        headline: a.headline,
        searchText: `${a.name} ${a.headline} ${a.city} ${a.state} ${a.licenses.map((l) => l.code).join(' ')}`,
      })),
    );
    const licRows = await tx
      .insert(licenses)
      .values(
        APPLICANTS.flatMap((a, i) =>
          a.licenses.map((l, k) => ({
            userId: people[i]!.id,
            credentialCode: l.code,
            state: l.state,
            number: `DEMO-${i + 1}${k}${rng.int(1000, 9999)}`,
            expiresOn: new Date(now.getTime() + l.expiresInDays * DAY).toISOString().slice(0, 10),
            compact: l.compact,
          })),
        ),
      )
      .returning({ id: licenses.id, userId: licenses.userId, expiresOn: licenses.expiresOn });
    // The team has verified about half of the current licenses against the state boards.
    const toVerify = licRows.filter((l, i) => i % 2 === 0 && (l.expiresOn ?? '') >= now.toISOString().slice(0, 10));
    if (toVerify.length)
      await tx.insert(licenseVerifications).values(
        toVerify.map((l) => ({
          licenseId: l.id,
          orgId: org.id,
          verifiedBy: recruiter,
          verifiedAt: new Date(now.getTime() - rng.int(1, 10) * DAY),
          lookupUrl: 'https://example.org/state-board/license-lookup',
        })),
      );

    for (const [j, job] of open.entries()) {
      // Two weeks of page views and apply starts (one per visitor per day, as the counter keeps them): the funnel's first steps.
      await tx.insert(jobDailyStats).values(
        Array.from({ length: 14 }, (_, d) => {
          const views = rng.int(6, 40);
          return { jobId: job.id, day: new Date(now.getTime() - d * DAY).toISOString().slice(0, 10), views, applyStarts: Math.floor(views / rng.int(3, 6)) };
        }),
      );
      const qs = questions.filter((q) => q.jobId === job.id);
      const knockoutQ = qs.find((q) => q.knockoutAnswer !== null && q.kind !== 'short_text');
      for (const [s, stage] of STAGE_PLAN.entries()) {
        const person = people[(j * 5 + s) % people.length]!;
        const applied = new Date(now.getTime() - (18 - s) * DAY - j * 3_600_000);
        // One applicant per job answers a knockout question "wrong": recorded and marked, never dropped.
        const knockout = s === 1 && knockoutQ !== undefined;
        const [app] = await tx
          .insert(applications)
          .values({
            jobId: job.id,
            candidateId: person.id,
            stage,
            rejectionReason: stage === 'rejected' ? 'Needs a license in the job’s state; revisit after they get it.' : null,
            knockoutFailed: knockout,
            version: 1 + (stage === 'withdrawn' ? 1 : stage === 'rejected' ? 2 : Math.max(0, PATH.indexOf(stage))),
            source: DEMO_SOURCES[(j + s) % DEMO_SOURCES.length]!,
            // The reports' rollups, as the pipeline's moves would have kept them (src/lib/applications/report-rollups.ts).
            furthestStage: stage === 'rejected' ? 'screening' : stage === 'withdrawn' ? 'applied' : (stage as PipelineStage),
            stageEnteredAt: new Date(applied.getTime() + (stage === 'withdrawn' ? 1 : stepsFor(stage).length) * DAY),
            firstReviewedAt: stepsFor(stage).length ? new Date(applied.getTime() + DAY) : null,
            hiredAt: stage === 'hired' ? new Date(applied.getTime() + stepsFor(stage).length * DAY) : null,
            createdAt: applied,
            updatedAt: new Date(applied.getTime() + DAY),
          })
          .returning({ id: applications.id });
        count++;
        const answers = qs.map((q) => {
          const answer =
            q.kind === 'yes_no'
              ? knockout && q === knockoutQ
                ? q.knockoutAnswer!
                : q.knockoutAnswer === 'no'
                  ? 'yes'
                  : 'no'
              : q.kind === 'single_choice'
                ? (q.options.find((o) => !(knockout && q === knockoutQ) || o === q.knockoutAnswer) ?? q.options[0] ?? 'Either')
                : 'Four years in adult PHP and IOP.';
          return { applicationId: app!.id, questionId: q.id, answer, knockout: knockout && q === knockoutQ };
        });
        if (answers.length) await tx.insert(applicationAnswers).values(answers);
        const events: (typeof applicationEvents.$inferInsert)[] = [
          {
            applicationId: app!.id,
            actorId: person.id,
            kind: 'applied',
            toStage: 'applied',
            createdAt: applied,
            data: { knockoutFailed: knockout },
          },
        ];
        const steps = stepsFor(stage);
        let from: string = 'applied';
        // Each stage it left is a finished stay, for the speed report (a withdrawal leaves Applied after a day).
        const left: ApplicationStage[] = stage === 'withdrawn' ? ['withdrawn'] : steps;
        const stays = left.map((_, k) => ({
          applicationId: app!.id,
          jobId: job.id,
          stage: k === 0 ? ('applied' as const) : left[k - 1]!,
          appliedAt: applied,
          enteredAt: new Date(applied.getTime() + k * DAY),
          leftAt: new Date(applied.getTime() + (k + 1) * DAY),
        }));
        if (stays.length) await tx.insert(applicationStageStays).values(stays);
        for (const [k, to] of steps.entries()) {
          events.push({
            applicationId: app!.id,
            actorId: k % 2 ? manager : recruiter,
            kind: 'stage_changed',
            fromStage: from,
            toStage: to,
            data: to === 'rejected' ? { reason: 'Needs a license in the job’s state' } : {},
            createdAt: new Date(applied.getTime() + (k + 1) * DAY),
          });
          from = to;
        }
        if (stage === 'withdrawn')
          events.push({
            applicationId: app!.id,
            actorId: person.id,
            kind: 'withdrawn',
            fromStage: 'applied',
            toStage: 'withdrawn',
            createdAt: new Date(applied.getTime() + DAY),
          });
        if (['screening', 'interview', 'offer', 'hired'].includes(stage)) {
          await tx.insert(applicationNotes).values({
            applicationId: app!.id,
            authorId: recruiter,
            body: NOTES[(j + s) % NOTES.length]!,
            createdAt: new Date(applied.getTime() + DAY),
          });
          events.push({
            applicationId: app!.id,
            actorId: recruiter,
            kind: 'note_added',
            createdAt: new Date(applied.getTime() + DAY),
          });
          const raters = [recruiter, manager].filter((u, i, all): u is string => !!u && all.indexOf(u) === i);
          await tx.insert(applicationRatings).values(
            raters.map((authorId) => ({
              applicationId: app!.id,
              authorId,
              rating: rng.int(3, 5),
              updatedAt: applied,
            })),
          );
        }
        await tx.insert(applicationEvents).values(events);
      }
    }
  });
  return { skipped: count === 0, applications: count };
}
