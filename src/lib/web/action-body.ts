/**
 * Astro Actions parse a JSON body themselves and answer a 500 when it is not JSON.
 * This check runs first, on a clone of the request, and answers 400 with a message.
 * Only JSON bodies of action calls are read; forms and files pass untouched.
 */
export async function checkActionBody(request: Request, url: URL): Promise<Response | null> {
  if (request.method !== 'POST' || !url.pathname.startsWith('/_actions/')) return null;
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) return null;
  const body = await request.clone().text();
  if (body.trim() === '') return null; // actions without input send an empty body
  try {
    JSON.parse(body);
    return null;
  } catch {
    return new Response(JSON.stringify({ error: 'The request body is not valid JSON. Reload the page and try again.' }), {
      status: 400,
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
}
