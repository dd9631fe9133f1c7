/**
 * Signs in to a running site through its own sign-in form (as a browser would: a form
 * POST with the site's origin) and returns the session as a Cookie header value, for
 * the benchmarks that measure signed-in pages. Demo accounts share DEMO_PASSWORD.
 */
export async function signInCookie(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/sign-in?_action=auth.signIn`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.includes('session='));
  if (!cookie) throw new Error(`signing in as ${email} failed: ${res.status}`);
  return cookie;
}
