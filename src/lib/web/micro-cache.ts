import type http from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import Negotiator from 'negotiator';
import { COMPRESSION, etagMatches } from './http';

/**
 * A micro-cache in front of the app for anonymous pages the app itself marks
 * `Cache-Control: public` (job pages, RSS, sitemaps): the same page asked for again
 * within a second or two is answered from memory, already compressed, without
 * Astro, the session lookup or PostgreSQL. It keeps a page fresh no longer than the
 * shorter of its TTL and the response's own max-age, then stale for at most as long
 * again if the response allows stale-while-revalidate: one request renders the new
 * copy while the others are answered with the old one, so a popular page expiring
 * under load is rendered once, not once per waiting request. It is never staler than
 * what the app already allows any shared cache (a proxy or CDN) to serve.
 *
 * What it never stores or serves: a request with a cookie or Authorization (signed-in
 * pages differ per person), a response that sets a cookie, anything but a 200 to GET,
 * a body over MAX_BODY. A write handled by this process (any other method that
 * succeeds) clears it, so whoever changed a posting sees the change at once; another
 * instance's writes show within the TTL, as with a shared cache.
 */
export interface MicroCache {
  /** Answers from memory when it can (200 or 304); true when it did. */
  serve(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  /** Watches the app's answer to a GET and keeps it if it turns out cacheable. Call after compression is installed. */
  record(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** After a write: forget everything. */
  clear(): void;
  readonly size: number;
}

interface Entry {
  headers: [string, string | number | string[]][];
  body: Buffer;
  etag: string | undefined;
  /** Compressed once, on first request for that encoding. */
  encoded: Partial<Record<'br' | 'gzip', Buffer>>;
  /** Served as is until then; after it, while the entry lives, it is stale (see serve()). */
  freshUntil: number;
  /** When a request was let through to render a fresh copy of a stale entry. */
  refreshingSince?: number;
}

/** A refresh that has not answered in this long is presumed lost: the next request tries again. */
const REFRESH_GRACE_MS = 5000;

/** Larger bodies (the full XML feed) are left to the app and the proxy. */
const MAX_BODY = 256 * 1024;
const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|ld\+json))/i;
/** Set per request by the edge, per connection by Node, or by compression: never replayed from memory. */
const NOT_STORED = new Set([
  'set-cookie',
  'x-request-id',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'vary',
]);

const anonymousGet = (req: http.IncomingMessage) => req.method === 'GET' && !req.headers.cookie && !req.headers.authorization;

const MAX_AGE = /(?:^|,)\s*max-age=(\d+)/;
const STALE_WHILE_REVALIDATE = /(?:^|,)\s*stale-while-revalidate=(\d+)/;

/** The seconds of the Cache-Control directive `directive` matches in `cc` (lowercase); 0 when absent. */
function directiveSeconds(cc: string, directive: RegExp): number {
  const m = directive.exec(cc);
  return m ? Number(m[1]) : 0;
}

/** Seconds a response may be kept, from its Cache-Control; 0 when it must not be. */
export function publicMaxAge(cacheControl: string | undefined): number {
  if (!cacheControl) return 0;
  const cc = cacheControl.toLowerCase();
  if (!/(^|,)\s*public\s*(,|$)/.test(cc) || /no-store|no-cache|private/.test(cc)) return 0;
  return directiveSeconds(cc, MAX_AGE);
}

/** Seconds a response may be served stale while a fresh copy is made (its stale-while-revalidate); 0 when not said. */
export function staleWhileRevalidate(cacheControl: string | undefined): number {
  return directiveSeconds(cacheControl?.toLowerCase() ?? '', STALE_WHILE_REVALIDATE);
}

