import { LRUCache } from 'lru-cache';
import { Meilisearch, type Index } from 'meilisearch';
import { createBreaker, type CircuitBreaker } from './breaker';
import type { JobDocument } from './documents';
import { createFallbackGate, type FallbackGate } from './fallback-gate';
import { createLatencyWindow, type LatencyWindow } from './latency';
import { jobIndexSettings } from './settings';
import { keepAliveHttpClient, MeiliHttpError } from './transport';
import type { SearchResult } from './types';

/** A user-facing search outlived its (adaptive) timeout: the engine may be busy rather than down. */
export class SearchTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Meilisearch did not answer within ${timeoutMs} ms`);
    this.name = 'SearchTimeoutError';
  }
}

/**
 * down: refused, reset, 5xx, or silent for a long time; the breaker opens and PostgreSQL answers.
 * busy: slow but still answering; PostgreSQL (far more expensive) is left alone and the search is shed.
 */
export type FailureKind = 'busy' | 'down';

/** The Meilisearch side of search: one client, the jobs index, settings and health. */
export interface SearchEngine {
  /** Where the engine listens and its key: for the few calls the client has no streaming form of (reindex.ts). */
  url: string;
  apiKey?: string;
  client: Meilisearch;
  /** A second client for user-facing searches: its timeout adapts to recent latency (see latency.ts). */
  searchClient: Meilisearch;
  indexName: string;
  /** The fresh index (fresh.ts), when on: its name, and how long a change waits there before the main index takes it. */
  fresh?: { indexName: string; holdMs: number };
  index(): Index<JobDocument>;
  healthy(): Promise<boolean>;
  /** Skips this engine's searches for a while after it was found down (see breaker.ts). */
  breaker: CircuitBreaker;
  /** Recent search latency; its timeoutMs() is the next search's timeout. */
  latency: LatencyWindow;
  /** Bounds the PostgreSQL searches made while this engine is down. */
  fallback: FallbackGate;
  /** Identical anonymous searches answered within a few seconds share one answer; undefined when off. */
  cache?: LRUCache<string, Promise<SearchResult>>;
  /** Tells a busy engine from a down one, given what a search threw. */
  failureKind(err: unknown): FailureKind;
  /** Requests sent by searchClient (for tests and the benchmark). */
  readonly searchRequests: number;
}

export interface EngineOptions {
  url: string;
  apiKey?: string;
  indexName: string;
  /** The floor of the adaptive search timeout; with no recent latency it is the timeout. */
  searchTimeoutMs: number;
  /** The adaptive timeout never exceeds this (default 10 s). */
  searchTimeoutCapMs?: number;
  /** Default: a breaker of its own that stays open 5 s after the engine was found down. */
  breaker?: CircuitBreaker;
  /** PostgreSQL fallback searches at once (default 3), waiting (default 8) and their longest wait (default 1 s). */
  fallback?: { limit?: number; queue?: number; maxWaitMs?: number };
  /** How long a change is served from the fresh index before the main index takes it (fresh.ts); 0 (the default) turns the fresh index off. */
  freshHoldMs?: number;
  /** How long an identical search's answer is reused; 0 (the default) turns the cache off. */
  cacheTtlMs?: number;
  /** An engine that answered within this long is alive, so a timeout means busy (default 10 s). */
  aliveWindowMs?: number;
  now?: () => number;
}

export const DEFAULT_FALLBACK = { limit: 3, queue: 8, maxWaitMs: 1000 };
export const ALIVE_WINDOW_MS = 10_000;

/** Walks an error's cause chain (the meilisearch client wraps what its httpClient throws). */
function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err, i = 0; e && i < 5; i++) {
    out.push(e);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

export function createEngine(opts: EngineOptions): SearchEngine {
  const now = opts.now ?? Date.now;
  const aliveWindow = opts.aliveWindowMs ?? ALIVE_WINDOW_MS;
  const latency = createLatencyWindow({ floorMs: opts.searchTimeoutMs, capMs: opts.searchTimeoutCapMs });
  /** When the engine last answered a search at all (an error status is an answer too); undefined: never. */
  let lastAnswerAt: number | undefined;
  let searchRequests = 0;

  /** keepAliveHttpClient with the adaptive timeout, recording latency and whether the engine answered. */
  const searchHttpClient = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<unknown> => {
    searchRequests++;
    const timeoutMs = latency.timeoutMs();
    const timer = new AbortController();
    const t = setTimeout(() => timer.abort(), timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timer.signal]) : timer.signal;
    const t0 = performance.now();
    try {
      const body = await keepAliveHttpClient(input, { ...init, signal });
      latency.record(performance.now() - t0);
      lastAnswerAt = now();
      return body;
    } catch (err) {
      if (timer.signal.aborted) {
        latency.record(timeoutMs);
        throw new SearchTimeoutError(timeoutMs);
      }
      if (err instanceof MeiliHttpError) lastAnswerAt = now();
      throw err;
    } finally {
      clearTimeout(t);
    }
  };

  const base = { host: opts.url, apiKey: opts.apiKey, httpClient: keepAliveHttpClient };
  const client = new Meilisearch({ ...base, timeout: 30_000 });
  const searchClient = new Meilisearch({ ...base, httpClient: searchHttpClient });
  const healthClient = new Meilisearch({ ...base, timeout: 1000 });
  const ttl = opts.cacheTtlMs ?? 0;
  return {
    url: opts.url,
    apiKey: opts.apiKey,
    client,
    searchClient,
    indexName: opts.indexName,
    fresh: opts.freshHoldMs ? { indexName: freshIndexName(opts.indexName), holdMs: opts.freshHoldMs } : undefined,
    breaker: opts.breaker ?? createBreaker(),
    latency,
    fallback: createFallbackGate({ ...DEFAULT_FALLBACK, ...opts.fallback }),
    cache: ttl > 0 ? new LRUCache<string, Promise<SearchResult>>({ max: 500, ttl, ttlResolution: 0, perf: { now } }) : undefined,
    get searchRequests() {
      return searchRequests;
    },
    failureKind(err) {
      const chain = causes(err);
      const timedOut = chain.some((e) => e instanceof SearchTimeoutError);
      // A timeout from an engine that answered recently is load; one that has not answered for the
      // whole alive window (or ever) is hung, which is down. 4xx statuses are answers and count as down
      // only in the sense that this search cannot be served by it (a missing index, say).
      if (timedOut) return lastAnswerAt !== undefined && now() - lastAnswerAt < aliveWindow ? 'busy' : 'down';
      return 'down';
    },
    index: () => client.index<JobDocument>(opts.indexName),
    healthy: async () => {
      try {
        const h = await healthClient.health();
        return h.status === 'available';
      } catch {
        return false;
      }
    },
  };
}

/** The fresh index beside a main index of this name. */
function freshIndexName(indexName: string): string {
  return `${indexName}_fresh`;
}

/**
 * Creates the index if missing and applies settings; a no-op task when nothing changed. For the
 * engine's own index, the fresh index too when it is on, with the same settings so that rankings
 * from the two compare (meili-search.ts merges them).
 */
export async function ensureIndex(engine: SearchEngine, name = engine.indexName): Promise<void> {
  await ensureOne(engine, name, false);
  if (engine.fresh && name === engine.indexName) await ensureOne(engine, engine.fresh.indexName, true);
}

async function ensureOne(engine: SearchEngine, uid: string, fresh: boolean): Promise<void> {
  try {
    await engine.client.getIndex(uid);
  } catch {
    await engine.client.createIndex(uid, { primaryKey: 'id' }).waitTask({ timeout: 30_000 });
  }
  const task = await engine.client.index(uid).updateSettings(jobIndexSettings({ fresh })).waitTask({ timeout: 120_000 });
  if (task.status !== 'succeeded') throw new Error(`Applying index settings failed: ${task.error?.message ?? task.status}`);
}
