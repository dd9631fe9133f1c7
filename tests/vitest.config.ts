import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Three suites a reader can tell apart:
 *  unit         pure logic, no services
 *  integration  real PostgreSQL (a fresh database per test file), PGlite and a real Meilisearch
 *  e2e          the built server over HTTP, and real Chromium driven by playwright-core
 * Services are started or located by tests/setup/services.ts; when one is missing
 * the run says which suites were skipped and why, and under CI=true it fails instead.
 */
export default defineConfig({
  test: {
    root,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/setup/services.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/setup/services.ts', 'tests/setup/server.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // One server, one browser: run these files one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
