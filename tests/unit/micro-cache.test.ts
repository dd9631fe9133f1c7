import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMicroCache, publicMaxAge, staleWhileRevalidate } from '#lib/web/micro-cache';

describe('which responses the micro-cache may keep', () => {
  it('keeps only public responses with a max-age, for at most that long', () => {
    expect(publicMaxAge('public, max-age=60, stale-while-revalidate=600')).toBe(60);
    expect(publicMaxAge('max-age=60, public')).toBe(60);
    expect(publicMaxAge('public, max-age=0')).toBe(0);
    expect(publicMaxAge('public')).toBe(0);
    expect(publicMaxAge('private, max-age=60')).toBe(0);
    expect(publicMaxAge('public, no-store, max-age=60')).toBe(0);
    expect(publicMaxAge('no-cache, public, max-age=60')).toBe(0);
    expect(publicMaxAge('s-maxage=60, max-age=30, public')).toBe(30);
    expect(publicMaxAge(undefined)).toBe(0);
    expect(staleWhileRevalidate('public, max-age=60, stale-while-revalidate=600')).toBe(600);
    expect(staleWhileRevalidate('public, max-age=60')).toBe(0);
  });
});

describe('micro-cache in front of a real HTTP server', () => {
  /** An app that counts its renders and takes a little while, behind the micro-cache as the edge puts it. */
  async function appBehindCache(cacheControl: string) {
    let clock = 1_000_000;
    let renders = 0;
    const cache = createMicroCache({ ttlMs: 1000, now: () => clock });
    const server = http.createServer((req, res) => {
      if (cache.serve(req, res)) return;
      cache.record(req, res);
      renders++;
      const body = `render ${renders}`;
      setTimeout(() => {
        res.setHeader('cache-control', cacheControl);
        res.setHeader('content-type', 'text/plain');
        res.end(body);
      }, 30);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const get = async () => (await fetch(`http://127.0.0.1:${port}/jobs?q=x`)).text();
    return {
      get,
      renders: () => renders,
      advance: (ms: number) => {
        clock += ms;
      },
      close: () => new Promise<void>((r) => server.close(() => r())),
    };
  }

  it('renders a stale page once for many waiting requests, answering the others with the stale copy', async () => {
    const app = await appBehindCache('public, max-age=1, stale-while-revalidate=1');
    try {
      expect(await app.get()).toBe('render 1');
      expect(await app.get()).toBe('render 1');
      expect(app.renders()).toBe(1);
      app.advance(1001); // stale, within stale-while-revalidate
      const answers = await Promise.all(Array.from({ length: 6 }, () => app.get()));
      expect(app.renders()).toBe(2);
      expect(answers.filter((a) => a === 'render 2')).toHaveLength(1);
      expect(answers.filter((a) => a === 'render 1')).toHaveLength(5);
      expect(await app.get()).toBe('render 2');
      app.advance(2001); // past fresh + stale: gone, rendered again
      expect(await app.get()).toBe('render 3');
    } finally {
      await app.close();
    }
  });

  it('serves nothing stale when the response does not allow it', async () => {
    const app = await appBehindCache('public, max-age=1');
    try {
      expect(await app.get()).toBe('render 1');
      app.advance(1001);
      const answers = await Promise.all(Array.from({ length: 3 }, () => app.get()));
      expect(answers.every((a) => a !== 'render 1')).toBe(true);
    } finally {
      await app.close();
    }
  });
});
