import { spawn } from 'node:child_process';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '#db/client';
import { applicationEvents, applications, auditLog, emailTokens, invitations, mailOutbox, sessions, users } from '#db/schema';
import { submitApplication } from '#lib/applications/apply';
import { moveApplication } from '#lib/applications/moves';
import { changePassword, requestPasswordReset, resetPassword, signUp } from '#lib/auth/accounts';
import { createEmailToken } from '#lib/auth/email-tokens';
import { createSession } from '#lib/auth/session';
import { createMailTransport } from '#lib/mail';
import { claimMail, deliverMail, queueMail } from '#lib/mail-queue';
import { inviteMember } from '#lib/orgs/service';
import { makeJob, makeMember, makeOrg, makeResume, makeTeam, makeUser, TEST_PASSWORD, tempStore, uniqueEmail } from '../helpers/factories';
import { fakeMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { useTestDb } from '../helpers/test-db';

/**
 * Mail is part of the change that causes it: every service queues its email in
 * mail_outbox inside its own transaction, so a transaction that fails after the
 * enqueue leaves neither the change nor the email; and the worker delivers each
 * queued message once even when a worker process dies mid-send.
 */
describe.skipIf(!hasPostgres)(`mail queued with its change, delivered once (${skipReason})`, () => {
  const h = useTestDb();
  const store = tempStore();
  afterAll(() => store.cleanup());

  const outbox = () => h.db.select().from(mailOutbox);

  /**
   * Runs `fn` with every transaction that queued mail failing at COMMIT (a deferred
   * constraint trigger on mail_outbox): the failure comes after the enqueue and after
   * every other statement of the transaction, the last moment a crash or a
   * serialization error could strike.
   */
  async function failingAtCommit(fn: () => Promise<unknown>): Promise<unknown> {
    await h.db.execute(
      sql`create or replace function fail_mail_commit() returns trigger language plpgsql as $$ begin raise exception 'simulated failure at commit'; end $$`,
    );
    await h.db.execute(
      sql`create constraint trigger fail_mail_commit after insert on mail_outbox deferrable initially deferred for each row execute function fail_mail_commit()`,
    );
    try {
      return await fn();
    } finally {
      await h.db.execute(sql`drop trigger fail_mail_commit on mail_outbox`);
    }
  }

  describe('a transaction that fails after the enqueue leaves no mail and no change', () => {
    it('sign-up: no account, no token, no confirmation email', async () => {
      const mail = fakeMail(h.db);
      const email = uniqueEmail('rollback');
      await expect(failingAtCommit(() => signUp(h.db, mail, { name: 'Rolled Back', email, password: 'password-ok' }, { ip: '10.9.0.1' }))).rejects.toThrow(
        /simulated failure at commit/,
      );
      expect(await h.db.select().from(users).where(eq(users.email, email))).toEqual([]);
      expect(await outbox()).toEqual([]);
    });

    it('password reset request: no token, no email', async () => {
      const u = await makeUser(h.db);
      await expect(failingAtCommit(() => requestPasswordReset(h.db, fakeMail(h.db), u.email, { ip: '10.9.0.2' }))).rejects.toThrow(
        /simulated failure at commit/,
      );
      expect(await h.db.select().from(emailTokens).where(eq(emailTokens.userId, u.id))).toEqual([]);
      expect(await outbox()).toEqual([]);
    });

    it('password reset and password change: password, sessions and token as they were, no email', async () => {
      const u = await makeUser(h.db);
      await createSession(h.db, u.id);
      const token = await createEmailToken(h.db, u.id, 'reset_password');
      const [before] = await h.db.select().from(users).where(eq(users.id, u.id));
      await expect(failingAtCommit(() => resetPassword(h.db, fakeMail(h.db), token, 'new password 1', { ip: '10.9.0.3' }))).rejects.toThrow(/simulated/);
      await expect(
        failingAtCommit(() =>
          changePassword(h.db, fakeMail(h.db), u.id, { currentPassword: TEST_PASSWORD, newPassword: 'new password 2' }, { ip: '10.9.0.3' }),
        ),
      ).rejects.toThrow(/simulated/);
      const [after] = await h.db.select().from(users).where(eq(users.id, u.id));
      expect(after!.passwordHash).toBe(before!.passwordHash);
      expect(await h.db.select().from(sessions).where(eq(sessions.userId, u.id))).toHaveLength(1);
      expect((await h.db.select().from(emailTokens).where(eq(emailTokens.userId, u.id)))[0]!.usedAt).toBeNull();
      expect(await outbox()).toEqual([]);
    });

    it('invitation: no invitation, no audit row, no email', async () => {
      const t = await makeTeam(h.db);
      const email = uniqueEmail('invitee');
      await expect(failingAtCommit(() => inviteMember(h.db, fakeMail(h.db), t.actors.admin, { email, role: 'recruiter' }))).rejects.toThrow(
        /simulated failure at commit/,
      );
      expect(await h.db.select().from(invitations).where(eq(invitations.orgId, t.org.id))).toEqual([]);
      expect(
        await h.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.orgId, t.org.id), eq(auditLog.action, 'invitation.created'))),
      ).toEqual([]);
      expect(await outbox()).toEqual([]);
    });

    it('an enclosing transaction that throws after the service returned takes the email with it', async () => {
      const t = await makeTeam(h.db);
      const email = uniqueEmail('nested');
      const enclosing = h.db.transaction(async (tx) => {
        await inviteMember(tx as unknown as Db, fakeMail(h.db), t.actors.admin, { email, role: 'recruiter' });
        expect(await tx.select().from(mailOutbox)).toHaveLength(1); // queued, visible only inside
        throw new Error('caller failed after the invitation');
      });
      await expect(enclosing).rejects.toThrow(/caller failed/);
      expect(await h.db.select().from(invitations).where(eq(invitations.orgId, t.org.id))).toEqual([]);
      expect(await outbox()).toEqual([]);
    });

    it('applying and moving an applicant: no application, no stage change, no event, no email', async () => {
      const org = await makeOrg(h.db);
      const job = await makeJob(h.db, org.id, { credentials: ['LCSW'] });
      const candidate = await makeUser(h.db, { name: 'Rollback Candidate' });
      const resume = await makeResume(h.db, store, candidate.id, ['Rollback Candidate LCSW']);
      const notifier = fakeMail(h.db);
      const apply = () => submitApplication(h.db, { store, notifier }, candidate.id, { jobId: job.id, resumeId: resume.id, answers: {} });
      await expect(failingAtCommit(apply)).rejects.toThrow(/simulated failure at commit/);
      expect(await h.db.select().from(applications).where(eq(applications.jobId, job.id))).toEqual([]);
      expect(await outbox()).toEqual([]);

      const { applicationId } = await apply(); // now it commits, with its confirmation email
      expect((await outbox()).map((m) => m.toAddress)).toEqual([candidate.email]);
      await h.db.delete(mailOutbox);
      const recruiter = await makeMember(h.db, org.id, 'recruiter');
      const move = () =>
        moveApplication(h.db, notifier, { userId: recruiter.userId, orgId: org.id, role: 'recruiter' }, { applicationId, version: 1, toStage: 'interview' });
      await expect(failingAtCommit(move)).rejects.toThrow(/simulated failure at commit/);
      const [app] = await h.db.select().from(applications).where(eq(applications.id, applicationId));
      expect([app!.stage, app!.version]).toEqual(['applied', 1]);
      expect((await h.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId))).map((e) => e.kind).sort()).toEqual([
        'applied',
        'candidate_emailed',
      ]);
      expect(await outbox()).toEqual([]);
      await move();
      expect((await outbox()).map((m) => m.subject)).toEqual([`Next step for ${job.title}: an interview`]);
      await h.db.delete(mailOutbox);
    });
  });

  describe('a worker that dies mid-send: the message goes out once, after the lease', () => {
    let sink: SmtpSink;
    beforeAll(async () => {
      sink = await startSmtpSink();
    });
    afterAll(async () => {
      await sink?.close();
    });

    async function queueOne(subject: string): Promise<number> {
      await h.db.transaction((tx) => queueMail(tx, { to: 'crash@example.test', subject, text: `Body of ${subject}` }));
      const [row] = await h.db.select().from(mailOutbox).where(eq(mailOutbox.subject, subject));
      return row!.id;
    }
    const acceptedWith = (subject: string) => sink.accepted.filter((m) => m.raw.includes(`Subject: ${subject}`));
    /** The lease running out, without waiting five minutes. */
    const expireLeases = () => h.db.execute(sql`update mail_outbox set available_at = now() - interval '1 second'`);

    it('kills a worker process while the SMTP server is receiving the message; the next worker sends it exactly once', async () => {
      const subject = 'Killed mid-send';
      const id = await queueOne(subject);
      const arrived = sink.stallNext();
      const child = spawn(path.resolve('node_modules/.bin/tsx'), ['tests/helpers/mail-worker.ts', h.url, sink.url], {
        stdio: 'ignore',
      });
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
      await arrived; // the message's DATA reached the server, which has not accepted it
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect(acceptedWith(subject)).toHaveLength(0);

      // The dead worker's claim still holds: a new worker leaves the message alone until the lease ends.
      const [leased] = await h.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
      expect(leased!.attempts).toBe(1);
      expect(leased!.availableAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
      const transport = createMailTransport({ smtpUrl: sink.url, dataDir: '', from: 'Jobs <no-reply@example.test>' });
      expect(await deliverMail(h.db, transport)).toEqual({ sent: 0, failed: 0 });

      await expireLeases();
      expect(await deliverMail(h.db, transport)).toEqual({ sent: 1, failed: 0 });
      expect(await deliverMail(h.db, transport)).toEqual({ sent: 0, failed: 0 });
      expect(acceptedWith(subject)).toHaveLength(1);
      expect(acceptedWith(subject)[0]!.to).toEqual(['crash@example.test']);
      expect(await outbox()).toEqual([]);
    });

    it('a claim made by a process that died before sending is redelivered after the lease, once', async () => {
      const subject = 'Claimed then crashed';
      await queueOne(subject);
      expect(await claimMail(h.db)).toHaveLength(1); // ...and the process dies here
      const transport = createMailTransport({ smtpUrl: sink.url, dataDir: '', from: 'Jobs <no-reply@example.test>' });
      expect(await deliverMail(h.db, transport)).toEqual({ sent: 0, failed: 0 });
      expect(acceptedWith(subject)).toHaveLength(0);
      await expireLeases();
      expect(await deliverMail(h.db, transport)).toEqual({ sent: 1, failed: 0 });
      await expireLeases(); // even a later pass past any lease finds nothing left to send
      expect(await deliverMail(h.db, transport)).toEqual({ sent: 0, failed: 0 });
      expect(acceptedWith(subject)).toHaveLength(1);
    });

    it('a send that fails mid-batch keeps that message for a retry and delivers the rest once', async () => {
      const ids = [await queueOne('Batch one'), await queueOne('Batch two'), await queueOne('Batch three')];
      const real = createMailTransport({ smtpUrl: sink.url, dataDir: '', from: 'Jobs <no-reply@example.test>' });
      const flaky = {
        send: async (m: Parameters<typeof real.send>[0]) => (m.subject === 'Batch two' ? Promise.reject(new Error('421 try later')) : real.send(m)),
      };
      expect(await deliverMail(h.db, flaky)).toEqual({ sent: 2, failed: 1 });
      const left = await outbox();
      expect(left.map((m) => [m.id, m.lastError])).toEqual([[ids[1], '421 try later']]);
      await expireLeases();
      expect(await deliverMail(h.db, real)).toEqual({ sent: 1, failed: 0 });
      for (const s of ['Batch one', 'Batch two', 'Batch three']) expect(acceptedWith(s), s).toHaveLength(1);
    });
  });
});
