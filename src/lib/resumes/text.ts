import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import type { ExtractReply, ExtractRequest } from './extract-worker';
import type { InspectedUpload } from './inspect';
import type { TextFailure } from './text-status';

/**
 * Plain text of a resume for recruiters' full-text search, read in a
 * worker_threads worker so that no file, however hostile, can hold the event
 * loop that serves requests (issue 9: a DOCX of '<' froze every request for
 * seconds; a PDF that inflates to 500 MB took 900 MB and a core).
 *
 * Each extraction gets a fresh worker (a worker that was stopped mid-way is
 * not reused) with:
 *   - V8 heap limits (resourceLimits): past them the worker dies, not the server;
 *   - a memory watchdog: heap limits do not count ArrayBuffers, which is where
 *     inflated PDF streams live, so the worker's heap statistics (used heap +
 *     external memory) are polled and the worker terminated past memoryCapMb;
 *   - a wall-clock limit, after which the worker is terminated (not abandoned:
 *     the result is returned only once terminate() has finished);
 *   - a cap on the text kept (MAX_RESUME_TEXT, applied inside the worker).
 * At most CONCURRENCY workers run at once; an extraction that waits longer
 * than queueWaitMs for a slot gives up as 'busy'.
 * Extraction never throws: a file whose text cannot be read is still a
 * resume, stored and usable, with the failure recorded (text-status.ts).
 */
export type ResumeText = { status: 'ok'; text: string } | { status: 'failed'; reason: TextFailure; text: '' };

export interface ExtractionLimits {
  timeoutMs: number;
  /** Used V8 heap plus external memory (ArrayBuffers) of the worker, in MB. */
  memoryCapMb: number;
  queueWaitMs: number;
}

export const EXTRACTION_LIMITS: ExtractionLimits = {
  timeoutMs: 10_000,
  memoryCapMb: 192,
  queueWaitMs: 20_000,
};

/** Ample for pdf.js on a real resume (a 5 MB, multi-page PDF peaks well below); a hostile file hits them instead of the server. */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 } as const;
/** Often enough that a stream inflating at several hundred MB/s overshoots the cap by tens of MB, not hundreds. */
const WATCHDOG_EVERY_MS = 20;
/** Extraction is CPU-bound: two at a time leaves the rest of the machine to the requests. */
const CONCURRENCY = 2;

const slots = pLimit(CONCURRENCY);
const failed = (reason: TextFailure): ResumeText => ({ status: 'failed', reason, text: '' });

export async function extractResumeText(bytes: Uint8Array, inspected: InspectedUpload, limits: Partial<ExtractionLimits> = {}): Promise<ResumeText> {
  const l = { ...EXTRACTION_LIMITS, ...limits };
  const input = inspected.kind === 'pdf' ? bytes : inspected.documentXml;
  if (!input) return failed('unreadable');
  return inSlot(() => runWorker({ task: 'resume-text', kind: inspected.kind, bytes: input }, l), l.queueWaitMs);
}

/** Runs `job` when one of the `CONCURRENCY` slots is free, or answers 'busy' after waiting `waitMs`. */
function inSlot(job: () => Promise<ResumeText>, waitMs: number): Promise<ResumeText> {
  return new Promise((resolve) => {
    let state: 'queued' | 'running' | 'gave-up' = 'queued';
    const timer = setTimeout(() => {
      if (state !== 'queued') return;
      state = 'gave-up';
      resolve(failed('busy'));
    }, waitMs);
    void slots(async () => {
      if (state === 'gave-up') return;
      state = 'running';
      clearTimeout(timer);
      try {
        resolve(await job());
      } catch {
        resolve(failed('unreadable'));
      }
    });
  });
}

async function runWorker(request: ExtractRequest, l: ExtractionLimits): Promise<ResumeText> {
  const { EXTRACT_WORKER_URL } = await import('./extract-worker');
  let worker: Worker;
  try {
    // execArgv: [] so the worker does not inherit a loader such as tsx's (`npm start` runs the server under tsx):
    // it needs none, Node runs the worker's file as it is, and a loader would only slow each start.
    worker = new Worker(new URL(EXTRACT_WORKER_URL), {
      workerData: request,
      resourceLimits: RESOURCE_LIMITS,
      execArgv: [],
    });
  } catch {
    return failed('unreadable');
  }
  return new Promise<ResumeText>((resolve) => {
    let settled = false;
    let watching = false;
    const finish = (result: ResumeText) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(watchdog);
      // Resolve once the thread is really gone, so a stopped extraction never outlives its request.
      void worker.terminate().finally(() => resolve(result));
    };
    const deadline = setTimeout(() => finish(failed('timeout')), l.timeoutMs);
    const watchdog = setInterval(() => {
      // Worker#getHeapStatistics is Node 24 (and 22.16+); without it the heap limits and the clock still hold.
      if (watching || settled || typeof worker.getHeapStatistics !== 'function') return;
      watching = true;
      worker
        .getHeapStatistics()
        .then((s) => {
          if ((s.used_heap_size + s.external_memory) / 1024 / 1024 > l.memoryCapMb) finish(failed('too_large'));
        })
        .catch(() => {
          /* the worker has just exited: 'exit' settles */
        })
        .finally(() => {
          watching = false;
        });
    }, WATCHDOG_EVERY_MS);
    worker.on('message', (reply: ExtractReply) => finish(reply.ok ? { status: 'ok', text: reply.text } : failed('unreadable')));
    worker.on('error', (err: Error & { code?: string }) => finish(failed(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'too_large' : 'unreadable')));
    worker.on('exit', () => finish(failed('unreadable')));
  });
}
