import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox, savedSearches } from '#db/schema';
import { deliveredJobIds, runDueDigests } from '#lib/alerts/digest';
import { lookupUnsubscribe, saveSearch, unsubscribe, unsubscribeToken } from '#lib/alerts/service';
import { createMailTransport } from '#lib/mail';
import { deliverMail } from '#lib/mail-queue';
import { makeJob, makeOrg, makeUser } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

const DAY = 86_400_000;
const SITE = 'https://jobs.example';

describe.skipIf(!hasPostgres)(`job-alert digests (${skipReason})`, () => {
  const h = useTestDb();
  let userId: string;
  let orgId: string;
  const t0 = new Date('2026-11-01T12:00:00Z');

  beforeAll(async () => {
    userId = (await makeUser(h.db, { email: 'alerts@example.test', name: 'Ana Alerts' })).id;
    orgId = (await makeOrg(h.db, 'Harbor Point Behavioral')).id;
  });

  const job = (title: string, postedAt: Date, over: Parameters<typeof makeJob>[2] = {}) =>
    makeJob(h.db, orgId, {
      title,
      postedAt,
      validThrough: new Date(postedAt.getTime() + 60 * DAY),
      credentials: ['LCSW'],
      state: 'PA',
      ...over,
    });
  const mailCount = async () => (await h.db.select().from(mailOutbox)).length;

  it('validates and normalizes what it saves', async () => {
    await expect(saveSearch(h.db, userId, { name: 'x', query: 'credential=NOPE', frequency: 'daily' })).rejects.toThrow(/Unknown credential/);
    await expect(saveSearch(h.db, userId, { name: '', query: '', frequency: 'daily' })).rejects.toThrow();
    const s = await saveSearch(h.db, userId, { name: 'PA social work', query: 'state=pa&credential=lcsw&page=3', frequency: 'daily' }, t0);
    expect(s.query).toBe('credential=LCSW&state=PA');
    await h.db.delete(savedSearches).where(eq(savedSearches.id, s.id));
  });

  it('sends new matches once, never repeats a job, and lists later jobs in the next digest', async () => {
    const s = await saveSearch(h.db, userId, { name: 'PA LCSW', query: 'state=PA&credential=LCSW', frequency: 'daily' }, t0);
    await job('Old PA Therapist', new Date(t0.getTime() - DAY)); // posted before the search existed: not "new"
    const a = await job('New PA Therapist', new Date(t0.getTime() + 2 * 3600_000));
    await job('Ohio Therapist', new Date(t0.getTime() + 3 * 3600_000), { state: 'OH' }); // does not match

    const first = await runDueDigests(h.db, { siteUrl: SITE, now: new Date(t0.getTime() + DAY + 1000) });
    expect(first).toMatchObject({ emails: 1, jobs: 1 });
    expect(await deliveredJobIds(h.db, s.id)).toEqual([a.id]);
    const [msg] = await h.db.select().from(mailOutbox);
    expect(msg!.toAddress).toBe('alerts@example.test');
    expect(msg!.textBody).toContain('New PA Therapist');
    expect(msg!.textBody).not.toContain('Old PA Therapist');
    expect(msg!.headers['List-Unsubscribe']).toMatch(/^<https:\/\/jobs\.example\/alerts\/unsubscribe\?token=/);

    // Not due again until a day later; running now changes nothing.
    expect(await runDueDigests(h.db, { siteUrl: SITE, now: new Date(t0.getTime() + DAY + 2000) })).toMatchObject({
      searches: 0,
    });
    const b = await job('Later PA Therapist', new Date(t0.getTime() + DAY + 3600_000));
    const second = await runDueDigests(h.db, { siteUrl: SITE, now: new Date(t0.getTime() + 2 * DAY + 5000) });
    expect(second).toMatchObject({ emails: 1, jobs: 1 });
    expect((await deliveredJobIds(h.db, s.id)).sort()).toEqual([a.id, b.id].sort());
    const third = await runDueDigests(h.db, { siteUrl: SITE, now: new Date(t0.getTime() + 3 * DAY + 9000) });
    expect(third).toMatchObject({ searches: 1, emails: 0 }); // nothing new: no email at all
    await h.db.delete(savedSearches).where(eq(savedSearches.id, s.id));
    await h.db.delete(mailOutbox);
  });

  it('sends each job once per saved search under concurrent runners on separate connections', async () => {
    const searches = [];
    for (let i = 0; i < 6; i++) searches.push(await saveSearch(h.db, userId, { name: `Concurrent ${i}`, query: 'role=case-manager', frequency: 'weekly' }, t0));
    const jobs = [];
    for (let i = 0; i < 4; i++)
      jobs.push(
        await job(`Case Manager ${i}`, new Date(t0.getTime() + (i + 1) * 3600_000), {
          role: 'case-manager',
          credentials: ['LMSW'],
        }),
      );
    const runners = await Promise.all(Array.from({ length: 4 }, () => h.connect({ max: 2 })));
    const now = new Date(t0.getTime() + 8 * DAY);
    const results = await Promise.all(runners.map((r) => runDueDigests(r.db, { siteUrl: SITE, now })));
    expect(results.reduce((n, r) => n + r.searches, 0)).toBe(6);
    expect(results.reduce((n, r) => n + r.emails, 0)).toBe(6);
    expect(await mailCount()).toBe(6);
    for (const s of searches) expect((await deliveredJobIds(h.db, s.id)).sort()).toEqual(jobs.map((j) => j.id).sort());
    await h.db.delete(savedSearches);
    await h.db.delete(mailOutbox);
  });

  it('a runner that dies mid-digest sends nothing twice: the next run sends it once', async () => {
    const s = await saveSearch(h.db, userId, { name: 'Crashy', query: 'role=peer-support-specialist', frequency: 'daily' }, t0);
    const j = await job('Peer Specialist', new Date(t0.getTime() + 3600_000), {
      role: 'peer-support-specialist',
      credentials: ['CPS'],
    });
    // The mail insert fails once, as a crash between recording and committing would.
    await h.db.execute(sql`create or replace function fail_mail() returns trigger language plpgsql as $$ begin raise exception 'simulated crash'; end $$`);
    await h.db.execute(sql`create trigger fail_mail before insert on mail_outbox for each row execute function fail_mail()`);
    const now = new Date(t0.getTime() + DAY + 1000);
    await expect(runDueDigests(h.db, { siteUrl: SITE, now })).rejects.toThrow();
    expect(await deliveredJobIds(h.db, s.id)).toEqual([]); // rolled back with the failure
    await h.db.execute(sql`drop trigger fail_mail on mail_outbox`);
    expect(await runDueDigests(h.db, { siteUrl: SITE, now })).toMatchObject({ emails: 1, jobs: 1 });
    expect(await runDueDigests(h.db, { siteUrl: SITE, now })).toMatchObject({ searches: 0 });
    expect(await deliveredJobIds(h.db, s.id)).toEqual([j.id]);
    expect(await mailCount()).toBe(1);
  });

  it('delivers queued mail as .eml with the unsubscribe header, and keeps it when sending fails', async () => {
    const failing = {
      send: async () => {
        throw new Error('SMTP down');
      },
    };
    expect(await deliverMail(h.db, failing)).toEqual({ sent: 0, failed: 1 });
    expect(await mailCount()).toBe(1);
    await h.db.update(mailOutbox).set({ availableAt: new Date(0) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mail-'));
    const mailer = createMailTransport({ dataDir: dir, from: 'Jobs <no-reply@example.test>' });
    expect(await deliverMail(h.db, mailer)).toEqual({ sent: 1, failed: 0 });
    expect(await mailCount()).toBe(0);
    const files = fs.readdirSync(path.join(dir, 'mail'));
    expect(files).toHaveLength(1);
    const eml = fs.readFileSync(path.join(dir, 'mail', files[0]!), 'utf8').replace(/\r?\n[ \t]+/g, ' '); // unfold long headers
    expect(eml).toMatch(/^List-Unsubscribe: <https:\/\/jobs\.example\/alerts\/unsubscribe\?token=/m);
    expect(eml).toContain('Peer Specialist');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('unsubscribes with the signed token only, without signing in', async () => {
    const s = await saveSearch(h.db, userId, { name: 'Unsub me', query: 'state=NJ', frequency: 'daily' }, t0);
    const token = await unsubscribeToken(h.db, s.id);
    expect(await lookupUnsubscribe(h.db, `${token.slice(0, -2)}xx`)).toBeNull();
    expect(await unsubscribe(h.db, `${s.id}.forged`)).toBeNull();
    expect(await lookupUnsubscribe(h.db, token)).toEqual({ name: 'Unsub me', done: false });
    expect(await unsubscribe(h.db, token)).toEqual({ name: 'Unsub me' });
    expect(await lookupUnsubscribe(h.db, token)).toEqual({ name: 'Unsub me', done: true });
    await job('NJ job', new Date(t0.getTime() + 3600_000), { state: 'NJ' });
    await runDueDigests(h.db, { siteUrl: SITE, now: new Date(t0.getTime() + 5 * DAY) });
    expect(await deliveredJobIds(h.db, s.id)).toEqual([]);
  });
});
