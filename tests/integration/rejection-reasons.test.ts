import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applicationEvents, applications } from '#db/schema';
import { bulkMoveApplications, moveApplication } from '#lib/applications/moves';
import { addReason, changeReason, DEFAULT_REJECTION_REASONS, listReasons, rejectionsByReason } from '#lib/applications/rejection-reasons';
import { makeApplication, makeUser } from '../helpers/factories';
import { actorOfMember, hiringSetup } from '../helpers/hiring';
import { fakeMail } from '../helpers/mail';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

describe.skipIf(!hasPostgres)(`structured rejection reasons on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();

  it('every organization starts with the defaults; admins add and retire reasons, others may not', async () => {
    const s = await hiringSetup(h.db);
    const list = await listReasons(h.db, s.org.id);
    expect(list.map((r) => r.label)).toEqual([...DEFAULT_REJECTION_REASONS]);
    await expect(addReason(h.db, actorOfMember(s.manager), { label: 'No driver’s license' })).rejects.toMatchObject({ code: 'forbidden' });
    await addReason(h.db, actorOfMember(s.admin), { label: 'No driver’s license' });
    await expect(addReason(h.db, actorOfMember(s.admin), { label: 'no DRIVER’S license' })).rejects.toMatchObject({ code: 'conflict' });
    await changeReason(h.db, actorOfMember(s.admin), list[0]!.id, 'archive');
    expect((await listReasons(h.db, s.org.id)).map((r) => r.label)).not.toContain(list[0]!.label);
    expect((await listReasons(h.db, s.org.id, { includeArchived: true })).find((r) => r.id === list[0]!.id)?.archived).toBe(true);
    // Another organization's reason is not found, and not offered to it.
    const other = await hiringSetup(h.db);
    await expect(changeReason(h.db, actorOfMember(other.admin), list[1]!.id, 'archive')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a rejection names a reason (stored by id and as text), sends the template email, and reports group by it; old free-text rows stay valid', async () => {
    const s = await hiringSetup(h.db);
    const mail = fakeMail(h.db);
    const [licensure, schedule] = await listReasons(h.db, s.org.id);
    const manager = actorOfMember(s.manager);
    await moveApplication(h.db, mail, manager, {
      applicationId: s.app.id,
      version: s.app.version,
      toStage: 'rejected',
      reasonId: licensure!.id,
      reason: 'NJ only',
    });
    const [row] = await h.db.select().from(applications).where(eq(applications.id, s.app.id));
    expect(row).toMatchObject({ stage: 'rejected', rejectionReasonId: licensure!.id, rejectionReason: `${licensure!.label}: NJ only` });
    const [ev] = await h.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, s.app.id));
    expect(ev?.data).toEqual({ reason: `${licensure!.label}: NJ only`, reasonId: licensure!.id });
    expect((await mail.last(s.candidate.email))?.subject).toContain('Your application for');

    // Bulk: one reason for all; a legacy rejection with free text only.
    const c2 = await makeUser(h.db);
    const c3 = await makeUser(h.db);
    const a2 = await makeApplication(h.db, s.job.id, c2.id);
    const a3 = await makeApplication(h.db, s.job.id, c3.id);
    await bulkMoveApplications(h.db, mail, manager, {
      jobId: s.job.id,
      items: [{ applicationId: a2.id, version: 1 }],
      toStage: 'rejected',
      reasonId: schedule!.id,
    });
    await moveApplication(h.db, mail, manager, { applicationId: a3.id, version: 1, toStage: 'rejected', reason: 'Went with an internal candidate' });
    await expect(
      bulkMoveApplications(h.db, mail, manager, { jobId: s.job.id, items: [{ applicationId: a3.id, version: 2 }], toStage: 'rejected' }),
    ).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('Give a reason') });

    // Another organization's reason id is refused, nothing changes.
    const other = await hiringSetup(h.db);
    const [theirs] = await listReasons(h.db, other.org.id);
    await expect(
      moveApplication(h.db, mail, actorOfMember(other.manager), { applicationId: other.app.id, version: 1, toStage: 'rejected', reasonId: licensure!.id }),
    ).rejects.toMatchObject({ code: 'invalid' });
    expect(theirs).toBeDefined();

    expect(await rejectionsByReason(h.db, s.org.id)).toEqual(
      expect.arrayContaining([
        { reasonId: licensure!.id, label: licensure!.label, count: 1 },
        { reasonId: schedule!.id, label: schedule!.label, count: 1 },
        { reasonId: null, label: 'Other (written reason)', count: 1 },
      ]),
    );
    // Reopening clears the structured reason with the text.
    await moveApplication(h.db, mail, manager, { applicationId: s.app.id, version: 2, toStage: 'screening' });
    const [reopened] = await h.db.select().from(applications).where(eq(applications.id, s.app.id));
    expect(reopened).toMatchObject({ rejectionReason: null, rejectionReasonId: null });
  });
});
