import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import send from 'send';

/**
 * The built site's static files (Astro's hashed `/_astro/*` bundles and `public/`),
 * listed once at startup so a request is matched by a Set lookup. Dynamic requests
 * then go straight to the app, instead of paying a filesystem check each (the adapter's
 * own static handler stats every request first: ~11 % of an /api/jobs request here).
 */
export interface StaticFiles {
  has(pathname: string): boolean;
  serve(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): void;
  size: number;
}

function walk(dir: string, prefix: string, out: Set<string>): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const url = `${prefix}/${e.name}`;
    if (e.isDirectory()) walk(path.join(dir, e.name), url, out);
    else if (e.isFile() && !e.name.startsWith('.')) out.add(url);
  }
}

export function staticFiles(clientDir: string, assetsPrefix = '/_astro/'): StaticFiles {
  const files = new Set<string>();
  if (fs.existsSync(clientDir)) walk(clientDir, '', files);
  return {
    size: files.size,
    has: (pathname) => files.has(pathname),
    serve(req, res, pathname) {
      // Hashed bundles never change under their name; other public files may change on deploy.
      const cacheControl = pathname.startsWith(assetsPrefix) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600, stale-while-revalidate=86400';
      send(req, pathname, { root: clientDir, index: false, dotfiles: 'ignore', cacheControl: false })
        .on('headers', (r: http.ServerResponse) => r.setHeader('Cache-Control', cacheControl))
        .on('error', (err: { status?: number }) => {
          res.statusCode = err.status ?? 404;
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
          res.end('Not found\n');
        })
        .pipe(res);
    },
  };
}
