import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { backoffCounters, invitations, jobs, members, sessions } from '#db/schema';
import { createSession } from '#lib/auth/session';
import { signInKeys } from '#lib/auth/sign-in-throttle';
import type { MemberRole } from '#lib/domain/taxonomy';
import { createJob } from '#lib/jobs/service';
import { inviteMember } from '#lib/orgs/service';
import { jobInput, makeTeam, makeUser, TEST_PASSWORD, type Team } from '../helpers/factories';
import { fakeMail } from '../helpers/mail';
import { useServerDb } from '../helpers/test-db';

/**
 * The security rules over HTTP against the built production server: session
 * cookie, fixation, sign-out, enumeration-safe messages, rate limits (429 +
 * Retry-After), CSRF (cross-origin form posts → 403, actions included), no
 * state change on GET, and the role × route matrix with a second
 * organization's ids (→ the same 404 as a missing id).
 */
const base = inject('serverUrl');
const COOKIE = '__Host-session';
const EVIL = 'https://evil.example';

function cookieFrom(res: Response): string | undefined {
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
  const value = set?.split(';')[0]?.slice(COOKIE.length + 1);
  return value || undefined;
}

async function req(
  path: string,
  opts: {
    method?: string;
    cookie?: string;
    form?: Record<string, string>;
    origin?: string | null;
    contentType?: string;
    body?: string;
    forwardedFor?: string;
  } = {},
) {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = `${COOKIE}=${opts.cookie}`;
  if (opts.forwardedFor) headers['x-forwarded-for'] = opts.forwardedFor;
  const posting = opts.form !== undefined || opts.body !== undefined;
  if (opts.origin !== null && posting) headers.origin = opts.origin ?? base;
  let body: string | undefined = opts.body;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (opts.contentType) headers['content-type'] = opts.contentType;
  return fetch(`${base}${path}`, {
    method: opts.method ?? (posting ? 'POST' : 'GET'),
    headers,
    body,
    redirect: 'manual',
  });
}

