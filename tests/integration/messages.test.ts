import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applicationMessages, mailOutbox } from '#db/schema';
import type { MailMessage } from '#lib/mail';
import { deliverMail } from '#lib/mail-queue';
import { emailHistory, MESSAGE_MAX, sendCandidateMessage, sendTeamMessage, threadForCandidate, threadForTeam } from '#lib/messages/service';
import { POLICIES } from '#lib/ratelimit';
import { makeApplication, makeUser } from '../helpers/factories';
import { actorOfMember, hiringSetup } from '../helpers/hiring';
import { fakeMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

describe.skipIf(!hasPostgres)(`application messages and email history on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();

  it('the team writes, the candidate is emailed in the same transaction and answers in their account; the team is emailed back', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    await sendTeamMessage(h.db, mail, actorOfMember(s.recruiter), { applicationId: s.app.id, body: 'Could you shadow a group session on Tuesday?' });
    const toCandidate = await mail.last(s.candidate.email);
    expect(toCandidate?.text).toContain('Could you shadow a group session on Tuesday?');
    expect(toCandidate?.text).toContain(`/account/applications/${s.app.id}#messages`);
    await sendCandidateMessage(h.db, mail, s.candidate.id, { applicationId: s.app.id, body: 'Yes, 10am works.' });
    // The member who wrote hears the answer (nobody follows the job).
    expect((await mail.last(s.recruiter.email))?.text).toContain('Yes, 10am works.');
    const thread = await threadForCandidate(h.db, s.candidate.id, s.app.id);
    expect(thread.map((m) => [m.sender, m.body])).toEqual([
      ['team', 'Could you shadow a group session on Tuesday?'],
      ['candidate', 'Yes, 10am works.'],
    ]);
    expect(await threadForTeam(h.db, actorOfMember(s.manager), s.app.id)).toHaveLength(2);
  });

  it('a failed email rolls the message back with it (one transaction)', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    // An outbox that refuses the candidate's address makes queueMail throw inside the transaction.
    await h.db.execute(sql.raw(`alter table mail_outbox add constraint t_no_bad check (to_address <> '${s.candidate.email}')`));
    try {
      await expect(sendTeamMessage(h.db, mail, actorOfMember(s.manager), { applicationId: s.app.id, body: 'Hello' })).rejects.toThrow();
      expect(await h.db.select().from(applicationMessages).where(eq(applicationMessages.applicationId, s.app.id))).toEqual([]);
    } finally {
      await h.db.execute(sql.raw('alter table mail_outbox drop constraint t_no_bad'));
    }
  });

  it('refuses empty, too long and invisible-character messages with a message, and rate-limits', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    const send = (body: string) => sendTeamMessage(h.db, mail, actorOfMember(s.manager), { applicationId: s.app.id, body });
    await expect(send('   ')).rejects.toMatchObject({ code: 'invalid', message: 'Write the message.' });
    await expect(send('x'.repeat(MESSAGE_MAX + 1))).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('under 4,000') });
    await expect(send('bad\u0000byte')).rejects.toMatchObject({ code: 'invalid' });
    const now = new Date('2030-01-01T10:00:00Z');
    for (let i = 0; i < POLICIES.messageAuthor.limit; i++) {
      await sendTeamMessage(h.db, mail, actorOfMember(s.manager), { applicationId: s.app.id, body: `Note ${i}` }, { now });
    }
    await expect(sendTeamMessage(h.db, mail, actorOfMember(s.manager), { applicationId: s.app.id, body: 'One more' }, { now })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(await mail.all(s.candidate.email)).toHaveLength(POLICIES.messageAuthor.limit);
  });

  it('never crosses organizations or candidates', async () => {
    const s = await hiringSetup(h.db);
    const other = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    await sendTeamMessage(h.db, mail, actorOfMember(s.manager), { applicationId: s.app.id, body: 'Private to this thread' });
    await expect(threadForTeam(h.db, actorOfMember(other.admin), s.app.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(emailHistory(h.db, actorOfMember(other.admin), s.app.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(sendTeamMessage(h.db, mail, actorOfMember(other.admin), { applicationId: s.app.id, body: 'Hi' })).rejects.toMatchObject({ code: 'not_found' });
    // Another candidate, even on the same job, neither reads nor writes this thread.
    const c2 = await makeUser(h.db);
    await makeApplication(h.db, s.job.id, c2.id);
    expect(await threadForCandidate(h.db, c2.id, s.app.id)).toEqual([]);
    await expect(sendCandidateMessage(h.db, mail, c2.id, { applicationId: s.app.id, body: 'Hi' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('the email history lists every email about the application with recipient role and delivery status', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    await sendTeamMessage(h.db, mail, actorOfMember(s.manager), { applicationId: s.app.id, body: 'First' });
    await sendCandidateMessage(h.db, mail, s.candidate.id, { applicationId: s.app.id, body: 'Reply' });
    let history = await emailHistory(h.db, actorOfMember(s.recruiter), s.app.id);
    expect(history.map((e) => [e.recipientRole, e.status])).toEqual([
      ['team', 'queued'],
      ['candidate', 'queued'],
    ]);
    // The worker delivers one and fails the other: the history says so.
    const sent: MailMessage[] = [];
    await deliverMail(
      h.db,
      {
        send: async (m) => {
          if (m.to === s.manager.email) throw new Error('550 mailbox unavailable');
          sent.push(m);
        },
      },
      { batch: 500 },
    );
    history = await emailHistory(h.db, actorOfMember(s.recruiter), s.app.id);
    expect(history.map((e) => [e.recipientRole, e.status])).toEqual([
      ['team', 'retrying'],
      ['candidate', 'sent'],
    ]);
    expect(history[1]?.sentAt).toBeInstanceOf(Date);
    expect(await h.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, s.candidate.email))).toEqual([]);
  });
});
