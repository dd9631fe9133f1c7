import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { users } from '#db/schema';
import { makeUser } from '../helpers/factories';
import { waitForMail } from '../helpers/mailbox';
import { useServerDb } from '../helpers/test-db';

/**
 * Sign-up does not tell which addresses have accounts: over HTTP against the
 * built server, a taken address and a new one get the same status, redirect,
 * cookies and body; what differs is only the email, which goes to the address
 * itself (a confirmation link for the new one, "someone tried to sign up with
 * your address" for the owner of the taken one), delivered by the mail worker.
 */
const base = inject('serverUrl');
const dataDir = inject('serverDataDir');

describe.skipIf(!base)(`sign-up answers the same for taken and new addresses (${inject('unavailable') || 'services available'})`, () => {
  const h = useServerDb();

  const signUp = (email: string) =>
    fetch(`${base}/sign-up?_action=auth.signUp`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        name: 'Sam Signup',
        email,
        password: 'a fine passphrase',
        next: '/employer/new',
      }).toString(),
    });
  /** Everything a client can observe, minus the per-request id. */
  const observable = async (r: Response) => ({
    status: r.status,
    location: r.headers.get('location'),
    cookies: r.headers.getSetCookie().map((c) => c.split('=')[0]),
    contentType: r.headers.get('content-type'),
    body: await r.text(),
  });

  it('same status, location, cookies and body; the owner is told, the newcomer gets the link', async () => {
    const tag = crypto.randomBytes(3).toString('hex');
    const owner = await makeUser(h.db, { email: `owner-${tag}@example.com`, name: 'Olive Owner' });
    const fresh = `fresh-${tag}@example.com`;
    const since = Date.now();

    const taken = await observable(await signUp(owner.email.toUpperCase()));
    const created = await observable(await signUp(fresh));
    expect(taken).toEqual(created);
    expect(taken.status).toBe(303);
    expect(taken.location).toBe('/sign-up/check-email?next=%2Femployer%2Fnew');
    expect(taken.cookies).not.toContain('__Host-session');

    const page = await fetch(`${base}${taken.location}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Check your email to continue');

    const toOwner = await waitForMail(dataDir, owner.email, {
      subject: /Someone tried to sign up with your address/,
      since,
    });
    expect(toOwner.text).toContain('Hi Olive Owner');
    expect(toOwner.links.some((l) => l.includes('token='))).toBe(false);
    const toFresh = await waitForMail(dataDir, fresh, { subject: /Confirm your email address/, since });
    const link = new URL(toFresh.links.find((l) => l.includes('/verify-email?token='))!);
    expect(link.searchParams.get('next')).toBe('/employer/new');

    // One account per address, the owner's untouched; the new one waits for its confirmation.
    expect(await h.db.select().from(users).where(sql`lower(${users.email}) = ${owner.email}`)).toHaveLength(1);
    const [created_] = await h.db.select().from(users).where(eq(users.email, fresh));
    expect(created_!.emailVerifiedAt).toBeNull();
  });
});
