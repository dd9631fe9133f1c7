/**
 * npm run bench:export [-- --resumes 20 --mb 5]
 *
 * The data export of an account at the limits (20 resumes of 5 MB) through the streaming ZIP
 * (src/lib/privacy/export.ts), beside the same files zipped in memory at once with fflate's
 * zipSync as the baseline: wall time, the process's peak RSS growth and the longest the event
 * loop was held (what other requests would wait).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { openDb } from '#db/client';
import { resumes, users } from '#db/schema';
import { seedTaxonomy } from '#db/seed';
import { exportZipStream } from '#lib/privacy/export';
import { benchArgs, createBenchDatabase } from './bench-env';

const { resumes: count, mb } = benchArgs({ resumes: 20, mb: 5 });
const size = mb * 1024 * 1024;

let peakNow = () => {};

/** Runs `fn` while sampling RSS and event-loop lag. */
async function measure(fn: () => Promise<number>) {
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  peakNow = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  let lag = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - last - 5);
    last = now;
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const t0 = performance.now();
  const bytes = await fn();
  const ms = performance.now() - t0;
  // One last sample: a synchronous run never lets the timer fire, so its stall is the whole run.
  lag = Math.max(lag, performance.now() - last - 5);
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(timer);
  return { ms, bytes, rssMb: (peak - rss0) / 1048576, lagMs: lag };
}

const database = await createBenchDatabase('bench_export');
const h = await openDb({ databaseUrl: database.url, max: 4 });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-export-'));
try {
  await h.migrate();
  await seedTaxonomy(h.db);
  const [u] = await h.db.insert(users).values({ email: 'bench@example.com', name: 'Bench Person', passwordHash: 'x' }).returning();
  for (let i = 0; i < count; i++) {
    const key = crypto.randomBytes(16).toString('hex');
    // Random bytes: as incompressible as a real PDF.
    fs.writeFileSync(path.join(dir, key), crypto.randomBytes(size));
    await h.db
      .insert(resumes)
      .values({ userId: u!.id, storageKey: key, originalName: `cv-${i}.pdf`, mime: 'application/pdf', sizeBytes: size, textContent: 'word '.repeat(10_000) });
  }
  const streamed = await measure(async () => {
    let n = 0;
    for await (const chunk of exportZipStream({ db: h.db, store: { dir }, userId: u!.id, sessionId: null, now: new Date() })) n += chunk.byteLength;
    return n;
  });
  const inMemory = await measure(async () => {
    const files: Record<string, Uint8Array> = {};
    for (const name of fs.readdirSync(dir)) files[name] = fs.readFileSync(path.join(dir, name));
    const zip = zipSync(files, { level: 0 });
    peakNow();
    return zip.byteLength;
  });
  const row = (label: string, r: typeof streamed) =>
    `${label.padEnd(22)} ${(r.bytes / 1048576).toFixed(0).padStart(5)} MB  ${r.ms.toFixed(0).padStart(6)} ms  RSS +${r.rssMb.toFixed(0).padStart(4)} MB  longest event-loop stall ${r.lagMs.toFixed(0).padStart(5)} ms`;
  console.log(`export of an account with ${count} resumes of ${mb} MB (load average ${os.loadavg()[0]!.toFixed(1)})`);
  console.log(row('streamed (the route)', streamed));
  console.log(row('zipSync in memory', inMemory));
} finally {
  await h.close();
  await database.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
}