describe.skipIf(!base)(`security over HTTP against the built server (${inject('unavailable') || 'services available'})`, () => {
  const h = useServerDb();
  let A: Team;
  let B: Team;
  let bDraft: { id: string; slug: string };
  let bInvitation: string;
  const cookies: Record<'A' | 'B', Record<MemberRole, string>> = { A: {} as never, B: {} as never };

  beforeAll(async () => {
    const tag = crypto.randomBytes(2).toString('hex');
    A = await makeTeam(h.db, `Alder Health ${tag}`);
    B = await makeTeam(h.db, `Birch Health ${tag}`);
    bDraft = await createJob(h.db, B.actors.admin, jobInput({ title: `Birch Draft Therapist ${tag}` }));
    bInvitation = (await inviteMember(h.db, fakeMail(), B.actors.admin, { email: `invitee-${tag}@example.com`, role: 'recruiter' })).invitationId;
    for (const [key, t] of [
      ['A', A],
      ['B', B],
    ] as const) {
      for (const role of ['admin', 'hiring_manager', 'recruiter'] as const) {
        const user = role === 'admin' ? t.admin : role === 'hiring_manager' ? t.hiringManager : t.recruiter;
        cookies[key][role] = (await createSession(h.db, user.id, { activeOrgId: t.org.id })).token;
      }
    }
  });
  describe('sessions', () => {
    it('signs in with a __Host- cookie: HttpOnly, Secure, SameSite=Lax, Path=/, no Domain', async () => {
      const u = await makeUser(h.db);
      const r = await req('/sign-in?_action=auth.signIn', { form: { email: u.email, password: TEST_PASSWORD } });
      expect(r.status).toBe(303);
      const set = r.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`))!;
      expect(set).toMatch(/HttpOnly/i);
      expect(set).toMatch(/Secure/i);
      expect(set).toMatch(/SameSite=Lax/i);
      expect(set).toMatch(/Path=\//i);
      expect(set).not.toMatch(/Domain=/i);
      expect(set).toMatch(/Expires=/i);
      const token = cookieFrom(r)!;
      // The database holds the id and a hash — not the secret.
      const [id, secret] = token.split('.') as [string, string];
      const [row] = await h.db.select().from(sessions).where(eq(sessions.id, id));
      expect(row).toBeDefined();
      expect(Buffer.from(row!.secretHash).toString('hex')).not.toContain(Buffer.from(secret).toString('hex'));
      expect((await req('/account', { cookie: token })).status).toBe(200);
    });

    it('replaces the session on sign-in: the cookie the browser had before is dead after (fixation)', async () => {
      const u = await makeUser(h.db);
      const planted = (await createSession(h.db, u.id)).token;
      expect((await req('/account', { cookie: planted })).status).toBe(200);
      const r = await req('/sign-in?_action=auth.signIn', {
        cookie: planted,
        form: { email: u.email, password: TEST_PASSWORD },
      });
      expect(r.status).toBe(303);
      const fresh = cookieFrom(r)!;
      expect(fresh).not.toBe(planted);
      const dead = await req('/account', { cookie: planted });
      expect(dead.status).toBe(303);
      expect(dead.headers.get('location')).toMatch(/\/sign-in\?next=%2Faccount$/);
      expect((await req('/account', { cookie: fresh })).status).toBe(200);
    });

    it('signs out only by POST; GET /sign-out changes nothing', async () => {
      const u = await makeUser(h.db);
      const token = (await createSession(h.db, u.id)).token;
      expect((await req('/sign-out', { cookie: token })).status).toBe(200);
      expect((await req('/account', { cookie: token })).status).toBe(200);
      const out = await req('/sign-out', { cookie: token, form: {} });
      expect(out.status).toBe(303);
      expect(out.headers.getSetCookie().join(';')).toMatch(new RegExp(`${COOKIE}=;`));
      expect((await req('/account', { cookie: token })).status).toBe(303);
    });

    it('issues a new session on privilege changes: creating an organization, joining one, changing the password', async () => {
      const u = await makeUser(h.db);
      const before = (await createSession(h.db, u.id)).token;
      const created = await req('/employer/new?_action=orgs.create', {
        cookie: before,
        form: { name: `Rotation Check ${crypto.randomBytes(2).toString('hex')}` },
      });
      expect(created.status).toBe(303);
      expect(created.headers.get('location')).toMatch(/\/employer\/rotation-check-[a-z0-9]+\?notice=created$/);
      const asAdmin = cookieFrom(created)!;
      expect(asAdmin).not.toBe(before);
      expect((await req('/account', { cookie: before })).status).toBe(303);
      expect((await req('/account', { cookie: asAdmin })).status).toBe(200);

      const host = await makeTeam(h.db);
      const invited = await inviteMember(h.db, fakeMail(), host.actors.admin, { email: u.email, role: 'recruiter' });
      const joined = await req(`/invitations/${invited.token}?_action=orgs.acceptInvitation`, {
        cookie: asAdmin,
        form: { token: invited.token },
      });
      expect(joined.status).toBe(303);
      expect(joined.headers.get('location')).toBe(`/employer/${host.org.slug}?notice=joined`);
      const asMember = cookieFrom(joined)!;
      expect((await req('/account', { cookie: asAdmin })).status).toBe(303);
      expect((await req(`/employer/${host.org.slug}`, { cookie: asMember })).status).toBe(200);

      const elsewhere = (await createSession(h.db, u.id)).token;
      const changed = await req('/account?_action=auth.changePassword', {
        cookie: asMember,
        form: { currentPassword: TEST_PASSWORD, newPassword: 'a new passphrase', confirm: 'a new passphrase' },
      });
      expect(changed.status).toBe(303);
      const renewed = cookieFrom(changed)!;
      expect((await req('/account', { cookie: elsewhere })).status).toBe(303);
      expect((await req('/account', { cookie: asMember })).status).toBe(303);
      expect((await req('/account', { cookie: renewed })).status).toBe(200);
    });

    it('signs out everywhere', async () => {
      const u = await makeUser(h.db);
      const [a, b] = [(await createSession(h.db, u.id)).token, (await createSession(h.db, u.id)).token];
      const r = await req('/account?_action=auth.signOutEverywhere', { cookie: a, form: {} });
      expect(r.status).toBe(303);
      expect(r.headers.get('location')).toMatch(/\/sign-in\?notice=everywhere/);
      expect((await req('/account', { cookie: a })).status).toBe(303);
      expect((await req('/account', { cookie: b })).status).toBe(303);
    });
  });

  describe('sign-in answers', () => {
    it('says the same for an unknown email and a wrong password', async () => {
      const u = await makeUser(h.db);
      const unknown = await req('/sign-in?_action=auth.signIn', {
        form: { email: `ghost-${crypto.randomBytes(3).toString('hex')}@example.com`, password: 'not the password' },
      });
      const wrong = await req('/sign-in?_action=auth.signIn', {
        form: { email: u.email, password: 'not the password' },
      });
      expect(unknown.status).toBe(400);
      expect(wrong.status).toBe(400);
      const alert = (html: string) => /<div class="notice bad form-errors"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1];
      const [x, y] = [alert(await unknown.text()), alert(await wrong.text())];
      expect(x).toContain('Incorrect email or password.');
      expect(x).toBe(y);
    });

    it('throttles one client guessing one account (429 + Retry-After) while the owner signs in from elsewhere', async () => {
      // The e2e server runs with TRUST_PROXY=1: the last X-Forwarded-For entry is the client.
      const u = await makeUser(h.db);
      const attacker = `203.0.113.${crypto.randomInt(1, 255)}`;
      const owner = `198.51.100.${crypto.randomInt(1, 255)}`;
      const signIn = (password: string, xff: string, path = '/sign-in?_action=auth.signIn') =>
        req(path, { form: { email: u.email, password }, forwardedFor: xff });
      for (let i = 0; i < 5; i++) expect((await signIn(`wrong-${i}-password`, attacker)).status).toBe(400);
      // Lockouts used to refuse the owner here (issue 9, item 7): now only the attacking client waits.
      expect((await signIn(TEST_PASSWORD, owner)).status).toBe(303);

      // Push the attacker's pair deep into its waits (as twenty failures would) rather than sleep through them.
      await h.db
        .update(backoffCounters)
        .set({ failures: 20, lastAttemptAt: new Date() })
        .where(eq(backoffCounters.key, signInKeys.pair(u.email, attacker)));
      const last = await signIn(TEST_PASSWORD, attacker);
      expect(last.status).toBe(429);
      const retry = Number(last.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(15 * 60);
      expect(await last.text()).toMatch(/Too many attempts\. Try again in \d+ (minute|second)/);
      // Writing the owner's address to the left changes nothing: only our proxy's entry counts.
      expect((await signIn(TEST_PASSWORD, `${owner}, ${attacker}`)).status).toBe(429);
      // The RPC form of the action says the same.
      const rpc = await signIn(TEST_PASSWORD, attacker, '/_actions/auth.signIn');
      expect(rpc.status).toBe(429);
      expect(Number(rpc.headers.get('retry-after'))).toBeGreaterThan(0);
      // The same client can still sign in to other accounts, and the owner still can too.
      const other = await makeUser(h.db);
      expect(
        (
          await req('/sign-in?_action=auth.signIn', {
            form: { email: other.email, password: TEST_PASSWORD },
            forwardedFor: attacker,
          })
        ).status,
      ).toBe(303);
      expect((await signIn(TEST_PASSWORD, owner)).status).toBe(303);
    });
  });

  describe('CSRF', () => {
    it('refuses cross-origin form posts to pages and actions with 403', async () => {
      const u = await makeUser(h.db);
      const token = (await createSession(h.db, u.id)).token;
      const cases: [string, Record<string, string>][] = [
        ['/sign-in?_action=auth.signIn', { email: u.email, password: TEST_PASSWORD }],
        ['/_actions/auth.signIn', { email: u.email, password: TEST_PASSWORD }],
        ['/account?_action=auth.signOutEverywhere', {}],
        ['/_actions/auth.changePassword', { currentPassword: TEST_PASSWORD, newPassword: 'attacker-chosen', confirm: 'attacker-chosen' }],
        ['/sign-out', {}],
        [`/employer/${A.org.slug}/members?_action=orgs.invite`, { org: A.org.id, email: 'attacker@evil.example', role: 'admin' }],
        ['/_actions/orgs.invite', { org: A.org.id, email: 'attacker@evil.example', role: 'admin' }],
        ['/_actions/jobs.duplicate', { org: A.org.id, jobId: bDraft.id }],
      ];
      for (const [path, form] of cases) {
        for (const origin of [EVIL, null]) {
          const cookie = path.includes('orgs.') || path.includes('jobs.') ? cookies.A.admin : token;
          const r = await req(path, { cookie, form, origin });
          expect(r.status, `${path} from ${origin}`).toBe(403);
          expect(await r.text()).toMatch(/Cross-site POST form submissions are forbidden/);
        }
      }
      // text/plain and multipart are form-like too.
      expect(
        (
          await req('/_actions/auth.signOutEverywhere', {
            cookie: token,
            body: 'x=1',
            contentType: 'text/plain',
            origin: EVIL,
          })
        ).status,
      ).toBe(403);
      const mp = await fetch(`${base}/_actions/auth.signOutEverywhere`, {
        method: 'POST',
        headers: { origin: EVIL, cookie: `${COOKIE}=${token}` },
        body: new FormData(),
      });
      expect(mp.status).toBe(403);
      // Nothing happened: the session lives, the password is unchanged, no invitation went out.
      expect((await req('/account', { cookie: token })).status).toBe(200);
      const inv = await h.db.select().from(invitations).where(eq(invitations.email, 'attacker@evil.example'));
      expect(inv).toHaveLength(0);
    });

    it('accepts the same posts from the site itself', async () => {
      const u = await makeUser(h.db);
      const token = (await createSession(h.db, u.id)).token;
      expect((await req('/sign-out', { cookie: token, form: {} })).status).toBe(303);
    });
  });

  describe('role × route matrix', () => {
    const MISSING = '00000000-0000-4000-8000-000000000000';
    const normalize = (html: string, path: string) => html.split(path).join('<path>');

    async function notFoundLike(path: string, cookie: string) {
      const r = await req(path, { cookie });
      return { status: r.status, body: normalize(await r.text(), path) };
    }

    it('gives members of A the same 404 on every organization page of B as on a missing one', async () => {
      const missingOrg = await notFoundLike('/employer/no-such-organization-here', cookies.A.admin);
      expect(missingOrg.status).toBe(404);
      const bRoutes = (org: string) => [
        `/employer/${org}`,
        `/employer/${org}/members`,
        `/employer/${org}/settings`,
        `/employer/${org}/audit`,
        `/employer/${org}/jobs/new`,
        `/employer/${org}/jobs/${bDraft.id}`,
      ];
      for (const role of ['admin', 'hiring_manager', 'recruiter'] as const) {
        // The 404 page greets the signed-in user, so compare with the same user's missing-id page.
        const missingForRole = await notFoundLike('/employer/no-such-organization-here', cookies.A[role]);
        for (const path of [...bRoutes(B.org.slug), ...bRoutes(B.org.id)]) {
          const r = await notFoundLike(path, cookies.A[role]);
          expect(r.status, `${role} ${path}`).toBe(404);
          expect(r.body, `${role} ${path}`).toBe(missingForRole.body);
        }
        // Reports and their CSVs (whole and per section): the same 404 as a missing organization's.
        for (const suffix of ['/reports', '/reports?format=csv', '/reports?format=csv&section=funnel', '/reports?format=csv&section=fairness']) {
          const missing = await notFoundLike(`/employer/no-such-organization-here${suffix}`, cookies.A[role]);
          for (const org of [B.org.slug, B.org.id]) {
            const r = await notFoundLike(`/employer/${org}${suffix}`, cookies.A[role]);
            expect(r.status, `${role} ${org}${suffix}`).toBe(404);
            expect(r.body.split(org).join('<org>'), `${role} ${org}${suffix}`).toBe(missing.body.split('no-such-organization-here').join('<org>'));
          }
          // B's posting as the report's job under A's own URL: the same 404 as a missing posting.
          const sep = suffix.includes('?') ? '&' : '?';
          const crossJob = await notFoundLike(`/employer/${A.org.slug}${suffix}${sep}job=${bDraft.id}`, cookies.A[role]);
          const missingJob = await notFoundLike(`/employer/${A.org.slug}${suffix}${sep}job=${MISSING}`, cookies.A[role]);
          // (A recruiter asking for the fairness section is refused for any job, A's, B's or none: 403 either way.)
          expect(crossJob.status, `${role} ${suffix} job of B`).toBe(role === 'recruiter' && suffix.includes('fairness') ? 403 : 404);
          expect(missingJob.status).toBe(crossJob.status);
          expect(crossJob.body.split(bDraft.id).join('<id>')).toBe(missingJob.body.split(MISSING).join('<id>'));
        }
        // B's posting under A's own URL: the same 404 as a missing posting of A.
        const cross = await notFoundLike(`/employer/${A.org.slug}/jobs/${bDraft.id}`, cookies.A[role]);
        const missing = await notFoundLike(`/employer/${A.org.slug}/jobs/${MISSING}`, cookies.A[role]);
        expect(cross.status).toBe(404);
        expect(cross.body).toBe(missing.body);
      }
      // B's draft is not public either.
      expect((await req(`/jobs/${bDraft.slug}`, { cookie: cookies.A.admin })).status).toBe(404);
      expect((await req(`/jobs/${bDraft.slug}`)).status).toBe(404);
    });

    it('refuses every organization action on B’s objects with the 404 a missing id gets, and changes nothing', async () => {
      const bUser = B.recruiter.id;
      const actionsOn = (org: string, jobId: string, userId: string, invitationId: string): [string, Record<string, string>][] => [
        ['jobs.publish', { org, jobId }],
        ['jobs.close', { org, jobId }],
        ['jobs.renew', { org, jobId }],
        ['jobs.duplicate', { org, jobId }],
        ['orgs.changeRole', { org, userId, role: 'admin' }],
        ['orgs.removeMember', { org, userId }],
        ['orgs.revokeInvitation', { org, invitationId }],
        ['orgs.invite', { org, email: 'x@example.com', role: 'admin' }],
        ['orgs.update', { org, name: 'Taken Over' }],
        ['orgs.switch', { org }],
      ];
      for (const role of ['admin', 'hiring_manager', 'recruiter'] as const) {
        for (const [name, form] of actionsOn(B.org.id, bDraft.id, bUser, bInvitation)) {
          const r = await req(`/_actions/${name}`, { cookie: cookies.A[role], form });
          expect(r.status, `${role} ${name} on B`).toBe(404);
          const body = await r.json();
          expect(body.code).toBe('NOT_FOUND');
          expect(body.message).toBe('We could not find that page.');
        }
        // A missing organization answers identically.
        const r = await req('/_actions/jobs.close', {
          cookie: cookies.A[role],
          form: { org: MISSING, jobId: MISSING },
        });
        expect(r.status).toBe(404);
        expect((await r.json()).message).toBe('We could not find that page.');
      }
      // The posting form's action, too (as a plain form post to a page).
      const fd = new URLSearchParams({
        org: B.org.id,
        jobId: bDraft.id,
        version: '1',
        intent: 'publish',
        title: 'Hijacked title here',
        role: 'therapist',
        programType: 'IOP',
        setting: 'onsite',
        schedule: 'days',
        track: 'day',
        employmentType: 'full_time',
        payPeriod: 'year',
        payMin: '60000',
        payMax: '70000',
        city: 'Erie',
        state: 'PA',
        zip: '16501',
        descriptionMd: 'x'.repeat(60),
        credentials: 'LCSW',
        validThrough: '2099-01-01',
      });
      const save = await req(`/employer/${A.org.slug}/jobs/new?_action=jobs.save`, {
        cookie: cookies.A.admin,
        body: fd.toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(save.status).toBe(404);
      const [job] = await h.db.select().from(jobs).where(eq(jobs.id, bDraft.id));
      expect(job!.status).toBe('draft');
      expect(job!.title).not.toBe('Hijacked title here');
      expect(await h.db.select().from(members).where(eq(members.orgId, B.org.id))).toHaveLength(3);
    });

    it('admits each role of A to the pages its role allows, 403 elsewhere, and sends strangers to sign in', async () => {
      const expected: Record<string, Record<MemberRole, number>> = {
        '': { admin: 200, hiring_manager: 200, recruiter: 200 },
        '/members': { admin: 200, hiring_manager: 200, recruiter: 200 },
        '/jobs/new': { admin: 200, hiring_manager: 200, recruiter: 403 },
        '/settings': { admin: 200, hiring_manager: 403, recruiter: 403 },
        '/audit': { admin: 200, hiring_manager: 403, recruiter: 403 },
        '/reports': { admin: 200, hiring_manager: 200, recruiter: 200 },
        '/reports?section=funnel': { admin: 200, hiring_manager: 200, recruiter: 200 },
        '/reports?section=fairness': { admin: 200, hiring_manager: 200, recruiter: 403 },
        '/reports?format=csv': { admin: 200, hiring_manager: 200, recruiter: 200 },
        '/reports?format=csv&section=fairness': { admin: 200, hiring_manager: 200, recruiter: 403 },
      };
      for (const [suffix, byRole] of Object.entries(expected)) {
        for (const role of ['admin', 'hiring_manager', 'recruiter'] as const) {
          const r = await req(`/employer/${A.org.slug}${suffix}`, { cookie: cookies.A[role] });
          expect(r.status, `${role} ${suffix || '/'}`).toBe(byRole[role]);
        }
        const anon = await req(`/employer/${A.org.slug}${suffix}`);
        expect(anon.status).toBe(303);
        expect(anon.headers.get('location')).toContain('/sign-in?next=');
      }
      // Reports: recruiters see the pipeline sections, never the fairness (EEO) section, on the page or in the CSV.
      for (const role of ['admin', 'hiring_manager', 'recruiter'] as const) {
        const page = await (await req(`/employer/${A.org.slug}/reports`, { cookie: cookies.A[role] })).text();
        expect(page).toContain('<svg');
        expect(page.includes('id="fair-h"'), role).toBe(role !== 'recruiter');
        const csv = await req(`/employer/${A.org.slug}/reports?format=csv`, { cookie: cookies.A[role] });
        expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="report-/);
        const body = await csv.text();
        expect(body.startsWith('Section,Scope,Item,Measure,Value')).toBe(true);
        expect(/^fairness/m.test(body), role).toBe(role !== 'recruiter');
      }
      const bad = await req(`/employer/${A.org.slug}/reports?from=2026-13-40`, { cookie: cookies.A.admin });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('Enter a real date.');
      const badCsv = await req(`/employer/${A.org.slug}/reports?format=csv&from=2026-05-01&to=2026-01-01`, { cookie: cookies.A.admin });
      expect(badCsv.status).toBe(400);
      expect(await badCsv.text()).toContain('The start date must be on or before the end date.');
      // A recruiter cannot change postings through actions either.
      const own = await createJob(h.db, A.actors.admin, jobInput({ title: 'Alder Open Therapist' }), {
        publish: true,
      });
      const r = await req('/_actions/jobs.close', {
        cookie: cookies.A.recruiter,
        form: { org: A.org.id, jobId: own.id },
      });
      expect(r.status).toBe(403);
      const [row] = await h.db.select().from(jobs).where(eq(jobs.id, own.id));
      expect(row!.status).toBe('published');
      // An admin can.
      expect((await req('/_actions/jobs.close', { cookie: cookies.A.admin, form: { org: A.org.id, jobId: own.id } })).status).toBe(200);
    });

    it('never changes state on GET, even with an action in the query string', async () => {
      const r = await req(`/employer/${A.org.slug}/members?_action=orgs.removeMember&org=${A.org.id}&userId=${A.recruiter.id}`, { cookie: cookies.A.admin });
      expect(r.status).toBe(200);
      const [n] = await h.db.select({ n: sql<number>`count(*)::int` }).from(members).where(eq(members.orgId, A.org.id));
      expect(n!.n).toBe(3);
    });
  });
});
