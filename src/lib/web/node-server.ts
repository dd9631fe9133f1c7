import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { COMPRESSION, securityHeaderList } from './http';
import { errInfo, log } from '#lib/log';
import { metrics } from '#lib/metrics';
import { takeRoute } from './request-context';
import type { StaticFiles } from './static-files';
import compression from 'compression';
import { checkMethod, checkTarget, refusalText, type EdgeRefusal } from './edge';
import { fileTooLargeMessage } from '#lib/resumes/size';
import type { MicroCache } from './micro-cache';

/**
 * The HTTP edge in front of the built Astro app (its standalone handler serves static
 * files, then pages). Everything here applies to every response, including static
 * assets and the adapter's own low-level errors, which never reach Astro's middleware:
 *  - security headers are set before the app writes anything (the app's own win);
 *  - a request id is taken from a well-formed `X-Request-Id` or made, and sent back;
 *  - odd methods, malformed addresses and over-long bodies are refused with a 4xx and a
 *    sentence a person can act on, before any route or database sees them;
 *  - a chunked body (no Content-Length) is read up to the limit here, so going over it is
 *    a clean 413 rather than an error deep inside form parsing.
 */
export type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface EdgeOptions {
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  production: boolean;
  /** Built static files, served before the app is asked. */
  statics?: StaticFiles;
  /** Compress text responses by Accept-Encoding (off when a proxy in front does it). */
  compress?: boolean;
  /** Anonymous public pages answered from memory for a moment (src/lib/web/micro-cache.ts). */
  microCache?: MicroCache;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Keeps an upstream proxy's request id when it looks like one; otherwise makes one. */
export function requestIdFor(incoming: string | string[] | undefined): string {
  const v = Array.isArray(incoming) ? incoming[0] : incoming;
  return v && REQUEST_ID.test(v) ? v : randomUUID();
}

function refuse(res: http.ServerResponse, r: EdgeRefusal, close = false): void {
  if (res.headersSent) return;
  res.statusCode = r.status;
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  if (close) res.setHeader('Connection', 'close');
  res.end(refusalText(r));
}

function tooLarge(limit: number): EdgeRefusal {
  const mb = Math.floor(limit / (1024 * 1024));
  return {
    status: 413,
    message: `This request is larger than the ${mb} MB this site accepts. Choose a smaller file and try again.`,
  };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/**
 * An upload form posted without JavaScript (the browser check did not run): the person
 * gets a page, not a plain-text refusal, saying how big the file was and the limit, with a
 * link back to the form (same-origin Referer only). Anything else gets the plain 413.
 */
function refuseUpload(req: http.IncomingMessage, res: http.ServerResponse, declared: number, limit: number): void {
  const form = /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
  const wantsHtml = /text\/html/i.test(req.headers.accept ?? '');
  if (!form || !wantsHtml || res.headersSent) {
    refuse(res, tooLarge(limit), true);
    return;
  }
  let back = '/';
  try {
    const host = req.headers.host ?? '';
    const ref = new URL(req.headers.referer ?? '');
    if (ref.host === host && (ref.protocol === 'http:' || ref.protocol === 'https:')) back = ref.pathname + ref.search;
  } catch {
    // No usable Referer: back to the home page.
  }
  const message = `${fileTooLargeMessage(declared)} Choose a smaller file (a PDF without photos is usually well under the limit) and try again.`;
  res.statusCode = 413;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Connection', 'close');
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>File too large</title></head>` +
      `<body><main><h1>That file is too large</h1><p>${escapeHtml(message)}</p><p><a href="${escapeHtml(back)}">Go back to the form</a></p></main></body></html>\n`,
  );
}

/**
 * Node's default reason phrase for the status, when the app left "OK" on a non-200
 * (Astro's node adapter copies `Response.statusText`, which is "" → "OK" for a page that
 * sets only `Astro.response.status`): a 400 must not read "400 OK".
 */
function fixReasonPhrase(res: http.ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: http.ServerResponse, ...args: Parameters<typeof writeHead>) {
    const [status, second] = args;
    const phrase = typeof second === 'string' ? second : this.statusMessage;
    if (status !== 200 && (!phrase || phrase === 'OK')) {
      const proper = http.STATUS_CODES[status] ?? '';
      if (typeof second === 'string') args[1] = proper as never;
      else this.statusMessage = proper;
    }
    return writeHead.apply(this, args);
  } as typeof res.writeHead;
}

/** Reads a body of unknown length up to `limit` bytes; null when it is larger. */
function readLimited(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.once('error', reject);
  });
}

/**
 * Brotli or gzip by Accept-Encoding for text bodies over 1 KB. Brotli quality 4 costs
 * about what gzip 6 does and saves more; streaming (Astro flushes as it renders) is kept.
 */
function compressor(): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const mw = compression({ threshold: COMPRESSION.thresholdBytes, level: COMPRESSION.gzipLevel, brotli: { params: COMPRESSION.brotliParams } });
  return (req, res) => new Promise<void>((resolve) => mw(req as never, res as never, () => resolve()));
}

export function createEdgeHandler(app: NodeHandler, opts: EdgeOptions): NodeHandler {
  const headers = securityHeaderList(opts.production);
  const compress = opts.compress === false ? null : compressor();
  return async (req, res) => {
    for (const [k, v] of headers) res.setHeader(k, v);
    const id = requestIdFor(req.headers['x-request-id']);
    // Downstream (middleware, logs) reads the id from the request, and the client gets it back.
    req.headers['x-request-id'] = id;
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    let route = 'static';
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      route = takeRoute(id) ?? route;
      const status = res.statusCode;
      metrics.httpDuration.observe({ route, method: req.method ?? '', status: String(status) }, seconds);
      // The route pattern, never the raw URL: addresses carry tokens and ids.
      log[status >= 500 ? 'error' : 'info'](
        {
          reqId: id,
          method: req.method,
          route,
          status,
          ms: Math.round(seconds * 10_000) / 10,
          aborted: !res.writableFinished || undefined,
        },
        'request',
      );
    });

    const refusal = checkMethod(req.method) ?? checkTarget(req.url);
    if (refusal) {
      route = 'edge';
      return refuse(res, refusal);
    }

    if (opts.microCache?.serve(req, res)) {
      route = 'micro-cache';
      return;
    }
    if (compress) await compress(req, res);
    if (opts.statics && (req.method === 'GET' || req.method === 'HEAD')) {
      const pathname = (req.url ?? '/').split('?')[0] ?? '/';
      if (opts.statics.has(pathname)) return opts.statics.serve(req, res, pathname);
    }
    // After compression is installed: it sees the app's own bytes.
    opts.microCache?.record(req, res);

    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > opts.bodyLimit) {
      // The app would refuse it too, but only after reading; answer now and close.
      route = 'edge';
      return refuseUpload(req, res, Number(declared), opts.bodyLimit);
    }
    if (declared === undefined && req.headers['transfer-encoding'] && req.method === 'POST') {
      let body: Buffer | null;
      try {
        body = await readLimited(req, opts.bodyLimit);
      } catch {
        return refuse(res, { status: 400, message: 'The request body could not be read. Try again.' }, true);
      }
      if (body === null) {
        route = 'edge';
        return refuse(res, tooLarge(opts.bodyLimit), true);
      }
      // Astro's request adapter takes a pre-read body from `req.body`.
      (req as http.IncomingMessage & { body?: Buffer }).body = body;
      req.headers['content-length'] = String(body.length);
      delete req.headers['transfer-encoding'];
    }
    route = 'unmatched';
    fixReasonPhrase(res);
    try {
      await app(req, res);
    } catch (err) {
      log.error({ reqId: id, err: errInfo(err) }, 'unhandled error');
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end('Something went wrong on our side. Please try again in a moment.\n');
      } else res.destroy();
    }
  };
}
