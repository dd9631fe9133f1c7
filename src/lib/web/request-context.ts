/**
 * What the Astro middleware learns about a request (its route pattern) handed to the
 * Node edge that logs it when the response finishes. Keyed by request id; the two sides
 * are separate module graphs in one process, hence the globalThis registry.
 */
const KEY = Symbol.for('php-iop-jobs.request-routes');
const g = globalThis as typeof globalThis & { [KEY]?: Map<string, string> };
const routes: Map<string, string> = (g[KEY] ??= new Map());

export function noteRoute(requestId: string | null, pattern: string): void {
  if (requestId) routes.set(requestId, pattern);
}

/** Returns and forgets the route pattern noted for this request, if any. */
export function takeRoute(requestId: string): string | undefined {
  const r = routes.get(requestId);
  routes.delete(requestId);
  return r;
}
