import { and, asc, eq, max, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Tx } from '#db/client';
import { interviewKits, jobs, kitCompetencies } from '#db/schema';
import type { KitActor } from './actor';
import { audit } from '#lib/audit/log';
import { JOB_EDITORS } from '#lib/domain/roles';
import { forbidden, invalid, notFound } from '#lib/shared/errors';
import { parseOrThrow } from '#lib/shared/forms';
import type { KitSourceLoader } from './kit-source';
import { competencyRefSchema, competencySchema, competencyUpdateSchema, KIT_LIMITS } from './schema';

/**
 * A job's interview kit: generated from the role's interview-prep guide the first time it is
 * needed (the kit page, the application page, a scorecard), then stored per job and edited by
 * the job's editors. Every read and write is scoped by the actor's organization: another
 * organization's job is not found.
 */

export interface KitCompetency {
  id: string;
  position: number;
  name: string;
  description: string;
  questions: string[];
}
export interface Kit {
  jobId: string;
  guideSlug: string | null;
  competencies: KitCompetency[];
}

export async function kitJob(db: Pick<Db, 'select'>, actor: KitActor, jobId: string) {
  const [job] = await db
    .select({ id: jobs.id, role: jobs.role, title: jobs.title })
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.orgId, actor.orgId)));
  if (!job) throw notFound();
  return job;
}

export async function readKit(db: Pick<Db, 'select'>, jobId: string): Promise<Kit | null> {
  const [kit] = await db.select({ guideSlug: interviewKits.guideSlug }).from(interviewKits).where(eq(interviewKits.jobId, jobId));
  if (!kit) return null;
  const competencies = await db
    .select({
      id: kitCompetencies.id,
      position: kitCompetencies.position,
      name: kitCompetencies.name,
      description: kitCompetencies.description,
      questions: kitCompetencies.questions,
    })
    .from(kitCompetencies)
    .where(eq(kitCompetencies.jobId, jobId))
    .orderBy(asc(kitCompetencies.position), asc(kitCompetencies.createdAt));
  return { jobId, guideSlug: kit.guideSlug, competencies };
}

/** The job's kit, made from its role's guide when it does not exist yet (two first readers at once make one kit). */
export async function ensureKit(db: Db, actor: KitActor, jobId: string, load: KitSourceLoader): Promise<Kit> {
  const job = await kitJob(db, actor, jobId);
  const existing = await readKit(db, job.id);
  if (existing) return existing;
  const source = await load(job.role);
  await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(interviewKits)
      .values({ jobId: job.id, orgId: actor.orgId, guideSlug: source.guideSlug })
      .onConflictDoNothing()
      .returning({ jobId: interviewKits.jobId });
    if (!created || source.competencies.length === 0) return;
    await tx.insert(kitCompetencies).values(
      source.competencies.slice(0, KIT_LIMITS.competencies).map((c, i) => ({
        jobId: job.id,
        position: i,
        name: c.name.slice(0, KIT_LIMITS.nameMax),
        description: c.description.slice(0, KIT_LIMITS.descriptionMax),
        questions: c.questions.slice(0, KIT_LIMITS.questions),
      })),
    );
  });
  return (await readKit(db, job.id))!;
}

function requireEditor(actor: KitActor): void {
  if (!JOB_EDITORS.includes(actor.role)) throw forbidden('Only admins and hiring managers edit interview kits.');
}

/** Locks the kit row: edits of one kit run one at a time, so the name and count checks hold. */
async function lockKit(tx: Tx, jobId: string): Promise<void> {
  await tx.select({ jobId: interviewKits.jobId }).from(interviewKits).where(eq(interviewKits.jobId, jobId)).for('update');
}

async function assertNameFree(tx: Tx, jobId: string, name: string, except?: string): Promise<void> {
  const [taken] = await tx
    .select({ id: kitCompetencies.id })
    .from(kitCompetencies)
    .where(and(eq(kitCompetencies.jobId, jobId), sql`lower(${kitCompetencies.name}) = lower(${name})`, except ? ne(kitCompetencies.id, except) : undefined));
  if (taken) throw invalid(`The kit already has a competency named “${name}”.`, { name: ['Choose a name the kit does not have yet.'] });
}

