import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rows, type DbHandle } from '#db/client';
import { hasPostgres, skipReason } from '../helpers/services';
import { usePgliteDb, useTestDb } from '../helpers/test-db';

/** The same migrations must produce the same database on PostgreSQL and on PGlite. */
async function describeSchema(h: DbHandle) {
  const columns = await rows(
    h.db,
    sql`
    select table_name, column_name, data_type, is_nullable, column_default, is_generated, generation_expression
    from information_schema.columns where table_schema = 'public' order by table_name, column_name`,
  );
  const constraints = await rows(
    h.db,
    sql`
    select conrelid::regclass::text as tbl, conname, contype, pg_get_constraintdef(oid) as def
    from pg_constraint where connamespace = 'public'::regnamespace
      -- PGlite's newer engine also lists NOT NULL as constraints (contype n); nullability is compared through the columns.
      and contype <> 'n' order by 1, 2`,
  );
  const indexes = await rows(
    h.db,
    sql`
    select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by 1, 2`,
  );
  return { columns, constraints, indexes };
}

describe.skipIf(!hasPostgres)(`migrations on PostgreSQL and PGlite (${skipReason})`, () => {
  const pgDb = useTestDb();
  const liteDb = usePgliteDb();

  it('end with identical tables, columns, constraints and indexes', async () => {
    const [a, b] = await Promise.all([describeSchema(pgDb.handle), describeSchema(liteDb.handle)]);
    expect(a.columns.length).toBeGreaterThan(100);
    expect(b.columns).toEqual(a.columns);
    expect(b.constraints).toEqual(a.constraints);
    expect(b.indexes).toEqual(a.indexes);
  });

  it('enforce constraints in the database, not only in code', async () => {
    await expect(
      liteDb.db.execute(
        sql`insert into credentials (code, slug, name, kind, class, tier, scope) values ('X', 'x', 'X', 'badge', 'social-work', 'na', 'state')`,
      ),
    ).rejects.toThrow();
    await expect(pgDb.db.execute(sql`insert into organizations (name, slug) values ('A', 'dup'), ('B', 'dup')`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/duplicate key/) },
    });
  });

  it('are idempotent: migrating again changes nothing', async () => {
    await pgDb.handle.migrate();
    await liteDb.handle.migrate();
    const n = await rows<{ n: number }>(liteDb.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(Number(n[0]!.n)).toBeGreaterThan(0);
  });
});
