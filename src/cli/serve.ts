/**
 * Serves a built site (`astro build` output) behind the HTTP edge (src/lib/web/node-server.ts):
 *
 *   node --import tsx src/cli/serve.ts [dist/server/entry.mjs]
 *
 * The adapter's standalone handler still serves static files and pages; this process owns
 * the socket so that every response gets the edge's checks and headers, and so that SIGTERM
 * drains in-flight requests before the workers and pools close.
 */
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Env } from '#lib/env';
import { onShutdown } from '#lib/lifecycle';
import { errInfo, log } from '#lib/log';
import { createMicroCache } from '#lib/web/micro-cache';
import { createEdgeHandler, type NodeHandler } from '#lib/web/node-server';
import { staticFiles } from '#lib/web/static-files';

/** The largest legitimate body is a 5 MB resume plus the form around it. */
export const BODY_LIMIT = 6 * 1024 * 1024;
/** How long in-flight requests get to finish after SIGTERM. */
const DRAIN_MS = 10_000;

export async function serve(config: Env, entry = path.resolve('dist/server/entry.mjs')): Promise<http.Server> {
  process.env.HOST ??= config.HOST;
  process.env.PORT ??= String(config.PORT);
  const mod = (await import(pathToFileURL(entry).href)) as { handler: NodeHandler };
  // The adapter runs in `middleware` mode (the app alone); static files are served here.
  const statics = staticFiles(path.resolve(path.dirname(entry), '../client'));
  const server = http.createServer(
    createEdgeHandler(mod.handler, {
      bodyLimit: BODY_LIMIT,
      production: config.NODE_ENV === 'production',
      statics,
      compress: config.COMPRESSION === 'on',
      microCache: createMicroCache({ ttlMs: config.PAGE_CACHE_TTL_MS }),
    }),
  );
  // Slow-loris bounds: a client must send its headers, and its whole request, in time.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  onShutdown(
    'http',
    () =>
      new Promise<void>((resolve) => {
        // Stop accepting; idle keep-alive sockets close now, busy ones after their response.
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, DRAIN_MS).unref();
      }),
    0,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = loadConfig();
  serve(config, process.argv[2] ? path.resolve(process.argv[2]) : undefined).then(
    (server) => {
      const a = server.address();
      const where = typeof a === 'object' && a ? `${a.address}:${a.port}` : String(a);
      log.info({ address: where }, 'listening');
    },
    (err: unknown) => {
      log.fatal({ err: errInfo(err) }, 'could not start the server');
      process.exit(1);
    },
  );
}
