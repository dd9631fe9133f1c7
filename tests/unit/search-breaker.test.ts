import { describe, expect, it } from 'vitest';
import { BREAKER_OPEN_MS, createBreaker } from '#lib/search/breaker';
import { createEngine } from '#lib/search/engine';

describe('search circuit breaker', () => {
  it('opens on a failed search and closes once its open period has passed, on an injected clock', () => {
    let now = 1_000;
    const breaker = createBreaker({ now: () => now });
    expect(breaker.isOpen()).toBe(false);
    breaker.trip();
    expect(breaker.isOpen()).toBe(true);
    now += BREAKER_OPEN_MS - 1;
    expect(breaker.isOpen()).toBe(true);
    now += 1;
    expect(breaker.isOpen()).toBe(false);
    breaker.trip(); // a later failure opens it again, from then
    now += BREAKER_OPEN_MS - 1;
    expect(breaker.isOpen()).toBe(true);
  });

  it('belongs to its engine: a failure seen by one engine leaves another closed', () => {
    const opts = { url: 'http://127.0.0.1:9', indexName: 'jobs', searchTimeoutMs: 100 };
    const first = createEngine(opts);
    const second = createEngine(opts);
    first.breaker.trip();
    expect(first.breaker.isOpen()).toBe(true);
    expect(second.breaker.isOpen()).toBe(false);
  });
});
