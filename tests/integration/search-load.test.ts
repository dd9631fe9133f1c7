import crypto from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBreaker } from '#lib/search/breaker';
import { createEngine, ensureIndex, type EngineOptions, type SearchEngine } from '#lib/search/engine';
import { SearchBusyError } from '#lib/search/service';
import type { SearchResult } from '#lib/search/types';
import { makeJob, makeOrg } from '../helpers/factories';
import { drainAll, search } from '../helpers/search';
import { hasMeili, hasPostgres, services, skipReason } from '../helpers/services';
import { tcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { useTestDb } from '../helpers/test-db';

/**
 * Issue 13, "Search must not collapse under load": a busy engine (slow, still answering)
 * is told apart from a down one (refused); only down falls back to PostgreSQL, the fallback
 * is bounded and sheds the excess, and identical searches share one answer for a few seconds.
 * Meilisearch sits behind a TCP proxy that can add latency or refuse connections.
 */
describe.skipIf(!hasPostgres || !hasMeili)(`search under load (${skipReason})`, () => {
  const h = useTestDb();
  const indexName = `jobs_${crypto.randomBytes(5).toString('hex')}`;
  let proxy: TcpProxy;
  /** The engines' clock (breaker, cache TTL, liveness); it moves only when a test says so. */
  let now = 1_000_000;

  /** An engine on the proxied Meilisearch with the shared index, and a clock of its own. */
  const engineVia = (over: Partial<EngineOptions> = {}): SearchEngine =>
    createEngine({
      url: `http://127.0.0.1:${proxy.port}`,
      indexName,
      searchTimeoutMs: 200,
      breaker: createBreaker({ now: () => now }),
      now: () => now,
      ...over,
    });

  /** A search's answer, or 'shed' when it was refused for load. */
  const attempt = async (engine: SearchEngine, qs: string): Promise<SearchResult | 'shed'> => {
    try {
      return await search(h.db, engine, qs);
    } catch (err) {
      if (err instanceof SearchBusyError) return 'shed';
      throw err;
    }
  };

  beforeAll(async () => {
    const meili = new URL(services.meiliUrl);
    proxy = await tcpProxy({ host: meili.hostname, port: Number(meili.port) });
    const engine = engineVia({ searchTimeoutMs: 5000 });
    await ensureIndex(engine);
    const org = await makeOrg(h.db, 'Harbor Behavioral Health');
    for (const state of ['PA', 'PA', 'OH']) await makeJob(h.db, org.id, { title: 'IOP Therapist', state });
    await drainAll(h.db, engine);
  });
  afterAll(async () => {
    proxy.setDelay(0);
    await proxy.up().catch(() => {});
    await engineVia({ searchTimeoutMs: 5000 }).client.deleteIndex(indexName);
    await proxy.close();
  });

  it('gives a slow but alive engine time: no PostgreSQL fallback, breaker closed', async () => {
    const engine = engineVia();
    for (let i = 0; i < 5; i++) expect((await search(h.db, engine, 'state=PA')).engine).toBe('meilisearch');
    // Now every answer takes 250 ms, past the configured 200 ms timeout.
    proxy.setDelay(250);
    try {
      const answers: (SearchResult | 'shed')[] = [];
      for (let i = 0; i < 6; i++) answers.push(await attempt(engine, 'q=therapist'));
      const engines = answers.map((a) => (a === 'shed' ? a : a.engine));
      expect(engines).not.toContain('postgres');
      expect(engine.breaker.isOpen()).toBe(false);
      // The first search or two time out and are shed (never sent to PostgreSQL); the timeout then
      // follows the engine's latency and it answers again.
      expect(engines.filter((e) => e === 'shed').length).toBeLessThanOrEqual(2);
      expect(engines.at(-1)).toBe('meilisearch');
      expect(engine.latency.timeoutMs()).toBeGreaterThan(250);
    } finally {
      proxy.setDelay(0);
    }
  });

  it('falls back to PostgreSQL when the engine is down (connection refused), and opens the breaker', async () => {
    const engine = engineVia();
    expect((await search(h.db, engine, 'state=PA')).engine).toBe('meilisearch');
    await proxy.down();
    try {
      const r = await search(h.db, engine, 'state=PA');
      expect(r.engine).toBe('postgres');
      expect(r.total).toBe(2);
      expect(engine.breaker.isOpen()).toBe(true);
    } finally {
      await proxy.up();
    }
  });

  it('sheds fallback searches past its concurrency limit at once, with a retry hint', async () => {
    const engine = engineVia({ fallback: { limit: 1, queue: 0 } });
    engine.breaker.trip(); // down: every search goes to PostgreSQL
    // Hold PostgreSQL's jobs table so the first fallback search is slow while it holds the only slot.
    const locker = postgres(h.url, { max: 1, onnotice: () => {} });
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const tx = locker.begin(async (sql) => {
      await sql`lock table jobs in access exclusive mode`;
      locked();
      await held;
    });
    try {
      await isLocked;
      const first = search(h.db, engine, 'state=PA');
      let firstDone = false;
      void first.finally(() => {
        firstDone = true;
      });
      // On code without a limit the second search would wait on the lock too: give it a deadline to be refused by.
      const second = Promise.race([
        search(h.db, engine, 'state=OH'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('not refused within 2 s')), 2000)),
      ]);
      await expect(second).rejects.toMatchObject({ code: 'search_busy', retryAfterSeconds: expect.any(Number) });
      expect(firstDone).toBe(false); // refused while the first was still waiting on PostgreSQL, not after
      release();
      expect((await first).engine).toBe('postgres');
    } finally {
      release();
      await tx;
      await locker.end();
    }
  });

  it('answers identical anonymous searches within the TTL from the cache, never per-user ones', async () => {
    const engine = engineVia({ cacheTtlMs: 3000 });
    const calls = () => engine.searchRequests;
    const a = await search(h.db, engine, 'state=PA&q=therapist');
    expect(calls()).toBe(1);
    // Same query, spelled differently (parameter order): same normalized key.
    expect(await search(h.db, engine, 'q=therapist&state=PA')).toEqual(a);
    await Promise.all([1, 2, 3].map(() => search(h.db, engine, 'state=OH')));
    expect(calls()).toBe(2); // concurrent identical searches share one engine call
    now += 3001;
    await search(h.db, engine, 'state=PA&q=therapist');
    expect(calls()).toBe(3); // past the TTL: asked again
    // "Jobs I qualify for" depends on who asks: never cached.
    const { searchJobs } = await import('#lib/search/service');
    const { parseSearchParams } = await import('#lib/search/params');
    const qualified = parseSearchParams(new URLSearchParams('qualified=1'));
    await searchJobs({ db: h.db, engine }, qualified, { licenses: [] });
    await searchJobs({ db: h.db, engine }, qualified, { licenses: [] });
    expect(calls()).toBe(5);
  });
});
