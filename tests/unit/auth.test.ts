import { describe, expect, it } from 'vitest';
import { changePasswordSchema, emailField, newPasswordField, resetPasswordSchema, signInSchema, signUpSchema } from '#lib/auth/schema';
import { ABSOLUTE_MS, IDLE_MS, sessionCookieAttributes, sessionCookieName, sessionExpiresAt } from '#lib/auth/session';
import { randomToken, sha256Hex, timingSafeEqual } from '#lib/shared/tokens';
import { humanWait, keys, retryAfterSeconds, windowStart } from '#lib/ratelimit';
import { organizationSchema, parseLocations } from '#lib/orgs/schema';
import { slugify } from '#lib/shared/slug';
import { displayStatus } from '#lib/jobs/service';
import { computeSearchExtra, jobSlugBase } from '#lib/jobs/search-text';
import { questionSchema } from '#lib/jobs/schema';

describe('tokens', () => {
  it('draws base32 tokens from the CSPRNG, never the same twice', () => {
    const seen = new Set(Array.from({ length: 500 }, () => randomToken(20)));
    expect(seen.size).toBe(500);
    for (const t of seen) expect(t).toMatch(/^[a-z2-7]{32}$/);
    expect(randomToken(15)).toMatch(/^[a-z2-7]{24}$/);
  });

  it('hashes with SHA-256 and compares in constant time, length first', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });
});

describe('session lifetime and cookie', () => {
  it('expires at the earlier of idle and absolute limits', () => {
    const created = new Date('2030-01-01T00:00:00Z');
    expect(sessionExpiresAt({ createdAt: created, lastVerifiedAt: created }).getTime()).toBe(created.getTime() + IDLE_MS);
    const late = new Date(created.getTime() + 28 * 86_400_000);
    expect(sessionExpiresAt({ createdAt: created, lastVerifiedAt: late }).getTime()).toBe(created.getTime() + ABSOLUTE_MS);
  });

  it('names the cookie __Host-session in production and always marks it Secure there', () => {
    expect(sessionCookieName(true)).toBe('__Host-session');
    expect(sessionCookieName(false)).toBe('session');
    const exp = new Date();
    expect(sessionCookieAttributes({ production: true, https: false }, exp)).toEqual({
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      path: '/',
      expires: exp,
    });
    expect(sessionCookieAttributes({ production: false, https: false }, exp).secure).toBe(false);
    expect(sessionCookieAttributes({ production: false, https: true }, exp).secure).toBe(true);
  });
});

describe('account schemas', () => {
  it('takes passwords of 8 to 128 characters, anything in them', () => {
    expect(newPasswordField.safeParse('1234567').success).toBe(false);
    expect(newPasswordField.safeParse('12345678').success).toBe(true);
    expect(newPasswordField.safeParse('é'.repeat(128)).success).toBe(true);
    expect(newPasswordField.safeParse('x'.repeat(129)).success).toBe(false);
    expect(newPasswordField.safeParse('        ').success).toBe(true);
  });

  it('normalizes emails and explains bad ones', () => {
    expect(emailField.parse('  Casey@Example.COM ')).toBe('casey@example.com');
    const r = emailField.safeParse('not-an-email');
    expect(r.error?.issues[0]?.message).toBe('Enter an email address like name@example.com.');
  });

  it('checks sign-in input loosely, so every failure reads alike', () => {
    expect(signInSchema.safeParse({ email: 'x', password: 'y' }).success).toBe(true);
    expect(signInSchema.safeParse({ email: 'x', password: '' }).success).toBe(false);
  });

  it('confirms new passwords match', () => {
    expect(resetPasswordSchema.safeParse({ token: 'a'.repeat(32), password: 'password-1', confirm: 'password-2' }).error?.issues[0]?.path).toEqual(['confirm']);
    expect(changePasswordSchema.safeParse({ currentPassword: 'x', newPassword: 'password-1', confirm: 'password-1' }).success).toBe(true);
    expect(resetPasswordSchema.safeParse({ token: 'not-a-token', password: 'password-1', confirm: 'password-1' }).success).toBe(false);
  });

  it('drops an unsafe `next` in the form schemas instead of refusing the form', () => {
    expect(signUpSchema.parse({ name: 'A', email: 'a@b.co', password: 'password-1', next: '//evil.example' }).next).toBeUndefined();
    expect(signInSchema.parse({ email: 'a@b.co', password: 'x', next: '/\t/evil.example' }).next).toBeUndefined();
    expect(signInSchema.parse({ email: 'a@b.co', password: 'x', next: '/jobs?q=x#a' }).next).toBe('/jobs?q=x#a');
  });
});

