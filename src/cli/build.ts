/**
 * `npm run build`: the Astro site (`astro build`), then the HTTP edge (src/cli/serve.ts) bundled
 * beside it as `<outDir>/server/serve.mjs`, so production runs plain JavaScript:
 *
 *   node --max-semi-space-size=8 dist/server/serve.mjs
 *
 * Why bundle the edge instead of running it through tsx: the TypeScript loader keeps a module-hooks
 * thread and its compiler in the server process for its whole life (measured: 25–40 MB of RSS after
 * a load, same run, same flags). The npm packages stay external: they are installed beside the build.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Node's flags for the server. V8 sizes the young generation from the machine's memory (on 24 GiB:
 * semi-spaces of 64 MB, so 128 MB of new space that a busy server fills and keeps); capped at 8 MB a
 * server's RSS after 20 s at 32 connections fell from ~330 MB to ~210 MB at the same throughput
 * (see the README's "Measured here" for the bench that shows it). The old generation is not capped:
 * exports and reports may need it.
 */
export const SERVER_NODE_ARGS = ['--max-semi-space-size=8'];

/** The server command for a build in `outDir`: what `npm run serve`, the tests and the benchmarks run. */
export function serverArgs(outDir = path.join(ROOT, 'dist')): string[] {
  return [...SERVER_NODE_ARGS, path.join(outDir, 'server/serve.mjs'), path.join(outDir, 'server/entry.mjs')];
}

/** Builds the site into `outDir` (default: Astro's, `dist/`) and bundles the edge beside it. Throws when either fails. */
export function buildSite(outDir?: string, opts: { silent?: boolean } = {}): void {
  const env = outDir ? { ...process.env, ASTRO_OUT_DIR: outDir } : process.env;
  const astro = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', ...(opts.silent === false ? [] : ['--silent'])], {
    cwd: ROOT,
    stdio: 'inherit',
    env,
  });
  if (astro.status !== 0) throw new Error('astro build failed');
  buildSync({
    entryPoints: [path.join(ROOT, 'src/cli/serve.ts')],
    outfile: path.join(outDir ?? path.join(ROOT, 'dist'), 'server/serve.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'warning',
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildSite(process.env.ASTRO_OUT_DIR ? path.resolve(process.env.ASTRO_OUT_DIR) : undefined, { silent: false });
}
