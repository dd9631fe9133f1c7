import type { DrainFailure, SearchWorkerOptions } from './outbox';

type Sink = Pick<Console, 'error' | 'info'>;

/** Names a few jobs and counts the rest, so a refused batch of 1,000 does not flood the log. */
function someJobs(ids: string[], shown = 10): string {
  return ids.length > shown ? `${ids.slice(0, shown).join(', ')} and ${ids.length - shown} more` : ids.join(', ');
}

export function describeFailure(f: DrainFailure): string {
  return f.kind === 'engine'
    ? `[outbox] search engine unavailable: ${f.message}. ${f.jobIds.length} job change(s) wait and are sent as soon as it answers again.`
    : `[outbox] search engine refused job(s) ${someJobs(f.jobIds)} (attempt ${f.attempts}): ${f.message}. Retried with backoff; these stay out of search until the cause is fixed.`;
}

/**
 * The outbox worker's log lines. An operator reads two different problems here: the engine is down
 * (changes wait, nothing to fix in the data; logged once per outage, because the worker probes rather
 * than retries while it is down) and a posting Meilisearch refuses (it stays out of search).
 */
export function outboxLogging(sink: Sink = console): Pick<SearchWorkerOptions, 'onError' | 'onFailure' | 'onRecovered' | 'onFreshFailure'> {
  return {
    onFreshFailure: (f) => sink.error(`[outbox] fresh index write failed: ${f.error}. ${f.skipped} job change(s) go to the main index instead, seconds later.`),
    onError: (err) => sink.error('[outbox] database error while syncing search:', err),
    onFailure: (f) => sink.error(describeFailure(f)),
    onRecovered: (n) => sink.info(`[outbox] search engine is back: sending ${n} held job change(s) now.`),
  };
}
