import { eq } from 'drizzle-orm';
import { members } from '#db/schema';
import { describe, expect, it } from 'vitest';
import { submitApplication } from '#lib/applications/apply';
import { runJobDigests } from '#lib/team-notify/digest';
import { followOf, setFollow } from '#lib/team-notify/follows';
import { makeMember, makeResume, makeUser, tempStore } from '../helpers/factories';
import { hiringSetup } from '../helpers/hiring';
import { fakeMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

const HOUR = 3_600_000;

describe.skipIf(!hasPostgres)(`team notifications of new applications on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb({ max: 6 });
  const store = tempStore();

  async function apply(jobId: string, name: string, mail: ReturnType<typeof fakeMail>, now?: Date) {
    const c = await makeUser(h.db, { name });
    const r = await makeResume(h.db, store, c.id, [name]);
    return submitApplication(h.db, { store, notifier: mail }, c.id, { jobId, resumeId: r.id }, { now });
  }

  it('instant followers get an email with the application, in the same transaction; digest followers and others do not', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    const follow = (m: { userId: string }, mode: 'instant' | 'daily' | 'off') =>
      setFollow(h.db, { userId: m.userId, orgId: s.org.id }, { jobId: s.job.id, mode });
    await follow(s.manager, 'instant');
    await follow(s.recruiter, 'daily');
    expect(await followOf(h.db, s.manager.userId, s.job.id)).toBe('instant');
    // Another organization's member cannot follow this job.
    const other = await hiringSetup(h.db);
    await expect(setFollow(h.db, { userId: other.admin.userId, orgId: other.org.id }, { jobId: s.job.id, mode: 'instant' })).rejects.toMatchObject({
      code: 'not_found',
    });

    const r = await apply(s.job.id, 'Jordan Applicant', mail);
    const m = await mail.last(s.manager.email);
    expect(m?.subject).toBe(`New application for ${s.job.title}: Jordan Applicant`);
    expect(m?.text).toContain(`/employer/applications/${r.applicationId}`);
    expect(await mail.all(s.recruiter.email)).toHaveLength(0);
    expect(await mail.all(s.admin.email)).toHaveLength(0);
    // A member who stops following hears nothing more.
    await follow(s.manager, 'off');
    await apply(s.job.id, 'Second Applicant', mail);
    expect(await mail.all(s.manager.email)).toHaveLength(1);
  });

  it('the daily digest lists the day’s applications and goes out exactly once, even with two runners at once', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    // In the future, so the setup's own application (made now) is before every window.
    const t0 = new Date(Date.now() + HOUR);
    await setFollow(h.db, { userId: s.recruiter.userId, orgId: s.org.id }, { jobId: s.job.id, mode: 'daily' }, t0);
    const former = await makeMember(h.db, s.org.id, 'recruiter');
    await setFollow(h.db, { userId: former.userId, orgId: s.org.id }, { jobId: s.job.id, mode: 'daily' }, t0);
    await h.db.delete(members).where(eq(members.userId, former.userId));
    await apply(s.job.id, 'Avery Early', mail, new Date(t0.getTime() + HOUR));
    await apply(s.job.id, 'Blake Later', mail, new Date(t0.getTime() + 2 * HOUR));

    const now = new Date(t0.getTime() + 25 * HOUR);
    // Before it is due nothing goes.
    await runJobDigests(h.db, { siteUrl: mail.siteUrl, now: new Date(t0.getTime() + 23 * HOUR) });
    expect(await mail.all(s.recruiter.email)).toHaveLength(0);
    // Two instances (separate pools) at the same moment.
    const other = await h.connect({ max: 3 });
    const [a, b] = await Promise.all([runJobDigests(h.db, { siteUrl: mail.siteUrl, now }), runJobDigests(other.db, { siteUrl: mail.siteUrl, now })]);
    expect(a.emails + b.emails).toBeGreaterThanOrEqual(1); // other tests' follows may be due too; the recipient's count below is the point
    const digests = (await mail.all(s.recruiter.email)).filter((x) => x.subject.includes('new application'));
    expect(digests).toHaveLength(1);
    expect(digests[0]?.subject).toBe(`2 new applications for ${s.job.title}`);
    expect(digests[0]?.text).toContain('Avery Early');
    expect(digests[0]?.text).toContain('Blake Later');
    expect(await mail.all(former.email)).toHaveLength(0);
    // Run again the same day: nothing more. The next day, only what is new.
    await runJobDigests(h.db, { siteUrl: mail.siteUrl, now: new Date(now.getTime() + HOUR) });
    expect(await mail.all(s.recruiter.email)).toHaveLength(1);
    await apply(s.job.id, 'Casey Next', mail, new Date(now.getTime() + 2 * HOUR));
    await runJobDigests(h.db, { siteUrl: mail.siteUrl, now: new Date(now.getTime() + 25 * HOUR) });
    const next = (await mail.all(s.recruiter.email)).filter((x) => x.subject.includes('new application'));
    expect(next.map((x) => x.subject)).toEqual([`2 new applications for ${s.job.title}`, `1 new application for ${s.job.title}`]);
    expect(next[1]?.text).not.toContain('Avery Early');
  });
});