describe('rate-limit windows', () => {
  it('aligns windows and computes Retry-After', () => {
    const now = new Date('2030-01-01T10:07:30Z');
    expect(windowStart(now, 900).toISOString()).toBe('2030-01-01T10:00:00.000Z');
    expect(retryAfterSeconds(now, windowStart(now, 900), 900)).toBe(450);
    expect(retryAfterSeconds(new Date('2030-01-01T10:14:59.999Z'), windowStart(now, 900), 900)).toBe(1);
    expect(humanWait(1)).toBe('1 second');
    expect(humanWait(61)).toBe('2 minutes');
  });

  it('keys accounts case-insensitively', () => {
    expect(keys.account('resetAccount', ' Casey@Example.com')).toBe(keys.account('resetAccount', 'casey@example.com'));
    expect(keys.ip('resetIp', '10.0.0.1')).not.toBe(keys.ip('signUpIp', '10.0.0.1'));
  });
});

describe('organizations and postings (pure parts)', () => {
  it('parses program locations one per line', () => {
    expect(parseLocations('Pittsburgh, PA\n  erie ,pa \n\nPittsburgh, pa')).toEqual({
      locations: [
        { city: 'Pittsburgh', state: 'PA' },
        { city: 'erie', state: 'PA' },
      ],
      errors: [],
    });
    expect(parseLocations('Somewhere, ZZ').errors).toHaveLength(1);
    expect(organizationSchema.parse({ name: 'Acme', website: 'acme.example.org' }).website).toBe('https://acme.example.org');
    expect(organizationSchema.safeParse({ name: 'Acme', website: 'javascript:alert(1)' }).success).toBe(false);
  });

  it('builds slugs from names and titles', () => {
    expect(slugify('  St. Mary’s Behavioral Health & Wellness  ')).toBe('st-mary-s-behavioral-health-and-wellness');
    expect(slugify('!!!')).toBe(''); // callers choose their fallback (organizations use "organization")
    expect(jobSlugBase('PMHNP – Adult PHP (Evenings)', 'Wilkes-Barre', 'PA')).toBe('pmhnp-adult-php-evenings-wilkes-barre-pa');
  });

  it('writes the search text the full-text fallback needs', () => {
    expect(computeSearchExtra(['LPC', 'LCSW'], 'Acme Health', 'therapist')).toBe(
      'LCSW LPC Licensed Clinical Social Worker Licensed Professional Counselor Acme Health Therapist / Primary Clinician',
    );
  });

  it('derives the displayed status, expired included', () => {
    const now = new Date('2030-01-10T00:00:00Z');
    const past = new Date('2030-01-09T23:59:59Z');
    const future = new Date('2030-02-01T00:00:00Z');
    expect(displayStatus({ status: 'published', validThrough: past, expiredAt: null }, now)).toBe('expired');
    expect(displayStatus({ status: 'published', validThrough: future, expiredAt: now }, now)).toBe('expired');
    expect(displayStatus({ status: 'published', validThrough: future, expiredAt: null }, now)).toBe('published');
    expect(displayStatus({ status: 'closed', validThrough: past, expiredAt: null }, now)).toBe('closed');
  });

  it('checks screening questions and their knockout answers', () => {
    expect(questionSchema.safeParse({ kind: 'yes_no', prompt: 'Licensed in PA?', knockoutAnswer: 'maybe' }).success).toBe(false);
    expect(questionSchema.safeParse({ kind: 'single_choice', prompt: 'Shift?', options: ['Days'] }).success).toBe(false);
    expect(questionSchema.safeParse({ kind: 'single_choice', prompt: 'Shift?', options: ['Days', 'days'] }).success).toBe(false);
    expect(questionSchema.safeParse({ kind: 'short_text', prompt: 'Start date?', knockoutAnswer: 'never' }).success).toBe(false);
    expect(questionSchema.parse({ kind: 'yes_no', prompt: 'Licensed in PA?', options: ['ignored'], knockoutAnswer: 'no' })).toEqual({
      kind: 'yes_no',
      prompt: 'Licensed in PA?',
      options: [],
      required: true,
      knockoutAnswer: 'no',
    });
  });
});
