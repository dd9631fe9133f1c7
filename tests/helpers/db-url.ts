/** The same PostgreSQL server's URL with another database name (no vitest imports: global setup and benchmarks use it too). */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
