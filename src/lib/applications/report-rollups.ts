import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { secretKey } from '#lib/secrets';
import { pipelineRank, type PipelineStage } from '#lib/domain/sources';

/**
 * How the fairness report learns how far each EEO response's application got, without the response
 * ever naming the application. The EEO row carries application_key = HMAC-SHA256(server secret,
 * application id): given an application the server can find its row (to raise furthest_stage when
 * the application moves), but from a row nothing in the product leads back to an application — no
 * page, CSV or query the team can run shows the key, and the reports only count rows in groups of
 * at least five. The stage is copied onto the row, so the report reads eeo_responses alone and never
 * joins it to applications. (Someone holding both the database and the secret could recompute keys;
 * that is the same trust as the database itself, and the row still holds only day-rounded dates.)
 */
const SECRET_NAME = 'eeo-application-link';

type Executor = Pick<Db, 'execute' | 'insert' | 'select'>;

export async function applicationKey(db: Executor, applicationId: string): Promise<string> {
  const key = await secretKey(db as Db, SECRET_NAME);
  return crypto.createHmac('sha256', key).update(applicationId).digest('base64url');
}

/** Raises the EEO row's furthest stage (never lowers it); no row (the candidate declined everything) is fine. */
export async function recordEeoStage(db: Executor, applicationId: string, stage: string): Promise<void> {
  const rank = pipelineRank(stage);
  if (rank < 0) return; // rejected / withdrawn end the application where it was
  const key = await applicationKey(db, applicationId);
  await db.execute(sql`
    update eeo_responses set furthest_stage = ${stage}
    where application_key = ${key}
      and array_position(array['applied','screening','interview','offer','hired'], coalesce(furthest_stage, 'applied')) - 1 < ${rank}`);
}

/** The new furthest stage after a move to `to`. */
export function raiseFurthest(current: PipelineStage, to: string): PipelineStage {
  return pipelineRank(to) > pipelineRank(current) ? (to as PipelineStage) : current;
}

/**
 * Records the stay that a move or a withdrawal is about to end (call it before changing the stage, in
 * the same transaction): the speed report's rollup (application_stage_stays).
 */
export async function recordStageExit(db: Pick<Db, 'execute'>, applicationId: string, now: Date): Promise<void> {
  await db.execute(sql`
    insert into application_stage_stays (application_id, job_id, stage, applied_at, entered_at, left_at)
    select id, job_id, stage, created_at, stage_entered_at, ${now.toISOString()}::timestamptz from applications where id = ${applicationId}::uuid`);
}
