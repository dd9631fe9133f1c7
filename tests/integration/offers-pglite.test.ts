import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applications, organizations } from '#db/schema';
import { approveOffer, createOffer, openingsOf, respondToOffer } from '#lib/offers/service';
import { actorOfMember, hiringSetup } from '../helpers/hiring';
import { fakeMail } from '../helpers/mail';
import { usePgliteDb } from '../helpers/test-db';

/** The embedded database runs the same offer code: range flag, approval, signed link, accept → hired. */
describe('offers on PGlite', () => {
  const h = usePgliteDb();

  it('an approved, out-of-range offer accepted through its link hires the candidate', async () => {
    const s = await hiringSetup(h.db);
    await h.db.update(organizations).set({ offerApprovalRequired: true }).where(eq(organizations.id, s.org.id));
    const mail = fakeMail(h.db);
    const o = await createOffer(h.db, mail, actorOfMember(s.manager), {
      applicationId: s.app.id,
      pay: '45.00',
      payPeriod: 'hour',
      startDate: '2027-02-01',
      schedule: 'Evenings, adult IOP',
    });
    expect(o).toMatchObject({ status: 'awaiting_approval', range: 'above' });
    await approveOffer(h.db, mail, actorOfMember(s.admin), o.offerId);
    const token = decodeURIComponent(/token=([^\s]+)/.exec((await mail.last(s.candidate.email))!.text)![1]!);
    await respondToOffer(h.db, mail, { token }, { offerId: o.offerId, decision: 'accept' });
    const [app] = await h.db.select().from(applications).where(eq(applications.id, s.app.id));
    expect(app?.stage).toBe('hired');
    expect((await openingsOf(h.db, s.job.id)).filled).toBe(true);
  });
});