export function createMicroCache(opts: { ttlMs: number; maxBytes?: number; now?: () => number }): MicroCache {
  const now = opts.now ?? Date.now;
  const cache = new LRUCache<string, Entry>({
    maxSize: opts.maxBytes ?? 32 * 1024 * 1024,
    sizeCalculation: (e) => e.body.length * 2 + 512,
    ttl: opts.ttlMs,
    ttlResolution: 0,
    perf: { now },
  });

  function encodingFor(req: http.IncomingMessage, e: Entry): 'br' | 'gzip' | undefined {
    const type = String(e.headers.find(([k]) => k === 'content-type')?.[1] ?? '');
    if (e.body.length < COMPRESSION.thresholdBytes || !COMPRESSIBLE.test(type)) return undefined;
    const pick = new Negotiator(req).encoding(['br', 'gzip', 'identity']);
    return pick === 'br' || pick === 'gzip' ? pick : undefined;
  }

  function encoded(e: Entry, enc: 'br' | 'gzip'): Buffer {
    // The same settings as the edge's compression of live responses (COMPRESSION).
    e.encoded[enc] ??= enc === 'br' ? brotliCompressSync(e.body, { params: COMPRESSION.brotliParams }) : gzipSync(e.body, { level: COMPRESSION.gzipLevel });
    return e.encoded[enc];
  }

  return {
    get size() {
      return cache.size;
    },
    clear: () => cache.clear(),
    serve(req, res) {
      if (opts.ttlMs <= 0 || !anonymousGet(req)) return false;
      const e = cache.get(req.url ?? '');
      if (!e) return false;
      const t = now();
      if (t >= e.freshUntil && (e.refreshingSince === undefined || t - e.refreshingSince > REFRESH_GRACE_MS)) {
        // Stale: this request renders a fresh copy (record() replaces the entry, or drops it if the page
        // is no longer shareable); the others keep getting this one meanwhile, instead of every
        // concurrent request for a popular page rendering it at once the moment it expires.
        e.refreshingSince = t;
        return false;
      }
      for (const [k, v] of e.headers) res.setHeader(k, v);
      res.setHeader('Vary', 'Accept-Encoding');
      if (e.etag && etagMatches(req.headers['if-none-match'] ?? null, e.etag)) {
        res.statusCode = 304;
        res.end();
        return true;
      }
      const enc = encodingFor(req, e);
      const body = enc ? encoded(e, enc) : e.body;
      if (enc) res.setHeader('Content-Encoding', enc);
      res.setHeader('Content-Length', body.length);
      res.statusCode = 200;
      res.end(body);
      return true;
    },
    record(req, res) {
      if (opts.ttlMs <= 0) return;
      if (!anonymousGet(req)) {
        // A write that went through changes what pages show: start again.
        if (req.method !== 'GET' && req.method !== 'HEAD') res.once('finish', () => res.statusCode < 400 && cache.clear());
        return;
      }
      const key = req.url ?? '';
      const chunks: Buffer[] = [];
      let size = 0;
      let keep = true;
      const take = (chunk: unknown, encoding?: unknown) => {
        if (!keep || chunk == null || typeof chunk === 'function') return;
        const buf = Buffer.isBuffer(chunk)
          ? chunk
          : typeof chunk === 'string'
            ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
            : Buffer.from(chunk as Uint8Array);
        size += buf.length;
        if (size > MAX_BODY) {
          keep = false;
          chunks.length = 0;
        } else chunks.push(buf);
      };
      const write = res.write;
      const end = res.end;
      res.write = function (this: http.ServerResponse, chunk: unknown, ...rest: unknown[]) {
        take(chunk, rest[0]);
        return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof res.write;
      res.end = function (this: http.ServerResponse, chunk?: unknown, ...rest: unknown[]) {
        take(chunk, rest[0]);
        const cc = res.getHeader('cache-control')?.toString();
        const maxAge = publicMaxAge(cc);
        if (keep && res.statusCode === 200 && maxAge > 0 && !res.hasHeader('set-cookie')) {
          const headers = Object.entries(res.getHeaders()).filter(
            (h): h is [string, string | number | string[]] => h[1] !== undefined && !NOT_STORED.has(h[0]),
          );
          const etag = res.getHeader('etag')?.toString();
          const fresh = Math.min(opts.ttlMs, maxAge * 1000);
          // Stale for no longer than it was fresh, and only as long as the response itself allows.
          const stale = Math.min(fresh, staleWhileRevalidate(cc) * 1000);
          cache.set(key, { headers, body: Buffer.concat(chunks), etag, encoded: {}, freshUntil: now() + fresh }, { ttl: fresh + stale });
        } else if (res.statusCode !== 304) cache.delete(key);
        return (end as (...a: unknown[]) => http.ServerResponse).call(this, chunk, ...rest);
      } as typeof res.end;
    },
  };
}
