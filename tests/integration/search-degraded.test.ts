import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '#db/schema';
import { createEngine, ensureIndex, type SearchEngine } from '#lib/search/engine';
import { freePort, startLocalMeili, type LocalMeili } from '#lib/search/local-meili';
import { drainOnce, enqueueSearchSync, pendingCount, releaseEngineHeld } from '#lib/search/outbox';
import { reindex } from '#lib/search/reindex';
import { BREAKER_OPEN_MS, createBreaker } from '#lib/search/breaker';
import { makeJob, makeOrg } from '../helpers/factories';
import { drainAll, search } from '../helpers/search';
import { hasMeili, hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

/**
 * A Meilisearch of this file's own, so it can be stopped and restarted: the
 * fallback must answer the same, writes must keep succeeding, and the index
 * must converge to the database once the engine is back.
 */
describe.skipIf(!hasPostgres || !hasMeili)(`degraded search and convergence (${skipReason})`, () => {
  const h = useTestDb();
  let meili: LocalMeili;
  let engine: SearchEngine;
  let dir: string;
  let port: number;
  let orgId: string;
  /** The breaker's clock: it moves only when a test says time has passed. */
  let now = 0;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meili-degraded-'));
    port = await freePort();
    meili = await startLocalMeili({ dataDir: dir, port });
    engine = createEngine({
      url: meili.url,
      indexName: 'jobs',
      searchTimeoutMs: 2000,
      breaker: createBreaker({ now: () => now }),
    });
    await ensureIndex(engine);
    const org = await makeOrg(h.db, 'Lakeside Recovery');
    orgId = org.id;
    for (const [i, state] of ['PA', 'PA', 'OH', 'NJ', 'NY'].entries()) {
      await makeJob(h.db, org.id, { title: `IOP Therapist ${i}`, state, credentials: i % 2 ? ['LPC'] : ['LCSW'] });
    }
    await drainAll(h.db, engine);
  });
  afterAll(async () => {
    await meili?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ids = (r: { hits: { id: string }[] }) => r.hits.map((x) => x.id).sort();

  it('answers from PostgreSQL with the same results when Meilisearch stops, and says so', async () => {
    const before = await search(h.db, engine, 'state=PA&credential=LCSW&credential=LPC');
    expect(before.engine).toBe('meilisearch');
    await meili.stop();
    expect(await engine.healthy()).toBe(false);
    const during = await search(h.db, engine, 'state=PA&credential=LCSW&credential=LPC');
    expect(during.engine).toBe('postgres');
    expect(during.total).toBe(before.total);
    expect(ids(during)).toEqual(ids(before));
    expect(during.facets).toEqual(before.facets);
    // The failure opened this engine's breaker: the next searches skip Meilisearch instead of failing again.
    expect(engine.breaker.isOpen()).toBe(true);
  });

  it('keeps accepting writes while the engine is down, and converges when it returns', async () => {
    const added = await makeJob(h.db, orgId, { title: 'Written While Down', credentials: ['LMFT'] });
    const all = await h.db.select({ id: jobs.id }).from(jobs);
    const victim = all.find((j) => j.id !== added.id)!;
    await h.db.transaction(async (tx) => {
      await tx.update(jobs).set({ status: 'closed', updatedAt: new Date() }).where(eq(jobs.id, victim.id));
      await enqueueSearchSync(tx, [victim.id]);
    });
    const attempt = await drainOnce(h.db, engine);
    expect(attempt.failed).toBeGreaterThan(0);
    expect(attempt.failure?.kind).toBe('engine'); // connection refused: the engine's fault, not the documents'
    expect(await pendingCount(h.db)).toBe(2); // nothing lost: rows wait with backoff

    meili = await startLocalMeili({ dataDir: dir, port });
    now += BREAKER_OPEN_MS; // the breaker's open period has passed: searches try Meilisearch again
    // Backoff put the rows a little in the future; the engine is back, so they are due now (what the worker does).
    expect(await releaseEngineHeld(h.db)).toBe(2);
    await drainAll(h.db, engine);
    const r = await search(h.db, engine, '');
    expect(r.engine).toBe('meilisearch');
    const open = await h.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.status, 'published'));
    expect(ids(r)).toEqual(open.map((o) => o.id).sort());
  });

  it('falls back when Meilisearch accepts connections but has never answered (hung: down, not busy)', async () => {
    // A server that accepts connections and never answers: a hung engine.
    const hung = http.createServer(() => {});
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const { port: hungPort } = hung.address() as { port: number };
    try {
      const slow = createEngine({ url: `http://127.0.0.1:${hungPort}`, indexName: 'jobs', searchTimeoutMs: 300 });
      const t0 = Date.now();
      const r = await search(h.db, slow, 'state=PA');
      expect(r.engine).toBe('postgres');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
      expect(r.total).toBe((await search(h.db, engine, 'state=PA', { forceEngine: 'postgres' })).total);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  });

  it('reindexes into a fresh index and swaps it in while searches keep answering', async () => {
    let stop = false;
    const answers: number[] = [];
    const poller = (async () => {
      while (!stop) {
        const r = await search(h.db, engine, '');
        if (r.engine === 'meilisearch') answers.push(r.total);
      }
    })();
    const result = await reindex(h.db, engine);
    stop = true;
    await poller;
    const open = await h.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.status, 'published'));
    expect(result.indexed).toBe(open.length);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((n) => n === open.length)).toBe(true);
    const indexes = await engine.client.getIndexes({ limit: 100 });
    expect(indexes.results.map((i) => i.uid)).toEqual(['jobs']);
  });

  it('splits a reindex larger than one request body into several streamed uploads, every job indexed once', async () => {
    const open = await h.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.status, 'published'));
    const result = await reindex(h.db, engine, undefined, { maxUploadBytes: 4_000 });
    expect(result.indexed).toBe(open.length);
    expect(result.uploads).toBeGreaterThan(1);
    const stats = await engine.index().getStats();
    expect(stats.numberOfDocuments).toBe(open.length);
    const ids = (await engine.index().getDocuments({ limit: open.length + 10, fields: ['id'] })).results.map((d) => d.id);
    expect(new Set(ids)).toEqual(new Set(open.map((o) => o.id)));
  });
});