/**
 * An editor's change to a job's kit: they may edit it, the input is valid, the job is their organization's, and
 * `change` runs with the kit locked. `load` makes the kit from the guide first when the job has none yet (adding
 * to it); null: the change is to a competency, so the kit exists already.
 */
async function editKit<S extends z.ZodType<{ jobId: string }>, R>(
  db: Db,
  actor: KitActor,
  schema: S,
  raw: unknown,
  load: KitSourceLoader | null,
  change: (tx: Tx, v: z.output<S>) => Promise<R>,
): Promise<R> {
  requireEditor(actor);
  const v = parseOrThrow(schema, raw);
  await (load ? ensureKit(db, actor, v.jobId, load) : kitJob(db, actor, v.jobId));
  return db.transaction(async (tx) => {
    await lockKit(tx, v.jobId);
    return change(tx, v);
  });
}

/** The competency, if it is in the job's kit. */
const inKit = (v: { jobId: string; competencyId: string }) => and(eq(kitCompetencies.id, v.competencyId), eq(kitCompetencies.jobId, v.jobId));

export async function addCompetency(db: Db, actor: KitActor, raw: unknown, load: KitSourceLoader): Promise<{ competencyId: string }> {
  return editKit(db, actor, competencySchema, raw, load, async (tx, v) => {
    const [n] = await tx
      .select({ count: sql<number>`count(*)::int`, last: max(kitCompetencies.position) })
      .from(kitCompetencies)
      .where(eq(kitCompetencies.jobId, v.jobId));
    if (Number(n?.count ?? 0) >= KIT_LIMITS.competencies) throw invalid(`A kit holds at most ${KIT_LIMITS.competencies} competencies; remove one first.`);
    await assertNameFree(tx, v.jobId, v.name);
    const [row] = await tx
      .insert(kitCompetencies)
      .values({ jobId: v.jobId, position: (n?.last ?? -1) + 1, name: v.name, description: v.description, questions: v.questions })
      .returning({ id: kitCompetencies.id });
    await touch(tx, actor, v.jobId, 'interview_kit.competency_added', { name: v.name });
    return { competencyId: row!.id };
  });
}

export async function updateCompetency(db: Db, actor: KitActor, raw: unknown): Promise<{ competencyId: string }> {
  return editKit(db, actor, competencyUpdateSchema, raw, null, async (tx, v) => {
    const [prev] = await tx.select({ name: kitCompetencies.name }).from(kitCompetencies).where(inKit(v));
    if (!prev) throw notFound();
    await assertNameFree(tx, v.jobId, v.name, v.competencyId);
    await tx.update(kitCompetencies).set({ name: v.name, description: v.description, questions: v.questions }).where(eq(kitCompetencies.id, v.competencyId));
    await touch(tx, actor, v.jobId, 'interview_kit.competency_updated', prev.name === v.name ? { name: v.name } : { name: v.name, previous: prev.name });
    return { competencyId: v.competencyId };
  });
}

/** Removing a competency keeps the ratings already given for it (they read under its old name in the summary). */
export async function removeCompetency(db: Db, actor: KitActor, raw: unknown): Promise<{ name: string }> {
  return editKit(db, actor, competencyRefSchema, raw, null, async (tx, v) => {
    const [gone] = await tx.delete(kitCompetencies).where(inKit(v)).returning({ name: kitCompetencies.name });
    if (!gone) throw notFound();
    await touch(tx, actor, v.jobId, 'interview_kit.competency_removed', { name: gone.name });
    return { name: gone.name };
  });
}

async function touch(tx: Tx, actor: KitActor, jobId: string, action: string, data: Record<string, unknown>): Promise<void> {
  await tx.update(interviewKits).set({ updatedAt: new Date() }).where(eq(interviewKits.jobId, jobId));
  await audit(tx, actor, { entity: 'job', entityId: jobId, action, data });
}
