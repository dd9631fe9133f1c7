import { MeilisearchApiError, MeilisearchRequestError, MeilisearchTaskTimeOutError, type Task } from 'meilisearch';
import type { searchOutbox } from '#db/schema';
import { MeiliHttpError } from './transport';

/**
 * Why a batch of the search outbox could not be synced, which decides when it is tried again:
 *  - engine: Meilisearch could not be reached or could not do the work (connection refused or
 *    reset, a timeout, 5xx, 429, a rejected key, a task that failed inside the engine). The same
 *    documents will go through once the engine is healthy, so they are retried as soon as it
 *    answers again rather than after their backoff.
 *  - document: Meilisearch answered and refused what was sent (a 4xx about the request, a task
 *    that failed as an invalid request), or the documents could not be built. Retrying at once
 *    would fail the same way, so the batch keeps its backoff.
 */
export type SyncFailureKind = NonNullable<(typeof searchOutbox.$inferSelect)['errorKind']>;

/** A Meilisearch task that finished without succeeding; carries the engine's own error type. */
export class SyncTaskFailedError extends Error {
  readonly errorType: string | undefined;
  readonly errorCode: string | undefined;
  constructor(task: Pick<Task, 'status' | 'error' | 'uid'>) {
    super(task.error?.message ?? `Meilisearch task ${task.uid} ended ${task.status}`);
    this.name = 'SyncTaskFailedError';
    this.errorType = task.error?.type;
    this.errorCode = task.error?.code;
  }
}

/** Statuses that say nothing about the documents: the engine is overloaded, broken, or refuses our key. */
function statusKind(status: number): SyncFailureKind {
  if (status >= 500 || status === 408 || status === 429 || status === 401 || status === 403) return 'engine';
  return 'document';
}

export function classifySyncError(err: unknown): SyncFailureKind {
  if (err instanceof SyncTaskFailedError) {
    // Meilisearch error types: invalid_request (the documents or request), internal, auth, system (disk, memory).
    // A task canceled by an operator has no error and is simply sent again later, like an engine failure.
    return err.errorType === 'invalid_request' ? 'document' : 'engine';
  }
  if (err instanceof MeilisearchTaskTimeOutError) return 'engine';
  if (err instanceof MeiliHttpError) return statusKind(err.status);
  if (err instanceof MeilisearchApiError) return statusKind(err.response.status);
  if (err instanceof MeilisearchRequestError) {
    // The transport failed: an HTTP answer is judged by its status; anything else (ECONNREFUSED,
    // ECONNRESET, a timeout's AbortError) means the engine was not there to answer.
    return err.cause instanceof MeiliHttpError ? statusKind(err.cause.status) : 'engine';
  }
  return 'document';
}
