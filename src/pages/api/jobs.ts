import type { APIRoute } from 'astro';
import { json, problem } from '#lib/web/http';
import { SearchParamsError } from '#lib/search/params';
import { searchFromRequest } from '#lib/web/search-request';

export const GET: APIRoute = async (context) => {
  try {
    const { result } = await searchFromRequest(context);
    return json(result, { headers: { 'cache-control': 'no-store' } });
  } catch (err) {
    if (err instanceof SearchParamsError) return problem(400, err.message, err.issues);
    throw err;
  }
};
