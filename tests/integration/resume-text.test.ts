import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resumes } from '#db/schema';
import { inspectUpload } from '#lib/resumes/inspect';
import { listResumes, saveResume } from '#lib/resumes/service';
import { extractResumeText } from '#lib/resumes/text';
import { angleBracketDocx, inflatingPdf, makeDocx, makePdf } from '../helpers/documents';
import { makeUser, tempStore } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

/**
 * Issue 9, item 1: resume text extraction never runs on the event loop that
 * serves requests. While a hostile file is being read, a 10 ms timer keeps
 * firing on time (the lag is the longest gap between its ticks, or until the
 * work ends, beyond 10 ms), memory stays within the worker's limits, and the
 * upload is kept with the failure recorded.
 */
const TICK_MS = 10;
/**
 * On today's main these files hold the loop for 3,000-18,000 ms; in a worker the
 * lag measured is tens of ms. The bound leaves room for the scheduler on a busy
 * two-core machine running other suites (one run in six saw 347 ms there).
 */
const MAX_LAG_MS = 500;

async function whileMeasuring<T>(label: string, work: () => Promise<T>): Promise<{ result: T; maxLagMs: number; peakRssGrowthMb: number; ms: number }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  let last = performance.now();
  let maxGap = 0;
  const tick = () => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const sampler = setInterval(tick, TICK_MS);
  const t0 = performance.now();
  try {
    const result = await work();
    tick(); // a block that ends with the work is a gap too
    const m = {
      result,
      maxLagMs: Math.max(0, maxGap - TICK_MS),
      peakRssGrowthMb: (peak - baseline) / 1024 / 1024,
      ms: performance.now() - t0,
    };
    // The figures issue 9 asks for, printed for the record.
    console.info(`${label}: ${m.ms.toFixed(0)} ms, event-loop lag max ${m.maxLagMs.toFixed(0)} ms, peak RSS growth ${m.peakRssGrowthMb.toFixed(0)} MB`);
    return m;
  } finally {
    clearInterval(sampler);
  }
}

describe('resume text extraction in a bounded worker (no database)', () => {
  let bomb: Uint8Array;
  beforeAll(async () => {
    bomb = await inflatingPdf(500);
  });

  it('reads normal PDF and DOCX text', async () => {
    const pdf = makePdf(['Alicia Moreno, LCSW', 'DBT skills groups']);
    expect(await extractResumeText(pdf, await inspectUpload(pdf, 'cv.pdf'))).toEqual({
      status: 'ok',
      text: 'Alicia Moreno, LCSW\nDBT skills groups',
    });
    const docx = makeDocx(['Trauma-informed care & DBT', 'Seeking Safety']);
    expect(await extractResumeText(docx, await inspectUpload(docx, 'cv.docx'))).toEqual({
      status: 'ok',
      text: 'Trauma-informed care & DBT\nSeeking Safety',
    });
  });

  it('a DOCX whose document.xml is 100 KB of "<" fails fast as unreadable, without stalling the event loop', async () => {
    const docx = angleBracketDocx(100);
    expect(docx.byteLength).toBeLessThan(2048);
    const inspected = await inspectUpload(docx, 'cv.docx');
    const m = await whileMeasuring('extract, DOCX of 100 KB of <', () => extractResumeText(docx, inspected));
    expect(m.maxLagMs).toBeLessThan(MAX_LAG_MS);
    expect(m.result).toEqual({ status: 'failed', reason: 'unreadable', text: '' });
  });

  it('a 0.5 MB PDF that inflates to 500 MB is stopped by the memory limit, without stalling the event loop', async () => {
    expect(bomb.byteLength).toBeLessThan(600 * 1024);
    const inspected = await inspectUpload(bomb, 'cv.pdf');
    // A wall-clock limit far above what it needs, so that only the memory limit can stop it, however slow the machine.
    const m = await whileMeasuring('extract, PDF inflating to 500 MB', () => extractResumeText(bomb, inspected, { timeoutMs: 60_000 }));
    expect(m.maxLagMs).toBeLessThan(MAX_LAG_MS);
    expect(m.result).toEqual({ status: 'failed', reason: 'too_large', text: '' });
    expect(m.peakRssGrowthMb).toBeLessThan(450);
  });

  it('a worker past its wall-clock limit is terminated, not just abandoned', async () => {
    const inspected = await inspectUpload(bomb, 'cv.pdf');
    // A memory cap far above what it will reach in the time allowed: only the clock can stop it.
    const m = await whileMeasuring('extract, PDF inflating to 500 MB, 400 ms limit', () =>
      extractResumeText(bomb, inspected, { timeoutMs: 400, memoryCapMb: 8192 }),
    );
    expect(m.maxLagMs).toBeLessThan(MAX_LAG_MS);
    expect(m.result).toEqual({ status: 'failed', reason: 'timeout', text: '' });
    // terminate() has resolved by the time the result is returned: the thread is gone, not still inflating.
    expect(m.ms).toBeLessThan(3000);
  });
});

describe.skipIf(!hasPostgres)(`hostile resumes on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();
  const store = tempStore();
  afterAll(() => store.cleanup());

  it('the 865-byte DOCX is accepted and usable, with "text could not be read" recorded, while the event loop stays free', async () => {
    const u = await makeUser(h.db);
    const m = await whileMeasuring('upload, DOCX of 50 KB of <', () => saveResume(h.db, store, u.id, { name: 'cv.docx', bytes: angleBracketDocx(50) }));
    expect(m.maxLagMs).toBeLessThan(MAX_LAG_MS);
    expect(m.result.created).toBe(true);
    expect(m.result.resume).toMatchObject({ hasText: false, textStatus: 'failed' });
    const [row] = await h.db.select().from(resumes).where(eq(resumes.id, m.result.resume.id));
    expect(row).toMatchObject({ textContent: '', textStatus: 'failed', textFailure: 'unreadable' });
    expect(store.files()).toContain(row!.storageKey);
    expect((await listResumes(h.db, u.id)).map((r) => [r.id, r.textStatus])).toEqual([[m.result.resume.id, 'failed']]);
  });

  it('the inflating PDF is accepted, with the failure recorded, within the time and memory limits', async () => {
    const u = await makeUser(h.db);
    const bytes = await inflatingPdf(500);
    const m = await whileMeasuring('upload, PDF inflating to 500 MB', () => saveResume(h.db, store, u.id, { name: 'cv.pdf', bytes }));
    expect(m.maxLagMs).toBeLessThan(MAX_LAG_MS);
    expect(m.peakRssGrowthMb).toBeLessThan(450);
    expect(m.result.created).toBe(true);
    const [row] = await h.db.select().from(resumes).where(eq(resumes.id, m.result.resume.id));
    // The memory limit stops it (the wall clock would, on a machine too slow to reach that limit in time).
    expect(row).toMatchObject({
      textContent: '',
      textStatus: 'failed',
      textFailure: expect.stringMatching(/^(too_large|timeout)$/),
    });
  });
});
