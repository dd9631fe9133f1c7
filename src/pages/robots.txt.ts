import type { APIRoute } from 'astro';
import { env } from '#lib/env';

export const GET: APIRoute = () => {
  const site = env().PUBLIC_SITE_URL;
  const body = ['User-agent: *', 'Disallow: /api/', 'Disallow: /account', 'Disallow: /employer', `Sitemap: ${new URL('/sitemap-index.xml', site)}`, ''].join(
    '\n',
  );
  return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
