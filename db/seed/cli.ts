/**
 * Seed a database with the demo data set and generated jobs.
 *
 *   tsx db/seed/cli.ts --jobs 100000 [--seed 1]
 *
 * Uses DATABASE_URL when set, otherwise PGlite in $DATA_DIR/pglite (default .data/pglite).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../client';
import { progressPrinter } from '#lib/progress';
import { loadConfig } from '#lib/env';
import { DEMO_LOGINS, DEMO_ORGS, defaultConcurrency, seedDemo, seedJobs } from '.';

const USAGE =
  'Usage: tsx db/seed/cli.ts --jobs N [--seed S]\n\n' +
  '  --jobs N   number of job postings to generate (0 to 5,000,000; 0 seeds only the demo data)\n' +
  '  --seed S   integer seed for the generator (default 1); the same seed gives the same postings\n' +
  '  --help     show this help\n\n' +
  'DATABASE_URL selects PostgreSQL; without it PGlite is used in $DATA_DIR/pglite (default .data/pglite).';

const MAX_JOBS = 5_000_000;

class UsageError extends Error {}

function parseInteger(name: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined) throw new UsageError(`--${name} needs a value`);
  const text = raw.replace(/_/g, '').trim();
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number (got "${raw}")`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')} (got ${raw})`);
  }
  return n;
}

function parseCli(argv: string[]): { jobs: number; seed: number } | 'help' {
  let values: { jobs?: string; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        jobs: { type: 'string', short: 'n' },
        seed: { type: 'string', short: 's' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return 'help';
  if (values.jobs === undefined) throw new UsageError('--jobs is required');
  return {
    jobs: parseInteger('jobs', values.jobs, 0, MAX_JOBS),
    seed: values.seed === undefined ? 1 : parseInteger('seed', values.seed, 0, 2 ** 32 - 1),
  };
}

async function main(): Promise<number> {
  let args: { jobs: number; seed: number } | 'help';
  try {
    args = parseCli(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const started = performance.now();
  const config = loadConfig();
  const pgliteDir = path.join(config.dataDir, 'pglite');
  const handle = await openDb({ databaseUrl: config.DATABASE_URL, pgliteDir });
  try {
    process.stderr.write(`Database: ${handle.driver === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite at ${pgliteDir}`}\n`);
    await handle.migrate();

    const demo = await seedDemo(handle.db, { seed: args.seed });
    process.stderr.write(
      demo.skipped
        ? 'Demo organizations and users already present; left as they are.\n'
        : `Created ${demo.organizations} demo organizations and ${demo.users} demo users.\n`,
    );

    const progress = progressPrinter('Seeding jobs');
    const jobsStarted = performance.now();
    const result = await seedJobs(handle.db, {
      count: args.jobs,
      seed: args.seed,
      concurrency: handle.driver === 'pglite' ? 1 : defaultConcurrency(),
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.end();
    const jobsSeconds = (performance.now() - jobsStarted) / 1000;
    const totalSeconds = (performance.now() - started) / 1000;

    const orgName = new Map(DEMO_ORGS.map((o) => [o.slug, o.name]));
    process.stdout.write(
      `Inserted ${result.inserted.toLocaleString('en-US')} jobs (${result.published.toLocaleString('en-US')} published) ` +
        `with seed ${args.seed} in ${jobsSeconds.toFixed(1)} s; total ${totalSeconds.toFixed(1)} s.\n`,
    );
    process.stdout.write('\nDemo logins (demo only, never use in production):\n');
    for (const l of DEMO_LOGINS) {
      const where = l.organization ? ` at ${orgName.get(l.organization) ?? l.organization}` : '';
      process.stdout.write(`  ${l.email.padEnd(24)} ${l.password}   ${l.role.replace('_', ' ')}${where}\n`);
    }
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`\nSeed failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
