import http from 'node:http';
import https from 'node:https';
import { once } from 'node:events';

/**
 * HTTP transport for the meilisearch client. Measured on this machine, Node's
 * global fetch spends ~47 ms per search against Meilisearch where node:http
 * with a keep-alive agent spends ~2 ms for the same request (the engine itself
 * reports 1 ms), so every call goes through pooled keep-alive sockets instead.
 * See `npm run bench:client`.
 */

export class MeiliHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'MeiliHttpError';
  }
}

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64, keepAliveMsecs: 10_000 });

function headersToObject(h: HeadersInit | undefined): Record<string, string> {
  if (!h) return {};
  if (h instanceof Headers) return Object.fromEntries(h.entries());
  if (Array.isArray(h)) return Object.fromEntries(h);
  return { ...(h as Record<string, string>) };
}

/** Reads a Meilisearch answer: the parsed JSON body, or a MeiliHttpError for a non-2xx status. */
function readAnswer(res: http.IncomingMessage, resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
  // Taken now: by 'end' the socket may already be detached and back in the pool.
  const socket = res.socket;
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('error', reject);
  res.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    const status = res.statusCode ?? 0;
    // Meilisearch answers 413 before reading the whole body and keeps the connection open; the
    // unread rest would be taken for the next request on this pooled socket, which then hangs
    // until its timeout (seen: every other request after a 413 took 30 s). Never reuse it.
    if (status === 413) socket.destroy();
    if (status < 200 || status >= 300) {
      const err = parsed as { message?: string; code?: string } | undefined;
      reject(new MeiliHttpError(status, err?.code, err?.message ?? `Meilisearch answered ${status}`));
      return;
    }
    resolve(parsed);
  });
}

const agentFor = (url: URL) => (url.protocol === 'https:' ? httpsAgent : httpAgent);
const moduleFor = (url: URL) => (url.protocol === 'https:' ? https : http);

/** Drop-in for fetch that resolves to the parsed JSON body (the shape the meilisearch client expects of an httpClient). */
export function keepAliveHttpClient(input: RequestInfo | URL, init: RequestInit = {}): Promise<unknown> {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const body = typeof init.body === 'string' ? init.body : init.body == null ? undefined : String(init.body);
  const headers = headersToObject(init.headers);
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = moduleFor(url).request(url, { method: init.method ?? 'GET', headers, agent: agentFor(url), signal: init.signal ?? undefined }, (res) =>
      readAnswer(res, resolve, reject),
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A request whose body is written while it is being produced (chunked), then answered once. */
export interface StreamedRequest {
  /** Resolves when the chunk is handed to the socket (waits for 'drain' when the socket is full). */
  write(chunk: string): Promise<void>;
  /** Ends the body; resolves to the parsed answer. */
  finish(): Promise<unknown>;
}

/**
 * Opens a POST whose body is streamed: the caller writes while it is still reading its source, so
 * producing the body and sending it overlap (the reindex reads PostgreSQL while the upload runs).
 */
export function streamedPost(url: URL, headers: Record<string, string>): StreamedRequest {
  const req = moduleFor(url).request(url, { method: 'POST', headers, agent: agentFor(url) });
  const answer = new Promise<unknown>((resolve, reject) => {
    req.on('response', (res) => readAnswer(res, resolve, reject));
    req.on('error', reject);
  });
  // An early answer (a 413, a refused key) or a reset is reported by write() and by finish().
  answer.catch(() => {});
  const answeredEarly = answer.then(() => {
    throw new Error('Meilisearch answered before the upload ended');
  });
  answeredEarly.catch(() => {});
  return {
    write: async (chunk) => {
      if (req.write(chunk)) return;
      await Promise.race([once(req, 'drain'), answeredEarly]);
    },
    finish: () => {
      req.end();
      return answer;
    },
  };
}
