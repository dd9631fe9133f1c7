import os from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { docxText } from './docx-text.ts';
import { normalizeText } from './plain-text.ts';
import { pdfText } from './pdf-text.ts';

/**
 * The resume text worker: a worker_threads entry that reads one file's text
 * and posts it back. text.ts starts it with resource limits, a wall-clock
 * limit and a memory watchdog, and terminates it when it overruns.
 *
 * The worker runs this very module, found by its own URL, so it works the
 * same under vitest and tsx (this .ts file, which Node 24 runs by stripping
 * types: hence erasable TypeScript only and explicit .ts extensions on
 * relative imports) and in the built server (text.ts imports this module
 * dynamically, so the bundler gives it a chunk of its own, and that chunk
 * file is what the worker runs). Importing it on the main thread only reads
 * EXTRACT_WORKER_URL: the work below starts only inside such a worker.
 */
export const EXTRACT_WORKER_URL: string = import.meta.url;

export const EXTRACT_TASK = 'resume-text';

export interface ExtractRequest {
  task: typeof EXTRACT_TASK;
  kind: 'pdf' | 'docx';
  /** The PDF file, or a DOCX's word/document.xml (already inflated, within its limit, by inspect.ts). */
  bytes: Uint8Array;
}

export type ExtractReply = { ok: true; text: string } | { ok: false; error: string };

/** Normalized text of one file; throws when the file cannot be parsed. */
export async function extractText(kind: ExtractRequest['kind'], bytes: Uint8Array): Promise<string> {
  return normalizeText(kind === 'pdf' ? await pdfText(bytes) : docxText(bytes));
}

function isExtractRequest(data: unknown): data is ExtractRequest {
  return typeof data === 'object' && data !== null && (data as { task?: unknown }).task === EXTRACT_TASK;
}

/**
 * Reading text is background work: it should never compete on equal terms
 * with the threads serving requests (on a two-core machine it would). On
 * Linux a nice value belongs to a thread, so this lowers only the worker's own.
 * (Elsewhere it would lower the whole server, so it is left alone there.)
 */
function yieldCpuToRequests(): void {
  if (process.platform !== 'linux') return;
  try {
    os.setPriority(0, 10);
  } catch {
    /* not permitted: run at normal priority */
  }
}

if (!isMainThread && parentPort && isExtractRequest(workerData)) {
  yieldCpuToRequests();
  const port = parentPort;
  const { kind, bytes } = workerData;
  extractText(kind, bytes).then(
    (text) => port.postMessage({ ok: true, text } satisfies ExtractReply),
    (err: unknown) => port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies ExtractReply),
  );
}
