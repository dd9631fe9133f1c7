import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, ensureIndex } from '#lib/search/engine';
import { startLocalMeili, type LocalMeili } from '#lib/search/local-meili';
import { hasMeili, skipReason } from '../helpers/services';

/** Peak resident memory of a process, in MB (Linux: the embedded engine runs only there). */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kb / 1024;
}

/**
 * Issue 13, "fresh jobs searchable in a second": Meilisearch 1.21 sizes its per-batch indexing
 * buffers from --max-indexing-memory (default: two thirds of RAM) and fills them for every batch,
 * so a one-document publish cost seconds of untraced work and gigabytes of memory. The embedded
 * engine runs with a cap; this checks the cap is in force where it shows: the engine's peak memory
 * around a one-document write. (Timing belongs to `npm run bench:freshness`.)
 */
describe.skipIf(!hasMeili)(`embedded Meilisearch indexing memory (${skipReason})`, () => {
  let meili: LocalMeili;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meili-memory-'));
    meili = await startLocalMeili({ dataDir: dir });
  });

  afterAll(async () => {
    await meili?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('indexes a one-document publish without the engine growing past a few hundred MB', async () => {
    const pid = meili.process.pid!;
    expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain('--max-indexing-memory');
    const engine = createEngine({ url: meili.url, indexName: 'jobs', searchTimeoutMs: 5000 });
    await ensureIndex(engine);
    const task = await engine.client
      .index(engine.indexName)
      .addDocuments([{ id: 'one', title: 'Therapist', _geo: { lat: 40.44, lng: -79.99 } }], { primaryKey: 'id' })
      .waitTask({ timeout: 60_000, interval: 20 });
    expect(task.status).toBe('succeeded');
    expect(peakRssMb(pid)).toBeLessThan(600);
  });
});
