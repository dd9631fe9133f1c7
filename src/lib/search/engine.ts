import { Meilisearch, type Index } from 'meilisearch';
import { createBreaker, type CircuitBreaker } from './breaker';
import type { JobDocument } from './documents';
import { jobIndexSettings } from './settings';
import { keepAliveHttpClient } from './transport';

/** The Meilisearch side of search: one client, the jobs index, settings and health. */
export interface SearchEngine {
  client: Meilisearch;
  /** A second client with a short timeout for user-facing searches. */
  searchClient: Meilisearch;
  indexName: string;
  index(): Index<JobDocument>;
  healthy(): Promise<boolean>;
  /** Skips this engine's searches for a while after one failed (see breaker.ts). */
  breaker: CircuitBreaker;
}

export interface EngineOptions {
  url: string;
  apiKey?: string;
  indexName: string;
  /** Timeout for user-facing searches; past it the caller falls back to PostgreSQL. */
  searchTimeoutMs: number;
  /** Default: a breaker of its own that stays open 5 s after a failed search. */
  breaker?: CircuitBreaker;
}

export function createEngine(opts: EngineOptions): SearchEngine {
  const base = { host: opts.url, apiKey: opts.apiKey, httpClient: keepAliveHttpClient };
  const client = new Meilisearch({ ...base, timeout: 30_000 });
  const searchClient = new Meilisearch({ ...base, timeout: opts.searchTimeoutMs });
  const healthClient = new Meilisearch({ ...base, timeout: 1000 });
  return {
    client,
    searchClient,
    indexName: opts.indexName,
    breaker: opts.breaker ?? createBreaker(),
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

/** Creates the index if missing and applies settings; a no-op task when nothing changed. */
export async function ensureIndex(engine: SearchEngine, name = engine.indexName): Promise<void> {
  try {
    await engine.client.getIndex(name);
  } catch {
    await engine.client.createIndex(name, { primaryKey: 'id' }).waitTask({ timeout: 30_000 });
  }
  const task = await engine.client.index(name).updateSettings(jobIndexSettings()).waitTask({ timeout: 120_000 });
  if (task.status !== 'succeeded') throw new Error(`Applying index settings failed: ${task.error?.message ?? task.status}`);
}
