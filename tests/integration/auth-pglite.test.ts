import { describe, expect, it } from 'vitest';
import { findUserByEmail, signIn, signUp, verifyEmail } from '#lib/auth/accounts';
import { createSession, validateSessionToken } from '#lib/auth/session';
import { BACKOFF, claimBackoff, hit } from '#lib/ratelimit';
import { createJob, publishJob } from '#lib/jobs/service';
import { createOrganization } from '#lib/orgs/service';
import { jobInput, uniqueEmail } from '../helpers/factories';
import { fakeMail } from '../helpers/mail';
import { usePgliteDb } from '../helpers/test-db';

/** The embedded default (PGlite, no DATABASE_URL) runs the same account, rate-limit and posting code. */
describe('accounts and postings on PGlite', () => {
  const h = usePgliteDb();

  it('signs up, verifies, signs in, and keeps a session with a bytea hash', async () => {
    const mail = fakeMail(h.db);
    const email = uniqueEmail();
    await signUp(h.db, mail, { name: 'Pat', email, password: 'password-ok' }, { ip: '127.0.0.1' });
    const token = new URL(mail.linkIn(await mail.last(email))).searchParams.get('token')!;
    await verifyEmail(h.db, token, { ip: '127.0.0.1' });
    const user = await signIn(h.db, { email, password: 'password-ok' }, { ip: '127.0.0.1' });
    expect(user.emailVerified).toBe(true);
    const s = await createSession(h.db, user.id);
    expect((await validateSessionToken(h.db, s.token))?.user.id).toBe(user.id);
    expect(await validateSessionToken(h.db, `${s.token.slice(0, -1)}${s.token.endsWith('a') ? 'b' : 'a'}`)).toBeNull();
  });

  it('counts rate-limit hits with the atomic upsert', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await hit(h.db, 'pglite:test', { limit: 2, windowSeconds: 60 }, now));
    expect(results.map((r) => [r.count, r.ok])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
  });

  it('runs the sign-in backoff upsert: free tries, then a wait', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const claims = [];
    for (let i = 0; i <= BACKOFF.signInPair.free; i++) claims.push(await claimBackoff(h.db, 'pglite:pair', BACKOFF.signInPair, now));
    expect(claims.map((c) => c.ok)).toEqual([true, true, true, true, true, false]);
    expect(claims.at(-1)).toEqual({ ok: false, key: 'pglite:pair', retryAfter: 1 });
    expect((await claimBackoff(h.db, 'pglite:pair', BACKOFF.signInPair, new Date(now.getTime() + 1000))).ok).toBe(true);
  });

  it('creates and publishes a posting', async () => {
    const mail = fakeMail(h.db);
    const email = uniqueEmail();
    await signUp(h.db, mail, { name: 'Lee', email, password: 'password-ok' }, { ip: '127.0.0.2' });
    const u = (await findUserByEmail(h.db, email))!;
    const org = await createOrganization(h.db, u.id, { name: 'Embedded Health' });
    const actor = { userId: u.id, orgId: org.id, role: 'admin' as const, emailVerified: true };
    const job = await createJob(h.db, actor, jobInput());
    expect((await publishJob(h.db, actor, job.id)).status).toBe('published');
  });
});
