import type { APIRoute } from 'astro';
import { json } from '#lib/web/http';
import { dbHealthy, getRuntime } from '#lib/runtime';

/** A health check must answer quickly even when a dependency hangs: each probe gets this long. */
const PROBE_MS = 800;

function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([p.catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}

/** { db: ok|down, search: ok|degraded }; 200 while the database answers (search has a fallback). */
export const GET: APIRoute = async () => {
  let db: 'ok' | 'down' = 'down';
  let search: 'ok' | 'degraded' = 'degraded';
  const rt = await within(getRuntime(), PROBE_MS, null);
  if (rt) {
    const [dbOk, searchOk] = await Promise.all([within(dbHealthy(rt.db), PROBE_MS, false), within(rt.engine.healthy(), PROBE_MS, false)]);
    db = dbOk ? 'ok' : 'down';
    search = searchOk ? 'ok' : 'degraded';
  }
  return json(
    { db, search },
    {
      status: db === 'ok' ? 200 : 503,
      headers: { 'cache-control': 'no-store', ...(db === 'ok' ? {} : { 'retry-after': '30' }) },
    },
  );
};
