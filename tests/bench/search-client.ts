/**
 * `npm run bench:client`: what one search costs through each HTTP client, against
 * a real local Meilisearch with ~2,000 job documents. Prints per-request latency.
 * Why it exists: global fetch measured ~47 ms per search here; the keep-alive
 * node:http transport the app uses should be a couple of milliseconds.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Meilisearch } from 'meilisearch';
import { createEngine, ensureIndex } from '#lib/search/engine';
import { startLocalMeili } from '#lib/search/local-meili';
import { toJobDocument } from '#lib/search/documents';
import { percentile } from './load';

const N = 300;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-client-'));
const meili = await startLocalMeili({ dataDir: dir });
try {
  const engine = createEngine({ url: meili.url, indexName: 'jobs', searchTimeoutMs: 5000 });
  await ensureIndex(engine);
  const docs = Array.from({ length: 2000 }, (_, i) =>
    toJobDocument({
      id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      slug: `job-${i}`,
      title: `${['Primary Therapist', 'Group Therapist', 'Psychiatric RN', 'Case Manager'][i % 4]} – ${['Adult', 'Adolescent'][i % 2]} ${['PHP', 'IOP'][i % 2]}`,
      role: (['therapist', 'group-therapist', 'registered-nurse', 'case-manager'] as const)[i % 4]!,
      programType: (['PHP', 'IOP', 'PHP_IOP'] as const)[i % 3]!,
      setting: (['onsite', 'hybrid', 'telehealth'] as const)[i % 3]!,
      schedule: 'days',
      track: 'day',
      employmentType: 'full_time',
      payMin: 60000 + (i % 20) * 1000,
      payMax: 80000 + (i % 20) * 1000,
      payMinAnnual: 60000 + (i % 20) * 1000,
      payMaxAnnual: 80000 + (i % 20) * 1000,
      payPeriod: 'year',
      city: 'Pittsburgh',
      state: ['PA', 'OH', 'NJ', 'NY', 'CA'][i % 5]!,
      zip: '15213',
      lat: 40.44,
      lng: -79.95,
      excerpt: 'Our partial hospitalization program serves adults stepping down from inpatient care. '.repeat(6),
      populations: ['adults'],
      supervisionOffered: i % 2 === 0,
      postedAt: Date.now() / 1000 - (i % 60) * 86_400,
      validThrough: Date.now() / 1000 + 30 * 86_400,
      orgId: 'o',
      orgName: 'Riverbend Behavioral Health',
      orgSlug: 'riverbend',
      orgLogo: null,
      credentials: [['LCSW', 'LPC'], ['RN'], ['LMSW']][i % 3]!,
    }),
  );
  await engine.index().addDocuments(docs).waitTask({ timeout: 120_000 });
  const body = JSON.stringify({
    queries: [
      {
        indexUid: 'jobs',
        q: 'therapist',
        filter: 'state IN ["PA", "OH"]',
        facets: ['role', 'programs', 'credentials', 'state', 'setting'],
        hitsPerPage: 20,
        page: 1,
      },
    ],
  });

  const time = async (label: string, fn: () => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await fn(); // warm-up
    const t: number[] = [];
    let bytes = 0;
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const r = await fn();
      t.push(performance.now() - t0);
      if (i === 0) bytes = JSON.stringify(r).length;
    }
    t.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(44)} p50 ${percentile(t, 50).toFixed(2).padStart(6)} ms  p95 ${percentile(t, 95).toFixed(2).padStart(6)} ms  (${(bytes / 1024).toFixed(1)} KB answer, ${N} requests)`,
    );
  };
  const fetchClient = new Meilisearch({ host: meili.url });
  const agent = new http.Agent({ keepAlive: true });
  const rawHttp = () =>
    new Promise((resolve, reject) => {
      const req = http.request(
        `${meili.url}/multi-search`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  console.log(`Meilisearch ${meili.url}, 2,000 documents, multi-search with 5 facets\n`);
  await time('meilisearch client on global fetch', () => fetchClient.multiSearch(JSON.parse(body)));
  await time('global fetch, raw', () =>
    fetch(`${meili.url}/multi-search`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }).then((r) => r.json()),
  );
  await time('node:http keep-alive, raw', rawHttp);
  await time('meilisearch client on keep-alive transport (app)', () => engine.searchClient.multiSearch(JSON.parse(body)));
  agent.destroy();
} finally {
  await meili.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
