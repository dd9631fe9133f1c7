import { describe, expect, it } from 'vitest';
import { submitApplication } from '#lib/applications/apply';
import { DASHBOARD_PAGE_SIZE, dashboardQuery, orgJobsPage, parseDashboardParams } from '#lib/jobs/dashboard';
import { makeJob, makeOrg, makeResume, makeTeam, makeUser, tempStore } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

const DAY = 86_400_000;
const params = (qs: string) => parseDashboardParams(new URLSearchParams(qs));

describe('dashboard parameters', () => {
  it('reads status, sort, direction and page from the URL, with defaults', () => {
    expect(params('')).toEqual({ status: 'all', sort: 'posted', dir: 'desc', page: 1 });
    expect(params('status=draft&sort=title&page=3')).toEqual({ status: 'draft', sort: 'title', dir: 'asc', page: 3 });
    expect(params('sort=applicants&dir=asc')).toEqual({ status: 'all', sort: 'applicants', dir: 'asc', page: 1 });
  });

  it('falls back to the default view for anything it does not know, never throws', () => {
    for (const qs of ['status=bogus', 'sort=%00', 'dir=sideways', 'page=-4', 'page=abc', 'page=1e99', 'page=2.5', 'status=&sort=&dir=&page=']) {
      const p = params(qs);
      expect(p.status, qs).toMatch(/^(all)$/);
      expect(p.page, qs).toBeGreaterThanOrEqual(1);
      expect(['posted', 'title', 'status', 'applicants', 'expires']).toContain(p.sort);
    }
  });

  it('writes short links: defaults left out', () => {
    const p = params('');
    expect(dashboardQuery(p)).toBe('');
    expect(dashboardQuery(p, { sort: 'title', dir: 'asc' })).toBe('sort=title');
    expect(dashboardQuery(p, { sort: 'title', dir: 'desc', page: 2, status: 'closed' })).toBe('status=closed&sort=title&dir=desc&page=2');
  });
});

describe.skipIf(!hasPostgres)(`postings dashboard on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();

  it('filters by status, sorts in the database and pages through every posting exactly once', async () => {
    const t = await makeTeam(h.db);
    const other = await makeOrg(h.db);
    await makeJob(h.db, other.id, { title: 'Another organization' });
    const now = new Date();
    const made: { id: string; title: string }[] = [];
    // 60 postings: 44 open, 6 drafts, 5 closed, 5 expired; posted one a day apart.
    for (let i = 0; i < 60; i++) {
      const status = i < 6 ? 'draft' : i < 11 ? 'closed' : 'published';
      const expired = i >= 11 && i < 16;
      const j = await makeJob(h.db, t.org.id, {
        title: `Posting ${String(i).padStart(2, '0')}`,
        status,
        postedAt: status === 'draft' ? null : new Date(now.getTime() - (i + 1) * DAY),
        validThrough: new Date(now.getTime() + (expired ? -1 : i + 1) * DAY),
      });
      made.push(j);
    }
    // Applicants on two postings: 3 on Posting 40, 1 on Posting 20.
    const store = tempStore();
    for (const [title, n] of [
      ['Posting 40', 3],
      ['Posting 20', 1],
    ] as const) {
      const job = made.find((m) => m.title === title)!;
      for (let k = 0; k < n; k++) {
        const c = await makeUser(h.db);
        const r = await makeResume(h.db, store, c.id);
        await submitApplication(h.db, { store }, c.id, { jobId: job.id, resumeId: r.id });
      }
    }
    store.cleanup();

    const all = await orgJobsPage(h.db, t.org.id, params(''), now);
    expect(all.counts).toEqual({ all: 60, published: 44, draft: 6, expired: 5, closed: 5, applicants: 4 });
    expect(all.total).toBe(60);
    expect(all.pages).toBe(Math.ceil(60 / DASHBOARD_PAGE_SIZE));
    expect(all.rows).toHaveLength(DASHBOARD_PAGE_SIZE);
    // Every page, once each: nothing from the other organization, nothing twice.
    const seen: string[] = [];
    for (let page = 1; page <= all.pages; page++) seen.push(...(await orgJobsPage(h.db, t.org.id, params(`page=${page}`), now)).rows.map((r) => r.id));
    expect(new Set(seen).size).toBe(60);
    expect(seen.sort()).toEqual(made.map((m) => m.id).sort());

    const drafts = await orgJobsPage(h.db, t.org.id, params('status=draft'), now);
    expect(drafts.rows.map((r) => r.status)).toEqual(Array(6).fill('draft'));
    const expired = await orgJobsPage(h.db, t.org.id, params('status=expired&sort=title'), now);
    expect(expired.rows.map((r) => r.title)).toEqual(['Posting 11', 'Posting 12', 'Posting 13', 'Posting 14', 'Posting 15']);
    expect(expired.rows.every((r) => r.status === 'expired')).toBe(true);
    const open = await orgJobsPage(h.db, t.org.id, params('status=published&sort=posted&dir=desc'), now);
    expect(open.total).toBe(44);
    expect(open.rows[0]!.title).toBe('Posting 16');

    const byTitle = await orgJobsPage(h.db, t.org.id, params('sort=title&dir=desc'), now);
    expect(byTitle.rows[0]!.title).toBe('Posting 59');
    const byApplicants = await orgJobsPage(h.db, t.org.id, params('sort=applicants'), now);
    expect(byApplicants.rows.slice(0, 2).map((r) => [r.title, r.applicants])).toEqual([
      ['Posting 40', 3],
      ['Posting 20', 1],
    ]);
    const byExpiry = await orgJobsPage(h.db, t.org.id, params('sort=expires'), now);
    expect(byExpiry.rows[0]!.status).toBe('expired');
    const byStatus = await orgJobsPage(h.db, t.org.id, params('sort=status&page=3'), now);
    expect(byStatus.rows.map((r) => r.status)).toEqual([...Array(5).fill('expired'), ...Array(5).fill('closed')]);
    // Past the last page: the last page.
    const past = await orgJobsPage(h.db, t.org.id, params('page=999'), now);
    expect(past.page).toBe(all.pages);
    expect(past.rows).toHaveLength(60 - (all.pages - 1) * DASHBOARD_PAGE_SIZE);
    // Closing within a week: the open ones posted i = 16..? with validThrough i+1 ≤ 7 days — none (i ≥ 16); add one.
    expect(all.expiring).toEqual([]);
    const soon = await makeJob(h.db, t.org.id, { title: 'Closing soon', validThrough: new Date(now.getTime() + 2 * DAY) });
    expect((await orgJobsPage(h.db, t.org.id, params(''), now)).expiring.map((r) => r.id)).toEqual([soon.id]);
  });
});
