import type { APIRoute } from 'astro';
import { teamForOrg } from '#lib/applications/access';
import { isServiceError } from '#lib/shared/errors';
import { paths } from '#lib/paths';
import { screeningCsv } from '#lib/screening/csv';
import { parseScreening } from '#lib/screening/params';
import { screenAll } from '#lib/screening/query';
import { getRuntime } from '#lib/runtime';

/** The screening view as CSV: the same filters and order as the page, every matching row (up to the export cap). */
const text = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

export const GET: APIRoute = async ({ locals, url, redirect }) => {
  const { db } = await getRuntime();
  let orgId: string;
  let orgSlug: string;
  try {
    const m = await teamForOrg(db, locals, url.searchParams.get('org'));
    orgId = m.orgId;
    orgSlug = m.orgSlug;
  } catch (err) {
    if (!isServiceError(err)) throw err;
    if (err.code === 'unauthenticated') return redirect(paths.signIn(`${url.pathname}${url.search}`), 303);
    if (err.code === 'forbidden') return text(403, err.message);
    return text(404, 'Not found');
  }
  const parsed = parseScreening(url.searchParams);
  if (!parsed.ok) return text(400, `Some filters could not be used: ${parsed.errors.join(' ')}`);
  let result: Awaited<ReturnType<typeof screenAll>>;
  try {
    result = await screenAll(db, orgId, parsed.filters);
  } catch (err) {
    if (isServiceError(err) && err.code === 'not_found') return text(404, 'Not found');
    throw err;
  }
  const day = new Date().toISOString().slice(0, 10);
  return new Response(screeningCsv(result.rows), {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="applicants-${orgSlug}-${day}.csv"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'x-total-rows': String(result.total),
      ...(result.truncated ? { 'x-truncated': 'true' } : {}),
    },
  });
};
