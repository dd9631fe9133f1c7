import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rows, type DbHandle } from '#db/client';
import { backoffCounters, emailTokens, sessions, users } from '#db/schema';
import { changePassword, requestPasswordReset, resetPassword, RESET_REQUESTED, signIn, SIGN_IN_FAILED, signUp, verifyEmail } from '#lib/auth/accounts';
import { sha256Bytes, sha256Hex } from '#lib/shared/tokens';
import { ABSOLUTE_MS, createSession, IDLE_MS, invalidateUserSessions, RENEW_MS, validateSessionToken } from '#lib/auth/session';
import { startSession } from '#lib/web/request-auth';
import { BACKOFF, claimBackoff, hit, POLICIES } from '#lib/ratelimit';
import { signInKeys } from '#lib/auth/sign-in-throttle';
import { makeUser, TEST_PASSWORD, uniqueEmail } from '../helpers/factories';
import { fakeMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A stand-in for Astro's cookies and locals, enough for startSession. */
function fakeContext(url = 'http://localhost/') {
  const jar = new Map<string, { value: string; opts: Record<string, unknown> }>();
  return {
    jar,
    url: new URL(url),
    locals: { user: null, session: null, membership: null } as App.Locals,
    cookies: {
      get: (name: string) => (jar.has(name) ? ({ value: jar.get(name)!.value } as never) : undefined),
      set: (name: string, value: string, opts: Record<string, unknown> = {}) => void jar.set(name, { value, opts }),
      delete: (name: string) => void jar.delete(name),
    } as never,
  };
}

describe.skipIf(!hasPostgres)(`accounts and sessions on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();
  /** A second pool on the same database: another server process. */
  let second: DbHandle;

  beforeAll(async () => {
    second = await h.connect({ max: 2 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('session tokens', () => {
    it('stores only the SHA-256 of the secret, never the token', async () => {
      const u = await makeUser(h.db);
      const { token, session } = await createSession(h.db, u.id);
      const [id, secret] = token.split('.') as [string, string];
      expect(id).toMatch(/^[a-z2-7]{24}$/);
      expect(secret).toMatch(/^[a-z2-7]{32}$/);
      expect(session.id).toBe(id);
      const [row] = await h.db.select().from(sessions).where(eq(sessions.id, id));
      expect(Buffer.from(row!.secretHash).equals(Buffer.from(sha256Bytes(secret)))).toBe(true);
      // No column anywhere in the row holds the secret or the token.
      const dump = await rows<Record<string, unknown>>(h.db, sql`select row_to_json(s)::text as j from sessions s where id = ${id}`);
      expect(JSON.stringify(dump)).not.toContain(secret);
      expect(JSON.stringify(dump)).not.toContain(token);
    });

    it('validates the right secret and refuses a wrong one for the same id', async () => {
      const u = await makeUser(h.db);
      const { token } = await createSession(h.db, u.id);
      expect((await validateSessionToken(h.db, token))?.user.id).toBe(u.id);
      const [id, secret] = token.split('.') as [string, string];
      const flipped = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
      expect(await validateSessionToken(h.db, flipped)).toBeNull();
      expect(await validateSessionToken(h.db, id)).toBeNull();
      expect(await validateSessionToken(h.db, `${id}.${secret}.x`)).toBeNull();
      expect(await validateSessionToken(h.db, "'; drop table sessions; --.x")).toBeNull();
    });

    it('issues a new session on sign-in and kills the one the browser had (fixation)', async () => {
      const u = await makeUser(h.db);
      const ctx = fakeContext();
      // The browser arrives with a session someone else may know (planted, or seen before sign-in).
      const before = await createSession(h.db, u.id);
      ctx.locals.session = {
        id: before.session.id,
        createdAt: before.session.createdAt,
        lastVerifiedAt: before.session.lastVerifiedAt,
        activeOrgId: null,
      };
      await startSession(ctx, h.db, u);
      const cookie = ctx.jar.get('session');
      expect(cookie).toBeDefined();
      expect(cookie!.value).not.toBe(before.token);
      expect(cookie!.opts).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/', secure: false });
      expect(await validateSessionToken(h.db, before.token)).toBeNull();
      expect((await validateSessionToken(h.db, cookie!.value))?.user.id).toBe(u.id);
    });

    it('marks the cookie Secure over https and under the __Host- name in production', async () => {
      const u = await makeUser(h.db);
      const ctx = fakeContext('https://jobs.example/');
      await startSession(ctx, h.db, u);
      expect(ctx.jar.get('session')!.opts.secure).toBe(true);
      vi.stubEnv('NODE_ENV', 'production');
      try {
        const { resetEnvCache } = await import('#lib/env');
        resetEnvCache();
        const prod = fakeContext('http://127.0.0.1:4321/');
        await startSession(prod, h.db, u);
        expect(prod.jar.has('__Host-session')).toBe(true);
        expect(prod.jar.get('__Host-session')!.opts).toMatchObject({
          secure: true,
          httpOnly: true,
          sameSite: 'lax',
          path: '/',
        });
        expect(prod.jar.get('__Host-session')!.opts).not.toHaveProperty('domain');
      } finally {
        vi.unstubAllEnvs();
        (await import('#lib/env')).resetEnvCache();
      }
    });
  });

  describe('expiry', () => {
    it('dies after the idle window without use', async () => {
      const u = await makeUser(h.db);
      const t0 = new Date('2030-01-01T00:00:00Z');
      const { token, session } = await createSession(h.db, u.id, { now: t0 });
      expect(await validateSessionToken(h.db, token, new Date(t0.getTime() + IDLE_MS - MIN))).not.toBeNull();
      // The check above slid the window; start over from a fresh session to test pure idleness.
      const fresh = await createSession(h.db, u.id, { now: t0 });
      expect(await validateSessionToken(h.db, fresh.token, new Date(t0.getTime() + IDLE_MS + 1))).toBeNull();
      expect(await h.db.select().from(sessions).where(eq(sessions.id, fresh.session.id))).toHaveLength(0);
      expect(session.id).not.toBe(fresh.session.id);
    });

    it('slides the idle window with use, writing at most once an hour', async () => {
      const u = await makeUser(h.db);
      const t0 = new Date('2030-02-01T00:00:00Z');
      const { token, session } = await createSession(h.db, u.id, { now: t0 });
      const lastVerified = async () => (await h.db.select().from(sessions).where(eq(sessions.id, session.id)))[0]!.lastVerifiedAt.getTime();

      const a = await validateSessionToken(h.db, token, new Date(t0.getTime() + 30 * MIN));
      expect(a?.renewed).toBe(false);
      expect(await lastVerified()).toBe(t0.getTime());

      const b = await validateSessionToken(h.db, token, new Date(t0.getTime() + RENEW_MS + MIN));
      expect(b?.renewed).toBe(true);
      expect(await lastVerified()).toBe(t0.getTime() + RENEW_MS + MIN);

      // Used on day 6, so still alive on day 12 (past the 7-day idle window from creation).
      expect(await validateSessionToken(h.db, token, new Date(t0.getTime() + 6 * DAY))).not.toBeNull();
      const c = await validateSessionToken(h.db, token, new Date(t0.getTime() + 12 * DAY));
      expect(c).not.toBeNull();
      expect(c!.expiresAt.getTime()).toBe(t0.getTime() + 12 * DAY + IDLE_MS);
    });

    it('dies at the absolute cap however often it is used', async () => {
      const u = await makeUser(h.db);
      const t0 = new Date('2030-03-01T00:00:00Z');
      const { token } = await createSession(h.db, u.id, { now: t0 });
      for (let day = 6; day < 30; day += 6) {
        expect(await validateSessionToken(h.db, token, new Date(t0.getTime() + day * DAY)), `day ${day}`).not.toBeNull();
      }
      const nearEnd = await validateSessionToken(h.db, token, new Date(t0.getTime() + 29 * DAY));
      expect(nearEnd!.expiresAt.getTime()).toBe(t0.getTime() + ABSOLUTE_MS);
      expect(await validateSessionToken(h.db, token, new Date(t0.getTime() + ABSOLUTE_MS + 1))).toBeNull();
    });

    it('follows the clock (fake timers, no injected time)', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2031-01-01T00:00:00Z'));
      const u = await makeUser(h.db);
      const { token } = await createSession(h.db, u.id);
      vi.setSystemTime(new Date('2031-01-07T23:00:00Z'));
      expect(await validateSessionToken(h.db, token)).not.toBeNull(); // slides the idle window to the 14th, 23:00
      vi.setSystemTime(new Date('2031-01-14T22:00:00Z'));
      expect(await validateSessionToken(h.db, token)).not.toBeNull(); // … and now to the 21st, 22:00
      vi.setSystemTime(new Date('2031-01-21T22:00:01Z'));
      expect(await validateSessionToken(h.db, token)).toBeNull();
    });
  });

  describe('revocation', () => {
    it('signs out everywhere', async () => {
      const u = await makeUser(h.db);
      const a = await createSession(h.db, u.id);
      const b = await createSession(h.db, u.id);
      const other = await makeUser(h.db);
      const c = await createSession(h.db, other.id);
      expect(await invalidateUserSessions(h.db, u.id)).toBe(2);
      expect(await validateSessionToken(h.db, a.token)).toBeNull();
      expect(await validateSessionToken(h.db, b.token)).toBeNull();
      expect(await validateSessionToken(h.db, c.token)).not.toBeNull();
    });

    it('ends every session when the password changes', async () => {
      const mail = fakeMail(h.db);
      const u = await makeUser(h.db);
      const a = await createSession(h.db, u.id);
      const b = await createSession(h.db, u.id);
      await expect(
        changePassword(h.db, mail, u.id, { currentPassword: 'not it at all', newPassword: 'a brand new pass' }, { ip: '10.0.0.1' }),
      ).rejects.toMatchObject({ code: 'invalid' });
      expect(await validateSessionToken(h.db, a.token)).not.toBeNull();
      await changePassword(h.db, mail, u.id, { currentPassword: TEST_PASSWORD, newPassword: 'a brand new pass' }, { ip: '10.0.0.1' });
      expect(await validateSessionToken(h.db, a.token)).toBeNull();
      expect(await validateSessionToken(h.db, b.token)).toBeNull();
      await expect(signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: '10.0.0.1' })).rejects.toThrow(SIGN_IN_FAILED);
      expect((await signIn(h.db, { email: u.email, password: 'a brand new pass' }, { ip: '10.0.0.1' })).id).toBe(u.id);
      expect((await mail.last(u.email))?.subject).toMatch(/password was changed/i);
    });
  });

  describe('sign up, verification and sign in', () => {
    it('signs up with argon2id, sends a single-use verification link, stores only its hash', async () => {
      const mail = fakeMail(h.db);
      const email = uniqueEmail('Signup').toUpperCase();
      await expect(signUp(h.db, mail, { name: 'Casey Candidate', email, password: 'eight888' }, { ip: '10.1.0.1' })).resolves.toBeUndefined();
      const [row] = await h.db.select().from(users).where(eq(users.email, email.toLowerCase()));
      expect(row!.emailVerifiedAt).toBeNull();
      expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      // Not usable before the address is confirmed, and the refusal is the one every failed sign-in gets.
      await expect(signIn(h.db, { email, password: 'eight888' }, { ip: '10.1.0.1' })).rejects.toMatchObject({
        message: SIGN_IN_FAILED,
      });

      const link = mail.linkIn(await mail.last(row!.email));
      const token = new URL(link).searchParams.get('token')!;
      expect(token).toMatch(/^[a-z2-7]{32}$/);
      const [t] = await h.db.select().from(emailTokens).where(eq(emailTokens.userId, row!.id));
      expect(t!.tokenHash).toBe(sha256Hex(token));
      expect(t!.tokenHash).not.toContain(token);

      await verifyEmail(h.db, token, { ip: '10.1.0.1' });
      const [after] = await h.db.select().from(users).where(eq(users.id, row!.id));
      expect(after!.emailVerifiedAt).not.toBeNull();
      expect((await signIn(h.db, { email, password: 'eight888' }, { ip: '10.1.0.1' })).id).toBe(row!.id);
      await expect(verifyEmail(h.db, token, { ip: '10.1.0.1' })).rejects.toMatchObject({ code: 'invalid' });
    });

    it('refuses an expired verification link', async () => {
      const mail = fakeMail(h.db);
      const email = uniqueEmail();
      await signUp(h.db, mail, { name: 'Late Clicker', email, password: 'password-ok' }, { ip: '10.1.0.2' });
      const token = new URL(mail.linkIn(await mail.last(email))).searchParams.get('token')!;
      await expect(verifyEmail(h.db, token, { ip: '10.1.0.2', now: new Date(Date.now() + 49 * HOUR) })).rejects.toThrow(/expired or was already used/);
    });

    it('answers a taken address exactly like a new one, creates nothing, and tells the owner instead', async () => {
      const mail = fakeMail(h.db);
      const owner = await makeUser(h.db, { name: 'Olive Owner' });
      const fresh = uniqueEmail('fresh');
      const taken = await signUp(h.db, mail, { name: 'Second', email: owner.email.toUpperCase(), password: 'password-ok' }, { ip: '10.1.0.3' });
      const created = await signUp(h.db, mail, { name: 'Newcomer', email: fresh, password: 'password-ok' }, { ip: '10.1.0.4' });
      expect(taken).toEqual(created); // both undefined: nothing for a caller to tell apart
      expect(await h.db.select().from(users).where(sql`lower(${users.email}) = ${owner.email}`)).toHaveLength(1);
      expect((await signIn(h.db, { email: owner.email, password: TEST_PASSWORD }, { ip: '10.1.0.3' })).id).toBe(owner.id);

      const toOwner = await mail.all(owner.email);
      expect(toOwner.map((m) => m.subject)).toEqual(['Someone tried to sign up with your address']);
      expect(toOwner[0]!.text).toContain('Hi Olive Owner');
      expect(toOwner[0]!.text).not.toMatch(/token=/);
      expect((await mail.all(fresh)).map((m) => m.subject)).toEqual(['Confirm your email address']);
    });

    it('hashes the password for a taken address too, so timing does not tell', async () => {
      const mail = fakeMail(h.db);
      const time = async (email: string, ip: string) => {
        const t = performance.now();
        await signUp(h.db, mail, { name: 'Timer', email, password: 'password-ok' }, { ip });
        return performance.now() - t;
      };
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const tTaken: number[] = [];
      const tNew: number[] = [];
      for (let i = 0; i < 5; i++) {
        const owner = await makeUser(h.db);
        tTaken.push(await time(owner.email, `10.1.5.${i}`));
        tNew.push(await time(uniqueEmail('timing'), `10.1.6.${i}`));
      }
      // Both run one argon2id hash (the bulk of the time): the medians stay close.
      const ratio = median(tTaken) / median(tNew);
      expect(ratio).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(2.5);
    });

    it('answers unknown email and wrong password the same way, in similar time', async () => {
      const u = await makeUser(h.db);
      // The same error, field for field: nothing in it tells the two apart.
      for (const attempt of [
        () => signIn(h.db, { email: uniqueEmail('nobody'), password: 'whatever-pass' }, { ip: '10.2.0.1' }),
        () => signIn(h.db, { email: u.email, password: 'whatever-pass' }, { ip: '10.2.0.2' }),
      ]) {
        const refused = attempt();
        await expect(refused).rejects.toMatchObject({
          name: 'ServiceError',
          code: 'invalid',
          message: SIGN_IN_FAILED,
          retryAfter: undefined,
        });
        await expect(refused).rejects.toHaveProperty('fields', {});
      }

      // Both paths run one argon2id verification: compare medians of a few tries.
      const time = async (email: string, ip: string) => {
        const t = performance.now();
        await signIn(h.db, { email, password: 'whatever-pass' }, { ip }).catch(() => {});
        return performance.now() - t;
      };
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const tUnknown: number[] = [];
      const tWrong: number[] = [];
      for (let i = 0; i < 4; i++) {
        tUnknown.push(await time(uniqueEmail('ghost'), `10.2.1.${i}`));
        tWrong.push(await time(u.email.toUpperCase(), `10.2.2.${i}`));
      }
      const ratio = median(tUnknown) / median(tWrong);
      expect(ratio).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(2.5);
    });

    it('signs in case-insensitively with the right password', async () => {
      const u = await makeUser(h.db);
      expect((await signIn(h.db, { email: ` ${u.email.toUpperCase()} `, password: TEST_PASSWORD }, { ip: '10.2.3.1' })).id).toBe(u.id);
    });
  });

  describe('password reset', () => {
    it('says the same thing for known and unknown addresses and mails only the account', async () => {
      const mail = fakeMail(h.db);
      const u = await makeUser(h.db);
      const ghost = uniqueEmail('ghost');
      await expect(requestPasswordReset(h.db, mail, ghost, { ip: '10.3.0.1' })).resolves.toBeUndefined();
      await expect(requestPasswordReset(h.db, mail, u.email, { ip: '10.3.0.1' })).resolves.toBeUndefined();
      expect(RESET_REQUESTED).toMatch(/If an account uses that address/);
      expect(await mail.all(u.email)).toHaveLength(1);
      expect(await mail.all(ghost)).toEqual([]);
    });

    it('resets with a single-use, expiring link and ends every session', async () => {
      const mail = fakeMail(h.db);
      const u = await makeUser(h.db);
      const s = await createSession(h.db, u.id);
      await requestPasswordReset(h.db, mail, u.email, { ip: '10.3.1.1' });
      const link = new URL(mail.linkIn(await mail.last(u.email)));
      const token = link.searchParams.get('token')!;
      expect(link.pathname).toBe('/reset-password');
      const [row] = await h.db
        .select()
        .from(emailTokens)
        .where(eq(emailTokens.tokenHash, sha256Hex(token)));
      expect(row!.purpose).toBe('reset_password');

      await expect(resetPassword(h.db, mail, token, 'new password 1', { ip: '10.3.1.1', now: new Date(Date.now() + 2 * HOUR) })).rejects.toMatchObject({
        code: 'invalid',
      });

      await resetPassword(h.db, mail, token, 'new password 1', { ip: '10.3.1.1' });
      expect(await validateSessionToken(h.db, s.token)).toBeNull();
      expect((await signIn(h.db, { email: u.email, password: 'new password 1' }, { ip: '10.3.1.1' })).id).toBe(u.id);
      await expect(resetPassword(h.db, mail, token, 'new password 2', { ip: '10.3.1.1' })).rejects.toThrow(/expired or was already used/);
    });

    it('a newer link supersedes an older one', async () => {
      const mail = fakeMail(h.db);
      const u = await makeUser(h.db);
      await requestPasswordReset(h.db, mail, u.email, { ip: '10.3.2.1' });
      expect(await mail.all(u.email)).toHaveLength(1);
      const first = new URL(mail.linkIn(await mail.last(u.email))).searchParams.get('token')!;
      await requestPasswordReset(h.db, mail, u.email, { ip: '10.3.2.1' });
      expect(await mail.all(u.email)).toHaveLength(2);
      await expect(resetPassword(h.db, mail, first, 'new password 3', { ip: '10.3.2.1' })).rejects.toMatchObject({
        code: 'invalid',
      });
    });
  });

  describe('sign-in answers when throttled', () => {
    it('returns the attempt a right password used, and keeps Retry-After within the rules', async () => {
      const u = await makeUser(h.db);
      const now = new Date('2032-01-01T00:03:00Z');
      const client = '10.4.0.1';
      await signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: client, now });
      for (let i = 0; i < BACKOFF.signInPair.free; i++) {
        await expect(signIn(h.db, { email: u.email, password: 'wrong-password' }, { ip: client, now })).rejects.toMatchObject({ code: 'invalid' });
      }
      await expect(signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: client, now })).rejects.toMatchObject({
        code: 'rate_limited',
        retryAfter: 1,
        message: 'Too many attempts. Try again in 1 second.',
      });
    });
  });

  describe('sign-in throttling (issue 9, item 7)', () => {
    const attacker = '203.0.113.66';
    const owner = '198.51.100.7';
    const at = (t0: Date, seconds: number) => new Date(t0.getTime() + seconds * 1000);

    it('never locks the owner out: failures from other clients leave the right password working', async () => {
      const u = await makeUser(h.db);
      const now = new Date('2032-01-02T00:00:00Z');
      // Six attacking clients, each far past its own allowance for this account.
      for (let c = 0; c < 6; c++) {
        for (let i = 0; i < BACKOFF.signInPair.free + 3; i++) {
          await signIn(h.db, { email: u.email, password: `guess-${c}-${i}` }, { ip: `203.0.113.${c}`, now }).catch(() => {});
        }
      }
      await expect(signIn(h.db, { email: u.email, password: 'guess-again' }, { ip: '203.0.113.0', now })).rejects.toMatchObject({ code: 'rate_limited' });
      // The owner, from a client with no failures for the account, at the same moment.
      expect((await signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: owner, now })).id).toBe(u.id);
      // A typo of the owner's own counts for the owner's client only, and a success clears it.
      await expect(signIn(h.db, { email: u.email, password: 'typo' }, { ip: owner, now })).rejects.toMatchObject({
        code: 'invalid',
      });
      expect((await signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: owner, now })).id).toBe(u.id);
      // Even the right password waits from the attacking client: that pair is throttled, nothing else is.
      await expect(signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: '203.0.113.0', now })).rejects.toMatchObject({ code: 'rate_limited' });
    });

    it('makes one client wait 1 s, 2 s, 4 s … up to 15 minutes between tries at one account, refusing before checking the password', async () => {
      const u = await makeUser(h.db);
      const t0 = new Date('2032-01-03T00:00:00Z');
      for (let i = 0; i < BACKOFF.signInPair.free; i++) {
        await expect(signIn(h.db, { email: u.email, password: `wrong-${i}` }, { ip: attacker, now: t0 })).rejects.toMatchObject({ code: 'invalid' });
      }
      let last = t0;
      for (const [k, wait] of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900].entries()) {
        // At once: refused, with the wait in Retry-After; the right password is refused too.
        await expect(signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: attacker, now: last }), `wait ${k + 1}`).rejects.toMatchObject({
          code: 'rate_limited',
          retryAfter: wait,
        });
        // One millisecond early: still refused.
        const early = new Date(at(last, wait).getTime() - 1);
        await expect(signIn(h.db, { email: u.email, password: 'wrong-early' }, { ip: attacker, now: early })).rejects.toMatchObject({ code: 'rate_limited' });
        // On time: the attempt is checked (and fails: the delay grows).
        last = at(last, wait);
        await expect(signIn(h.db, { email: u.email, password: `wrong-late-${k}` }, { ip: attacker, now: last })).rejects.toMatchObject({ code: 'invalid' });
      }
      // After the wait (still the 15-minute cap) the right password works, and the pair starts afresh.
      await expect(signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: attacker, now: last })).rejects.toMatchObject({
        code: 'rate_limited',
        retryAfter: 900,
      });
      last = at(last, 900);
      expect((await signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: attacker, now: last })).id).toBe(u.id);
      await expect(signIn(h.db, { email: u.email, password: 'wrong-fresh' }, { ip: attacker, now: last })).rejects.toMatchObject({ code: 'invalid' });
    });

    it('forgets a pair after a quiet day', async () => {
      const u = await makeUser(h.db);
      const t0 = new Date('2032-01-04T00:00:00Z');
      for (let i = 0; i <= BACKOFF.signInPair.free; i++)
        await signIn(h.db, { email: u.email, password: `wrong-${i}` }, { ip: attacker, now: t0 }).catch(() => {});
      await expect(signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: attacker, now: t0 })).rejects.toMatchObject({ code: 'rate_limited' });
      // A day later the count starts over: five free tries again (a continued count would refuse the second).
      const nextDay = at(t0, BACKOFF.signInPair.forgetSeconds);
      for (let i = 0; i < BACKOFF.signInPair.free; i++) {
        await expect(signIn(h.db, { email: u.email, password: `wrong-again-${i}` }, { ip: attacker, now: nextDay })).rejects.toMatchObject({ code: 'invalid' });
      }
    });

    it('gives one client a larger budget across accounts, then waits of at most a minute; other clients are unaffected', async () => {
      const t0 = new Date('2032-01-05T00:00:00Z');
      const client = '203.0.113.200';
      const key = signInKeys.client(client);
      // Burn the client's budget cheaply through the counter sign-in uses (one guess at each of many accounts).
      for (let i = 0; i < BACKOFF.signInClient.free; i++) expect((await claimBackoff(h.db, key, BACKOFF.signInClient, t0)).ok).toBe(true);
      const u = await makeUser(h.db);
      await expect(signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: client, now: t0 })).rejects.toMatchObject({
        code: 'rate_limited',
        retryAfter: 1,
      });
      expect((await signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: '203.0.113.201', now: t0 })).id).toBe(u.id);
      // After the wait a right password gets through and gives its attempt back.
      expect((await signIn(h.db, { email: u.email, password: TEST_PASSWORD }, { ip: client, now: at(t0, 1) })).id).toBe(u.id);
      const [row] = await h.db.select().from(backoffCounters).where(eq(backoffCounters.key, key));
      // The refused attempt was not counted, and the success gave its own back.
      expect(row!.failures).toBe(BACKOFF.signInClient.free);
      // The waits per client stop growing at a minute.
      for (let i = 0; i < 20; i++) await claimBackoff(h.db, key, BACKOFF.signInClient, at(t0, 3600 * (i + 1)));
      const capped = await claimBackoff(h.db, key, BACKOFF.signInClient, at(t0, 3600 * 20));
      expect(capped).toEqual({ ok: false, key, retryAfter: BACKOFF.signInClient.maxSeconds });
    });

    it('lets exactly the allowed number through when attempts race on two database handles', async () => {
      const now = new Date('2032-01-06T00:00:00Z');
      const key = signInKeys.pair(uniqueEmail(), attacker);
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => claimBackoff(i % 2 ? second.db : h.db, key, BACKOFF.signInPair, now)));
      expect(results.filter((r) => r.ok)).toHaveLength(BACKOFF.signInPair.free);
      const [row] = await h.db.select().from(backoffCounters).where(eq(backoffCounters.key, key));
      expect(row!.failures).toBe(BACKOFF.signInPair.free);
    });
  });

  describe('rate limits (fixed windows)', () => {
    it('holds across two database handles (two server processes)', async () => {
      const now = new Date('2032-03-01T00:00:00Z');
      const key = `test:${uniqueEmail()}`;
      const policy = { limit: 4, windowSeconds: 60 };
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => hit(i % 2 ? second.db : h.db, key, policy, now)));
      expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(results.filter((r) => r.ok)).toHaveLength(4);
    });

    it('limits sign-ups per IP and reset requests per account', async () => {
      const mail = fakeMail(h.db);
      const now = new Date('2032-04-01T00:00:00Z');
      const email = uniqueEmail('reset');
      for (let i = 0; i < POLICIES.resetAccount.limit; i++) await requestPasswordReset(h.db, mail, email, { ip: `10.6.0.${i}`, now });
      await expect(requestPasswordReset(h.db, mail, email, { ip: '10.6.0.9', now })).rejects.toMatchObject({
        code: 'rate_limited',
      });

      for (let i = 0; i < POLICIES.signUpIp.limit; i++) await hit(h.db, 'signUpIp:ip:10.6.1.1', POLICIES.signUpIp, now);
      await expect(signUp(h.db, mail, { name: 'Bot', email: uniqueEmail('bot'), password: 'password-ok' }, { ip: '10.6.1.1', now })).rejects.toMatchObject({
        code: 'rate_limited',
        retryAfter: 3600,
      });
    });
  });
});
