import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '#db/client';
import { type DocumentPage, searchableDocuments } from '#lib/search/documents';
import { makeJob, makeOrg } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { usePgliteDb, useTestDb, type TestDb } from '../helpers/test-db';

/** What the reindex reads: every searchable job once, page by page over the table's blocks, on either database. */
async function arrange(db: Db): Promise<string[]> {
  const org = await makeOrg(db, 'Riverside Partial Hospital');
  const open: string[] = [];
  for (let i = 0; i < 60; i++) open.push((await makeJob(db, org.id, { title: `Group Therapist ${i}` })).id);
  await makeJob(db, org.id, { title: 'Closed posting', status: 'closed' });
  await makeJob(db, org.id, { title: 'Draft posting', status: 'draft' });
  return open.sort();
}

async function readAll(pages: AsyncGenerator<DocumentPage>, afterFirstPage?: () => Promise<void>) {
  const ids: string[] = [];
  let count = 0;
  let read = 0;
  for await (const page of pages) {
    ids.push(...page.docs.map((d) => d.id));
    expect(page.read).toBeGreaterThan(read);
    read = page.read;
    if (++count === 1) await afterFirstPage?.();
  }
  return { ids: ids.sort(), pages: count, read };
}

function suite(name: string, use: () => TestDb, concurrentWrites: boolean) {
  describe(name, () => {
    const h = use();

    it('reads every published job once, in several pages, and leaves out drafts and closed ones', async () => {
      const open = await arrange(h.db);
      const { ids, pages, read } = await readAll(searchableDocuments(h.db, { blocksPerPage: 1 }));
      expect(pages).toBeGreaterThan(1);
      // Each page says how much of the table has been read; the reindex sizes its uploads by it.
      expect(read).toBe(1);
      expect(ids).toEqual(open);
    });

    it.runIf(concurrentWrites)('sees each job once even when an update during the read moves rows to other blocks', async () => {
      const open = (await h.db.execute(sql`select id from jobs where status = 'published' order by id`)) as unknown as { id: string }[];
      const { ids } = await readAll(searchableDocuments(h.db, { blocksPerPage: 1 }), async () => {
        // Every row gets a new version, written to free space further on in the table.
        await h.db.execute(sql`update jobs set view_count = view_count + 1`);
      });
      expect(ids).toEqual(open.map((r) => r.id));
    });
  });
}

describe.skipIf(!hasPostgres)(`reindex reads on PostgreSQL (${skipReason})`, () => suite('PostgreSQL', () => useTestDb(), true));
describe('reindex reads on PGlite', () => suite('PGlite', usePgliteDb, false));
