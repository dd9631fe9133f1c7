import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '#lib/search/local-meili';
import { serverArgs } from '../../src/cli/build';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** Where the test build lives (tests/setup/server.ts builds it once per run). */
export const TEST_OUT_DIR = path.join(ROOT, 'dist-test');
/** tsx's loader by absolute URL, so scripts run from any working directory. */
export const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** stdout lines so far, when started with stdio 'pipe'. */
  lines: string[];
  /** SIGTERM, then wait for the process to exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Runs the built site exactly as production does (`node <SERVER_NODE_ARGS> dist/server/serve.mjs entry`)
 * on a free port, and waits until it answers. `ready` decides what "answers" means (by
 * default: /api/health is 200; an outage test may accept any HTTP answer).
 */
export async function startBuiltServer(
  env: Record<string, string>,
  opts: { ready?: (r: Response) => boolean; stdio?: 'inherit' | 'ignore' | 'pipe' } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, serverArgs(TEST_OUT_DIR), {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_SITE_URL: url,
      SMTP_URL: '',
      LOG_LEVEL: 'warn',
      // Tests arrange data straight in the database, behind the app's back: with the micro-cache on, an
      // anonymous page could show what it was up to PAGE_CACHE_TTL_MS ago. tests/e2e/micro-cache.test.ts turns it on.
      PAGE_CACHE_TTL_MS: '0',
      ...env,
    },
    stdio: ['ignore', opts.stdio ?? 'inherit', 'inherit'],
  });
  const lines: string[] = [];
  if (child.stdout) {
    let buf = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      buf += c;
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      lines.push(...parts);
    });
  }
  const ready = opts.ready ?? ((r: Response) => r.ok);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if (ready(await fetch(`${url}/api/health`))) break;
    } catch {
      /* starting */
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error('The built server did not start');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = (graceMs = 15_000) =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', (code) => {
        clearTimeout(kill);
        resolve(code);
      });
      child.kill('SIGTERM');
    });
  return { url, child, lines, stop };
}
