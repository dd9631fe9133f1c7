import type { APIRoute } from 'astro';
import { json, problem } from '#lib/web/http';
import { SearchParamsError } from '#lib/search/params';
import { busyHeaders, SEARCH_BUSY_MESSAGE, searchFromRequest, searchHeaders } from '#lib/web/search-request';

export const GET: APIRoute = async (context) => {
  try {
    const outcome = await searchFromRequest(context);
    if (outcome.busy) return json({ error: SEARCH_BUSY_MESSAGE }, { status: 503, headers: busyHeaders(outcome.busy.retryAfterSeconds) });
    return json(outcome.result, { headers: searchHeaders(outcome) });
  } catch (err) {
    if (err instanceof SearchParamsError) return problem(400, err.message, err.issues);
    throw err;
  }
};
