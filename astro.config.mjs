// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  output: 'server',
  // Tests build into their own folder so a test run never replaces the build `npm start` serves.
  outDir: process.env.ASTRO_OUT_DIR || './dist',
  // The canonical origin comes from PUBLIC_SITE_URL at runtime (see src/lib/env.ts);
  // this build-time value only feeds Astro's own helpers.
  site: process.env.PUBLIC_SITE_URL || 'http://localhost:4321',
  adapter: node({
    // The app alone: src/cli/serve.ts owns the socket, static files, compression and
    // shutdown, so every response passes the same edge (src/lib/web/node-server.ts).
    mode: 'middleware',
    // Far below the adapter's 1 GiB default: the largest legitimate body is a 5 MB resume.
    bodySizeLimit: 6 * 1024 * 1024,
  }),
  security: {
    checkOrigin: true,
    actionBodySizeLimit: 6 * 1024 * 1024,
  },
  server: { host: process.env.HOST || 'localhost', port: Number(process.env.PORT) || 4321 },
  trailingSlash: 'never',
  build: { format: 'file' },
  prefetch: false,
  devToolbar: { enabled: false },
  vite: {
    ssr: {
      // Native/wasm packages load from node_modules at runtime rather than being bundled.
      external: ['@electric-sql/pglite', '@node-rs/argon2', 'postgres', 'nodemailer', 'meilisearch', 'sanitize-html', 'pino', 'pino-pretty', 'prom-client'],
    },
  },
});
