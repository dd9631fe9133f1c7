import { MeilisearchRequestError, MeilisearchTaskTimeOutError } from 'meilisearch';
import { describe, expect, it } from 'vitest';
import { outboxLogging } from '#lib/search/outbox-log';
import { classifySyncError, SyncTaskFailedError } from '#lib/search/sync-errors';
import { MeiliHttpError } from '#lib/search/transport';

/** As the meilisearch client wraps whatever our transport rejected with. */
const viaClient = (cause: unknown) => new MeilisearchRequestError('http://127.0.0.1:7700/indexes/jobs/documents', cause);
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:7700`), { code });
const abort = () => Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
const task = (type: string, code: string) =>
  new SyncTaskFailedError({ uid: 7, status: 'failed', error: { type, code, message: `${code} happened`, link: '' } });

describe('classifySyncError: engine down versus a bad document', () => {
  it('blames the engine when it cannot be reached or does not answer in time', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']) {
      expect(classifySyncError(viaClient(socketError(code))), code).toBe('engine');
    }
    expect(classifySyncError(viaClient(abort()))).toBe('engine'); // request or task-wait timeout through our transport
    expect(classifySyncError(new MeilisearchTaskTimeOutError(7, 30_000))).toBe('engine');
  });

  it('blames the engine for 5xx, throttling and a refused key', () => {
    for (const status of [500, 502, 503, 504, 408, 429, 401, 403]) {
      expect(classifySyncError(viaClient(new MeiliHttpError(status, undefined, 'no'))), String(status)).toBe('engine');
    }
  });

  it('blames the documents for other 4xx answers', () => {
    expect(classifySyncError(viaClient(new MeiliHttpError(413, 'payload_too_large', 'too large')))).toBe('document');
    expect(classifySyncError(viaClient(new MeiliHttpError(400, 'malformed_payload', 'bad json')))).toBe('document');
  });

  it('reads a failed task by the error type Meilisearch gives it', () => {
    expect(classifySyncError(task('invalid_request', 'invalid_document_geo_field'))).toBe('document');
    expect(classifySyncError(task('invalid_request', 'invalid_document_id'))).toBe('document');
    expect(classifySyncError(task('system', 'no_space_left_on_device'))).toBe('engine');
    expect(classifySyncError(task('internal', 'internal'))).toBe('engine');
  });

  it('keeps the backoff for failures outside the engine (a document that cannot be built)', () => {
    expect(classifySyncError(new TypeError("Cannot read properties of undefined (reading 'name')"))).toBe('document');
  });
});

describe('outboxLogging: what the runtime logs for each kind', () => {
  function capture() {
    const lines: { level: 'error' | 'info'; text: string }[] = [];
    const fmt = (args: unknown[]) => args.map(String).join(' ');
    return {
      lines,
      sink: {
        error: (...a: unknown[]) => void lines.push({ level: 'error', text: fmt(a) }),
        info: (...a: unknown[]) => void lines.push({ level: 'info', text: fmt(a) }),
      },
    };
  }
  const ids = Array.from({ length: 12 }, (_, i) => `job-${i}`);

  it('says the engine is down, and that the changes wait for it', () => {
    const { lines, sink } = capture();
    outboxLogging(sink).onFailure!({
      kind: 'engine',
      message: 'connect ECONNREFUSED 127.0.0.1:7700',
      jobIds: ids.slice(0, 2),
      attempts: 1,
    });
    expect(lines).toEqual([
      {
        level: 'error',
        text: expect.stringMatching(/search engine unavailable: connect ECONNREFUSED.*2 job change\(s\) wait/),
      },
    ]);
    expect(lines[0]!.text).not.toMatch(/refused job/);
  });

  it('names the jobs the engine refused (a few, then a count) and that they keep their backoff', () => {
    const { lines, sink } = capture();
    outboxLogging(sink).onFailure!({ kind: 'document', message: 'payload_too_large', jobIds: ids, attempts: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe('error');
    expect(lines[0]!.text).toMatch(/search engine refused job\(s\) job-0, .*job-9 and 2 more \(attempt 3\): payload_too_large\. Retried with backoff/);
    expect(lines[0]!.text).not.toMatch(/unavailable/);
  });

  it('reports the recovery with the number of released rows', () => {
    const { lines, sink } = capture();
    outboxLogging(sink).onRecovered!(7);
    expect(lines).toEqual([{ level: 'info', text: '[outbox] search engine is back: sending 7 held job change(s) now.' }]);
  });
});
