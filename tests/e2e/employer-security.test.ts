import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import sharp from 'sharp';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  applicationMessages,
  applications,
  backoffCounters,
  interviews,
  invitations,
  jobFollows,
  jobs,
  kitCompetencies,
  members,
  offers,
  organizations,
  resumes,
  scorecards,
  sessions,
  users,
} from '#db/schema';
import { listReasons } from '#lib/applications/rejection-reasons';
import { sendTeamMessage } from '#lib/messages/service';
import { offerLinkToken } from '#lib/offers/links';
import { createOffer } from '#lib/offers/service';
import { createSession } from '#lib/auth/session';
import { signInKeys } from '#lib/auth/sign-in-throttle';
import type { MemberRole } from '#lib/domain/taxonomy';
import { createJob } from '#lib/jobs/service';
import { inviteMember } from '#lib/orgs/service';
import { ensureKit, readKit } from '#lib/scorecards/kits';
import { proposeInterview } from '#lib/interviews/service';
import { jobInput, makeApplication, makeJob, makeResume, makeTeam, makeUser, TEST_PASSWORD, type Team } from '../helpers/factories';
import { guideKitLoader, makeInterview } from '../helpers/scorecards';
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
const dataDir = inject('serverDataDir');
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
    headers?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { ...opts.headers };
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
        ['/account/delete?_action=account.delete', { password: TEST_PASSWORD }],
        ['/_actions/account.delete', { password: TEST_PASSWORD }],
        ['/_actions/orgs.setRetention', { org: A.org.id, months: '6' }],
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
      expect(await h.db.select().from(users).where(eq(users.id, u.id))).toHaveLength(1);
      const [org] = await h.db.select().from(organizations).where(eq(organizations.id, A.org.id));
      expect(org!.retentionMonths).toBe(24);
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
        ['orgs.setRetention', { org, months: '12' }],
        ['orgs.removeLogo', { org }],
      ];
      for (const role of ['admin', 'hiring_manager', 'recruiter'] as const) {
        for (const [name, form] of actionsOn(B.org.id, bDraft.id, bUser, bInvitation)) {
          const r = await req(`/_actions/${name}`, { cookie: cookies.A[role], form });
          expect(r.status, `${role} ${name} on B`).toBe(404);
          const body = await r.json();
          expect(body.code).toBe('NOT_FOUND');
          expect(body.message).toBe('We could not find that page.');
        }
        // A logo upload for B (multipart, with a real image) is refused the same way.
        const upload = new FormData();
        upload.set('org', B.org.id);
        upload.set(
          'logo',
          new Blob(
            [
              new Uint8Array(
                await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
                  .png()
                  .toBuffer(),
              ),
            ],
            { type: 'image/png' },
          ),
          'logo.png',
        );
        const up = await fetch(`${base}/_actions/orgs.uploadLogo`, {
          method: 'POST',
          headers: { cookie: `${COOKIE}=${cookies.A[role]}`, origin: base },
          body: upload,
        });
        expect(up.status, `${role} orgs.uploadLogo on B`).toBe(404);
        expect((await up.json()).message).toBe('We could not find that page.');
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
      expect((await h.db.select({ logo: organizations.logoPath }).from(organizations).where(eq(organizations.id, B.org.id)))[0]!.logo).toBeNull();
    });

    it('refuses every interview action and page on B’s application and interview with the 404 a missing id gets; the scheduling page needs a live token', async () => {
      const candidate = await makeUser(h.db);
      const bJob = await createJob(h.db, B.actors.admin, jobInput({ title: 'Birch Interview Therapist' }), { publish: true });
      const [bApp] = await h.db.insert(applications).values({ jobId: bJob.id, candidateId: candidate.id }).returning({ id: applications.id });
      const future = new Date(Date.now() + 20 * 24 * 3600_000).toISOString().slice(0, 10);
      const { interviewId } = await proposeInterview(h.db, fakeMail(), B.actors.hiring_manager, {
        applicationId: bApp!.id,
        kind: 'phone_screen',
        durationMinutes: 30,
        place: 'phone',
        placeDetail: '412-555-0100',
        timeZone: 'America/New_York',
        interviewerIds: [B.hiringManager.id],
        slots: [`${future}T10:00`],
      });
      const [before] = await h.db.select().from(interviews).where(eq(interviews.id, interviewId));
      const forms = (applicationId: string, id: string): [string, Record<string, string>][] => [
        [
          'interviews.propose',
          {
            applicationId,
            kind: 'phone_screen',
            durationMinutes: '30',
            place: 'phone',
            placeDetail: '412-555-0199',
            timeZone: 'America/New_York',
            interviewerIds: A.hiringManager.id,
            slots: `${future}T11:00`,
          },
        ],
        ['interviews.reschedule', { interviewId: id, version: '1', slots: `${future}T12:00` }],
        ['interviews.cancel', { interviewId: id, version: '1' }],
        ['interviews.outcome', { interviewId: id, version: '1', outcome: 'completed' }],
      ];
      for (const role of ['admin', 'hiring_manager', 'recruiter'] as const) {
        for (const [[name, form], [, missingForm]] of forms(bApp!.id, interviewId).map((f, i) => [f, forms(MISSING, MISSING)[i]!] as const)) {
          const r = await req(`/_actions/${name}`, { cookie: cookies.A[role], form });
          const m = await req(`/_actions/${name}`, { cookie: cookies.A[role], form: missingForm });
          expect(r.status, `${role} ${name} on B`).toBe(404);
          expect(m.status, `${role} ${name} on a missing id`).toBe(404);
          expect(await r.json()).toEqual(await m.json());
        }
        // The application page (with its Interviews section) is the same 404 as a missing one.
        const page = await notFoundLike(`/employer/applications/${bApp!.id}`, cookies.A[role]);
        const missing = await notFoundLike(`/employer/applications/${MISSING}`, cookies.A[role]);
        expect(page.status).toBe(404);
        expect(page.body).toBe(missing.body);
      }
      const [after] = await h.db.select().from(interviews).where(eq(interviews.id, interviewId));
      expect(after).toEqual(before);
      expect(await h.db.select().from(interviews).where(eq(interviews.applicationId, bApp!.id))).toHaveLength(1);
      // Signed out, an action on B's interview is a sign-in refusal, never a change.
      expect((await req('/_actions/interviews.cancel', { form: { interviewId, version: '1' } })).status).toBe(401);
      // The candidate's scheduling page: unknown or malformed tokens are 404; a forged pick is refused.
      expect((await req(`/interviews/schedule/${'a'.repeat(32)}`)).status).toBe(404);
      expect((await req('/interviews/schedule/not-a-token')).status).toBe(404);
      expect((await req('/_actions/interviews.pick', { form: { token: 'b'.repeat(32), slotId: MISSING, version: '1' } })).status).toBe(404);
      // Every role of A may schedule on A's own applications (recruiters too: scheduling is coordinator work).
      const aJob = await createJob(h.db, A.actors.admin, jobInput({ title: 'Alder Interview Therapist' }), { publish: true });
      for (const role of ['admin', 'hiring_manager', 'recruiter'] as const) {
        const c = await makeUser(h.db);
        const [aApp] = await h.db.insert(applications).values({ jobId: aJob.id, candidateId: c.id }).returning({ id: applications.id });
        const form = forms(aApp!.id, MISSING)[0]![1];
        const r = await req('/_actions/interviews.propose', { cookie: cookies.A[role], form });
        expect(r.status, `${role} proposes on A`).toBe(200);
      }
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
      // Only an admin may change how long ended applications are kept.
      for (const role of ['hiring_manager', 'recruiter'] as const) {
        const r = await req('/_actions/orgs.setRetention', { cookie: cookies.A[role], form: { org: A.org.id, months: '6' } });
        expect(r.status, role).toBe(403);
      }
      const [kept] = await h.db.select().from(organizations).where(eq(organizations.id, A.org.id));
      expect(kept!.retentionMonths).toBe(24);
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

    it('gives A the 404 a missing id gets for B’s interview kit, application scorecards and their actions, and changes nothing', async () => {
      // B: a job with its kit, an application, an interview that ended, with B's hiring manager on it.
      const bJob = bDraft.id;
      const bKit = await ensureKit(h.db, B.actors.admin, bJob, guideKitLoader());
      const bCompetency = bKit.competencies[0]!.id;
      const { id: bApp } = await makeApplication(h.db, bJob, (await makeUser(h.db)).id);
      const bInterview = await makeInterview(h.db, { orgId: B.org.id, applicationId: bApp, interviewers: [B.hiringManager.id] });
      // A's own application, to mix with B's interview.
      const aJob = await createJob(h.db, A.actors.admin, jobInput({ title: 'Alder Kit Therapist' }));
      const { id: aApp } = await makeApplication(h.db, aJob.id, (await makeUser(h.db)).id);
      for (const role of ['admin', 'hiring_manager', 'recruiter'] as const) {
        for (const [cross, missing] of [
          [`/employer/jobs/${bJob}/kit`, `/employer/jobs/${MISSING}/kit`],
          [`/employer/applications/${bApp}`, `/employer/applications/${MISSING}`],
        ] as const) {
          const r = await notFoundLike(cross, cookies.A[role]);
          const m = await notFoundLike(missing, cookies.A[role]);
          expect(r.status, `${role} ${cross}`).toBe(404);
          expect(r.body, `${role} ${cross}`).toBe(m.body);
        }
        const forms: [string, Record<string, string>][] = [
          ['scorecards.addCompetency', { jobId: bJob, name: 'Hostile competency' }],
          ['scorecards.updateCompetency', { jobId: bJob, competencyId: bCompetency, name: 'Renamed by A' }],
          ['scorecards.removeCompetency', { jobId: bJob, competencyId: bCompetency }],
          ['scorecards.submit', { applicationId: bApp, interviewId: bInterview, overall: 'strong_no' }],
          ['scorecards.submit', { applicationId: aApp, interviewId: bInterview, overall: 'strong_no' }],
          ['scorecards.addCompetency', { jobId: MISSING, name: 'Missing job' }],
        ];
        for (const [name, form] of forms) {
          const r = await req(`/_actions/${name}`, { cookie: cookies.A[role], form });
          expect(r.status, `${role} ${name} ${JSON.stringify(form)}`).toBe(404);
          const body = await r.json();
          expect(body.message).toBe('We could not find that page.');
        }
      }
      expect(await readKit(h.db, bJob)).toEqual(bKit);
      expect(await h.db.select().from(scorecards).where(eq(scorecards.interviewId, bInterview))).toEqual([]);
      // Within A: everyone reads the kit; only admins and hiring managers edit it.
      for (const role of ['admin', 'hiring_manager', 'recruiter'] as const) {
        const r = await req(`/employer/jobs/${aJob.id}/kit`, { cookie: cookies.A[role] });
        expect(r.status, role).toBe(200);
        expect((await r.text()).includes('Add a competency'), role).toBe(role !== 'recruiter');
      }
      const refused = await req('/_actions/scorecards.addCompetency', { cookie: cookies.A.recruiter, form: { jobId: aJob.id, name: 'Recruiter idea' } });
      expect(refused.status).toBe(403);
      const added = await req('/_actions/scorecards.addCompetency', { cookie: cookies.A.hiring_manager, form: { jobId: aJob.id, name: 'Manager idea' } });
      expect(added.status).toBe(200);
      expect((await h.db.select().from(kitCompetencies).where(eq(kitCompetencies.jobId, aJob.id))).map((c) => c.name)).toContain('Manager idea');
      // A member of A who is not the interview's interviewer cannot submit its scorecard.
      const aInterview = await makeInterview(h.db, { orgId: A.org.id, applicationId: aApp, interviewers: [A.hiringManager.id] });
      const notOnPanel = await req('/_actions/scorecards.submit', {
        cookie: cookies.A.recruiter,
        form: { applicationId: aApp, interviewId: aInterview, overall: 'yes' },
      });
      expect(notOnPanel.status).toBe(403);
      const anon = await req(`/employer/jobs/${aJob.id}/kit`);
      expect(anon.status).toBe(303);
      // Bad input as a plain form post: a 400 that says what to fix and keeps what was typed.
      const badKit = await req(`/employer/jobs/${aJob.id}/kit?_action=scorecards.addCompetency`, {
        cookie: cookies.A.admin,
        form: { jobId: aJob.id, name: 'x', questions: 'Keep this question?' },
      });
      expect(badKit.status).toBe(400);
      const kitHtml = await badKit.text();
      expect(kitHtml).toContain('Name the competency in 3 to 80 characters.');
      expect(kitHtml).toContain('Keep this question?');
      const badCard = await req(`/employer/applications/${aApp}?_action=scorecards.submit`, {
        cookie: cookies.A.hiring_manager,
        form: { applicationId: aApp, interviewId: aInterview, overall: 'yes', notes: 'Notes I wrote' },
      });
      expect(badCard.status).toBe(400);
      const cardHtml = await badCard.text();
      expect(cardHtml).toContain('Rate every competency, or mark it “Not assessed”.');
      expect(cardHtml).toContain('Notes I wrote');
      expect(await h.db.select().from(scorecards).where(eq(scorecards.interviewId, aInterview))).toEqual([]);
    });

    it('hiring loop: offers, messages, email history, follows and reasons on B’s ids answer as a missing id, and change nothing', async () => {
      const bJob = await makeJob(h.db, B.org.id, { title: 'Birch Offer Therapist' });
      const bCandidate = await makeUser(h.db);
      const bApp = await makeApplication(h.db, bJob.id, bCandidate.id, 'interview');
      const mail = fakeMail();
      const bOffer = await createOffer(h.db, mail, B.actors.hiring_manager, {
        applicationId: bApp.id,
        pay: '70000',
        payPeriod: 'year',
        startDate: '2027-01-04',
        schedule: 'Days',
      });
      await sendTeamMessage(h.db, mail, B.actors.hiring_manager, { applicationId: bApp.id, body: 'Birch only' });
      const [bReason] = await listReasons(h.db, B.org.id);
      const missingApp = await notFoundLike(`/employer/applications/${MISSING}`, cookies.A.admin);
      for (const role of ['admin', 'hiring_manager', 'recruiter'] as const) {
        const missingPage = await notFoundLike(`/employer/applications/${MISSING}`, cookies.A[role]);
        for (const path of [`/employer/applications/${bApp.id}`, `/employer/jobs/${bJob.id}/pipeline`]) {
          const r = await notFoundLike(path, cookies.A[role]);
          expect(r.status, `${role} ${path}`).toBe(404);
          expect(r.body.replace(/<path>/g, ''), `${role} ${path}`).toBe(missingPage.body.replace(/<path>/g, ''));
        }
        const acts: [string, Record<string, string>][] = [
          ['offers.create', { applicationId: bApp.id, pay: '99000', payPeriod: 'year', startDate: '2027-01-04', schedule: 'Days' }],
          ['offers.approve', { offerId: bOffer.offerId }],
          ['offers.withdraw', { offerId: bOffer.offerId }],
          ['offers.addReason', { org: B.org.id, label: 'Taken over' }],
          ['offers.changeReason', { org: B.org.id, reasonId: bReason!.id, op: 'archive' }],
          ['offers.setApproval', { org: B.org.id, required: 'yes' }],
          ['messages.send', { applicationId: bApp.id, body: 'Cross-organization' }],
          ['messages.follow', { jobId: bJob.id, mode: 'instant' }],
        ];
        for (const [name, form] of acts) {
          const r = await req(`/_actions/${name}`, { cookie: cookies.A[role], form });
          expect(r.status, `${role} ${name} on B`).toBe(404);
          expect((await r.json()).message).toBe('We could not find that page.');
        }
      }
      expect(missingApp.status).toBe(404);
      // Another candidate: not their application page, offer or thread.
      const stranger = (await createSession(h.db, (await makeUser(h.db)).id)).token;
      expect((await req(`/account/applications/${bApp.id}`, { cookie: stranger })).status).toBe(404);
      for (const [name, form] of [
        ['offers.respond', { offerId: bOffer.offerId, decision: 'accept' }],
        ['messages.reply', { applicationId: bApp.id, body: 'Not mine' }],
      ] as const) {
        const r = await req(`/_actions/${name}`, { cookie: stranger, form });
        expect(r.status, name).toBe(404);
      }
      // The signed link with a wrong token shows nothing of the offer and answers nothing.
      const bad = await req(`/offers/${bOffer.offerId}?token=forged.token`);
      expect(bad.status).toBe(403);
      expect(await bad.text()).not.toContain('Birch Offer Therapist');
      const forged = await req('/_actions/offers.respondWithLink', { form: { offerId: bOffer.offerId, decision: 'accept', token: 'forged.token' } });
      expect(forged.status).toBe(400);
      // Nothing changed.
      const [o] = await h.db.select().from(offers).where(eq(offers.id, bOffer.offerId));
      expect(o!.status).toBe('sent');
      expect(await h.db.select().from(applicationMessages).where(eq(applicationMessages.applicationId, bApp.id))).toHaveLength(1);
      expect(await h.db.select().from(jobFollows).where(eq(jobFollows.jobId, bJob.id))).toEqual([]);
      const [org] = await h.db.select().from(organizations).where(eq(organizations.id, B.org.id));
      expect(org!.offerApprovalRequired).toBe(false);
      expect((await listReasons(h.db, B.org.id)).map((r) => r.id)).toContain(bReason!.id);
      // Within A: a recruiter cannot make offers, a hiring manager cannot change the organization's hiring settings.
      const aJob = await makeJob(h.db, A.org.id);
      const aApp = await makeApplication(h.db, aJob.id, (await makeUser(h.db)).id, 'interview');
      const offerForm = { applicationId: aApp.id, pay: '70000', payPeriod: 'year', startDate: '2027-01-04', schedule: 'Days' };
      expect((await req('/_actions/offers.create', { cookie: cookies.A.recruiter, form: offerForm })).status).toBe(403);
      expect((await req('/_actions/offers.setApproval', { cookie: cookies.A.hiring_manager, form: { org: A.org.id, required: 'yes' } })).status).toBe(403);
      expect((await req('/_actions/offers.addReason', { cookie: cookies.A.hiring_manager, form: { org: A.org.id, label: 'Nope' } })).status).toBe(403);
      expect((await req('/_actions/offers.create', { cookie: cookies.A.hiring_manager, form: offerForm })).status).toBe(200);
      // The emailed link works signed out, for its own offer, once.
      const [aOffer] = await h.db.select().from(offers).where(eq(offers.applicationId, aApp.id));
      const token = await offerLinkToken(h.db, aOffer!.id, aOffer!.linkExpiresAt!);
      const page = await req(`/offers/${aOffer!.id}?token=${encodeURIComponent(token)}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('$70,000 a year');
      expect((await req(`/offers/${bOffer.offerId}?token=${encodeURIComponent(token)}`)).status).toBe(403);
      const answer = { offerId: aOffer!.id, decision: 'decline', token };
      // The page's own form (no JavaScript): post, redirect, and the page still knows its token.
      const posted = await req(`/offers/${aOffer!.id}?token=${encodeURIComponent(token)}&_action=offers.respondWithLink`, { form: answer });
      expect(posted.status).toBe(303);
      const after = await req(posted.headers.get('location')!);
      expect(after.status).toBe(200);
      const afterHtml = await after.text();
      expect(afterHtml).toContain('You declined the offer.');
      expect(afterHtml).not.toContain('Accept the offer');
      expect((await req('/_actions/offers.respondWithLink', { form: answer })).status).toBe(409);
      const [answered] = await h.db.select().from(offers).where(eq(offers.id, aOffer!.id));
      expect(answered).toMatchObject({ status: 'declined', respondedVia: 'link' });
    });

    it('never changes state on GET, even with an action in the query string', async () => {
      const r = await req(`/employer/${A.org.slug}/members?_action=orgs.removeMember&org=${A.org.id}&userId=${A.recruiter.id}`, { cookie: cookies.A.admin });
      expect(r.status).toBe(200);
      const [n] = await h.db.select({ n: sql<number>`count(*)::int` }).from(members).where(eq(members.orgId, A.org.id));
      expect(n!.n).toBe(3);
    });
  });

  describe('data rights: export and delete act only on the signed-in user', () => {
    const store = () => ({ dir: path.join(dataDir, 'resumes') });

    it('GET /account/export answers the session’s own ZIP (resume bytes included), whatever the query says; strangers sign in; cross-site requests and a sixth export in an hour are refused', async () => {
      const me = await makeUser(h.db);
      const other = await makeUser(h.db);
      const resume = await makeResume(h.db, store(), me.id, ['My own resume']);
      const token = (await createSession(h.db, me.id)).token;

      const anon = await req('/account/export');
      expect(anon.status).toBe(303);
      expect(anon.headers.get('location')).toContain('/sign-in?next=');

      const r = await req(`/account/export?userId=${other.id}&user=${encodeURIComponent(other.email)}`, {
        cookie: token,
        headers: { 'sec-fetch-site': 'same-origin' },
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/zip');
      expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="php-iop-jobs-my-data-\d{4}-\d{2}-\d{2}\.zip"$/);
      const files = unzipSync(new Uint8Array(await r.arrayBuffer()));
      const account = JSON.parse(strFromU8(files['account.json']!));
      expect(account).toMatchObject({ id: me.id, email: me.email });
      expect(
        Object.values(files)
          .map((f) => strFromU8(f))
          .join(''),
      ).not.toContain(other.email);
      const [row] = await h.db.select().from(resumes).where(eq(resumes.id, resume.id));
      const zipped = Object.entries(files).find(([n]) => n.startsWith(`resumes/${resume.id}/`));
      expect(Buffer.from(zipped![1]).equals(fs.readFileSync(path.join(dataDir, 'resumes', row!.storageKey)))).toBe(true);

      const cross = await req('/account/export', { cookie: token, headers: { 'sec-fetch-site': 'cross-site' } });
      expect(cross.status).toBe(403);
      for (let i = 0; i < 4; i++) expect((await req('/account/export', { cookie: token })).status).toBe(200);
      const limited = await req('/account/export', { cookie: token });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await limited.text()).toMatch(/Try again in \d+ minute/);
    });

    it('POST /account/delete: a wrong password changes nothing; the right one deletes this account only (a userId in the form is ignored), its files and sessions, and signs the browser out', async () => {
      const me = await makeUser(h.db);
      const other = await makeUser(h.db);
      await makeResume(h.db, store(), me.id, ['Resume to delete']);
      const [row] = await h.db.select().from(resumes).where(eq(resumes.userId, me.id));
      const file = path.join(dataDir, 'resumes', row!.storageKey);
      const token = (await createSession(h.db, me.id)).token;
      const elsewhere = (await createSession(h.db, me.id)).token;

      expect((await req('/account/delete')).status).toBe(303);
      const page = await req('/account/delete', { cookie: token });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<label for="f-password"[^>]*>Your password/);

      const wrong = await req('/account/delete?_action=account.delete', { cookie: token, form: { password: 'not my password', userId: other.id } });
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain('That password is not correct. Your account was not deleted.');
      expect(await h.db.select().from(users).where(eq(users.id, me.id))).toHaveLength(1);
      expect(fs.existsSync(file)).toBe(true);

      const ok = await req('/account/delete?_action=account.delete', { cookie: token, form: { password: TEST_PASSWORD, userId: other.id } });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe('/account/delete?notice=deleted');
      expect(ok.headers.getSetCookie().join(';')).toMatch(new RegExp(`${COOKIE}=;`));
      expect(await h.db.select().from(users).where(eq(users.id, me.id))).toHaveLength(0);
      expect(await h.db.select().from(users).where(eq(users.id, other.id))).toHaveLength(1);
      expect(fs.existsSync(file)).toBe(false);
      expect((await req('/account', { cookie: elsewhere })).status).toBe(303);
      const done = await req('/account/delete?notice=deleted');
      expect(done.status).toBe(200);
      expect(await done.text()).toContain('Your account was deleted');
    });
    it('an admin sets the retention period on the settings page; the apply form tells candidates the period', async () => {
      const C = await makeTeam(h.db, `Cedar Retention ${crypto.randomBytes(2).toString('hex')}`);
      const job = await createJob(h.db, C.actors.admin, jobInput({ title: 'Cedar Evening Therapist' }), { publish: true });
      const candidate = (await createSession(h.db, (await makeUser(h.db)).id)).token;
      const apply = async () => (await (await req(`/jobs/${job.slug}/apply`, { cookie: candidate })).text()).replace(/<[^>]+>/g, '');
      expect(await apply()).toContain(`${C.org.name} keeps an application that ends (not selected, or withdrawn) for 2 years`);

      const admin = (await createSession(h.db, C.admin.id, { activeOrgId: C.org.id })).token;
      const settings = await req(`/employer/${C.org.slug}/settings`, { cookie: admin });
      expect(await settings.text()).toMatch(/<label for="f-months"[^>]*>Keep ended applications for/);
      const saved = await req(`/employer/${C.org.slug}/settings?_action=orgs.setRetention`, { cookie: admin, form: { org: C.org.id, months: '6' } });
      expect(saved.status).toBe(303);
      expect(saved.headers.get('location')).toBe(`/employer/${C.org.slug}/settings?notice=retention#retention-h`);
      expect(await apply()).toContain('for 6 months; after that your name, contact details, resume and written answers are removed');
      const bad = await req(`/employer/${C.org.slug}/settings?_action=orgs.setRetention`, { cookie: admin, form: { org: C.org.id, months: '1000' } });
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('Choose one of the periods offered.');
    });
  });
});
