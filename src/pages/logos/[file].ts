import type { APIRoute } from 'astro';
import { defaultLogoStore, isLogoKey, readLogoFile } from '#lib/logos/storage';

/**
 * An organization logo. The name is the hash of the bytes, so a URL never changes content:
 * browsers and shared caches may keep it a year without asking again (immutable). Always
 * the WebP this server made (src/lib/logos/image.ts), never the uploaded file.
 */
const notFound = () => new Response('Not found', { status: 404, statusText: 'Not Found', headers: { 'content-type': 'text/plain; charset=utf-8' } });

export const GET: APIRoute = async ({ params }) => {
  const m = /^([0-9a-f]{32})\.webp$/.exec(params.file ?? '');
  if (!m || !isLogoKey(m[1]!)) return notFound();
  const bytes = await readLogoFile(defaultLogoStore(), m[1]!);
  if (!bytes) return notFound();
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      'content-type': 'image/webp',
      'content-length': String(bytes.byteLength),
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
};
