import type { APIRoute } from 'astro';
import { json } from '../../lib/http';
import { dbHealthy, getRuntime } from '../../lib/runtime';

/** { db: ok|down, search: ok|degraded }; 200 while the database answers (search has a fallback). */
export const GET: APIRoute = async () => {
  let db: 'ok' | 'down' = 'down';
  let search: 'ok' | 'degraded' = 'degraded';
  try {
    const rt = await getRuntime();
    const [dbOk, searchOk] = await Promise.all([dbHealthy(rt.db), rt.engine.healthy()]);
    db = dbOk ? 'ok' : 'down';
    search = searchOk ? 'ok' : 'degraded';
  } catch {
    db = 'down';
  }
  return json({ db, search }, { status: db === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
