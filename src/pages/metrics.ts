import type { APIRoute } from 'astro';
import { timingSafeEqual } from 'node:crypto';
import { env } from '#lib/env';
import { metrics } from '#lib/metrics';

/** Prometheus text format, for operators only: 404 unless METRICS_TOKEN is set, 401 without it. */
function tokenMatches(header: string | null, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

export const GET: APIRoute = async ({ request }) => {
  const token = env().METRICS_TOKEN;
  if (!token) return new Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  if (!tokenMatches(request.headers.get('authorization'), token)) {
    return new Response('Send Authorization: Bearer <METRICS_TOKEN>.\n', {
      status: 401,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' },
    });
  }
  const body = await metrics.registry.metrics();
  return new Response(body, { headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' } });
};
