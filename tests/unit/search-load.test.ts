import { describe, expect, it } from 'vitest';
import { createFallbackGate, GateFullError } from '#lib/search/fallback-gate';
import { createLatencyWindow } from '#lib/search/latency';
import { searchCacheControl } from '#lib/web/search-request';

describe('adaptive search timeout', () => {
  it('is the floor with no samples, follows 3 × the recent p95, and stops at the cap', () => {
    const w = createLatencyWindow({ floorMs: 1500, capMs: 10_000, size: 20 });
    expect(w.timeoutMs()).toBe(1500);
    for (let i = 0; i < 20; i++) w.record(10);
    expect(w.timeoutMs()).toBe(1500); // a fast engine keeps the floor
    for (let i = 0; i < 20; i++) w.record(900); // busy: p95 900 ms → 2.7 s
    expect(w.timeoutMs()).toBe(2700);
    for (let i = 0; i < 20; i++) w.record(8000);
    expect(w.timeoutMs()).toBe(10_000);
    for (let i = 0; i < 20; i++) w.record(20); // load gone: back to the floor as old samples leave
    expect(w.timeoutMs()).toBe(1500);
  });
});

describe('PostgreSQL fallback gate', () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  };

  it('runs at most `limit` at once, queues `queue` more, and refuses the rest at once', async () => {
    const gate = createFallbackGate({ limit: 2, queue: 1, maxWaitMs: 60_000 });
    const held = deferred();
    const running = [gate.run(() => held.promise), gate.run(() => held.promise)];
    const queued = gate.run(async () => 'queued');
    expect(gate.active).toBe(2);
    expect(gate.waiting).toBe(1);
    await expect(gate.run(async () => 'over')).rejects.toBeInstanceOf(GateFullError);
    held.resolve();
    await Promise.all(running);
    expect(await queued).toBe('queued');
    expect(gate.active).toBe(0);
  });

  it('refuses a queued search that waited longer than maxWaitMs, and frees its place', async () => {
    const gate = createFallbackGate({ limit: 1, queue: 1, maxWaitMs: 20 });
    const held = deferred();
    const first = gate.run(() => held.promise);
    await expect(gate.run(async () => 'late')).rejects.toBeInstanceOf(GateFullError);
    expect(gate.waiting).toBe(0);
    held.resolve();
    await first;
    expect(await gate.run(async () => 'next')).toBe('next');
  });

  it('with limit 0 refuses everything (fallback off)', async () => {
    const gate = createFallbackGate({ limit: 0, queue: 0, maxWaitMs: 1000 });
    await expect(gate.run(async () => 1)).rejects.toBeInstanceOf(GateFullError);
  });
});

describe('Cache-Control of a search answer', () => {
  it('is public for the search cache TTL only for an anonymous answer from Meilisearch', () => {
    expect(searchCacheControl({ engine: 'meilisearch' }, false, 3000)).toBe('public, max-age=3, stale-while-revalidate=3');
    expect(searchCacheControl({ engine: 'meilisearch' }, true, 3000)).toBe('private, no-store');
    // A fallback answer is degraded: never shared. With the search cache off nothing is shared either.
    expect(searchCacheControl({ engine: 'postgres' }, false, 3000)).toBe('no-store');
    expect(searchCacheControl({ engine: 'meilisearch' }, false, 0)).toBe('no-store');
    expect(searchCacheControl({ engine: 'meilisearch' }, false, 999)).toBe('no-store');
  });
});
