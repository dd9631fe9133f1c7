import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { savedSearches } from '#db/schema';
import { queueMail } from '#lib/mail-queue';
import { createEngine } from '#lib/search/engine';
import { reindex } from '#lib/search/reindex';
import { makeJob, makeOrg, makeUser, TEST_PASSWORD } from '../helpers/factories';
import { startBuiltServer, type ServerProcess } from '../helpers/server-process';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { useTestDb } from '../helpers/test-db';

/**
 * Two app instances as a load balancer would run them: one PostgreSQL database, one
 * Meilisearch index, one SMTP server, both with their workers on. Nothing that must be
 * shared may live in one process's memory: sessions, the search outbox, the mail queue,
 * rate limits and alert digests all go through the database.
 */
const meiliUrl = inject('meiliUrl');
const COOKIE = '__Host-session';
const DAY = 86_400_000;

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!inject('serverUrl'))('two instances on one database and one search index', () => {
  const h = useTestDb();
  const tag = crypto.randomBytes(3).toString('hex');
  const indexName = `jobs_two_${tag}`;
  let sink: SmtpSink;
  let A: ServerProcess;
  let B: ServerProcess;
  const dirs: string[] = [];
  let digestTo = '';

  beforeAll(async () => {
    sink = await startSmtpSink();
    const engine = createEngine({ url: meiliUrl, indexName, searchTimeoutMs: 5000 });
    await reindex(h.db, engine); // an empty index with the app's settings
    // A saved search already due, whose query matches a job posted since it was made: the digest
    // runs when each instance starts, so both race for it.
    const reader = await makeUser(h.db, { email: `digest-${tag}@example.com` });
    digestTo = reader.email;
    const org = await makeOrg(h.db);
    await makeJob(h.db, org.id, { title: `Digestible Therapist ${tag}` });
    await h.db.insert(savedSearches).values({
      userId: reader.id,
      name: 'Therapists',
      query: `q=Digestible+${tag}`,
      frequency: 'daily',
      nextDueAt: new Date(Date.now() - 60_000),
      createdAt: new Date(Date.now() - 3 * DAY),
    });
    const start = () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'two-'));
      dirs.push(dataDir);
      return startBuiltServer({
        DATABASE_URL: h.url,
        MEILI_URL: meiliUrl,
        MEILI_INDEX: indexName,
        DATA_DIR: dataDir,
        SMTP_URL: sink.url,
        WORKERS: 'on',
        TRUST_PROXY: '1',
      });
    };
    [A, B] = await Promise.all([start(), start()]);
  });

  afterAll(async () => {
    await Promise.all([A?.stop(), B?.stop()]);
    await sink?.close();
    await fetch(`${meiliUrl}/indexes/${indexName}`, { method: 'DELETE' }).catch(() => {});
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('sends a due alert digest once, though both instances ran the digests at start', async () => {
    await until('the digest', async () => (sink.accepted.some((m) => m.to.includes(digestTo)) ? true : undefined));
    // Both runners have finished once the search is no longer due (the winner moved next_due_at).
    await until('the search to be rescheduled', async () => {
      const r = await h.db.execute(sql`select 1 from saved_searches where next_due_at <= now()`);
      return (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows).length === 0 ? true : undefined;
    });
    await until('the mail queue to empty', async () => {
      const r = await h.db.execute(sql`select 1 from mail_outbox limit 1`);
      return (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows).length === 0 ? true : undefined;
    });
    const digests = sink.accepted.filter((m) => m.to.includes(digestTo));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.raw).toContain(`Digestible Therapist ${tag}`);
  });

  it('accepts on B a session made on A', async () => {
    const u = await makeUser(h.db);
    const r = await fetch(`${A.url}/sign-in?_action=auth.signIn`, {
      method: 'POST',
      headers: { origin: A.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: u.email, password: TEST_PASSWORD }),
      redirect: 'manual',
    });
    expect(r.status).toBe(303);
    const cookie = r.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${COOKIE}=`))!
      .split(';')[0]!;
    const onB = await fetch(`${B.url}/account`, { headers: { cookie }, redirect: 'manual' });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain(u.email);
  });

  it('finds through B a job published while both run (whichever worker drains the outbox)', async () => {
    const org = await makeOrg(h.db);
    const title = `Shared Index Counselor ${tag}`;
    await makeJob(h.db, org.id, { title, postedAt: new Date() });
    const hit = await until('the job in B’s search', async () => {
      const r = (await (await fetch(`${B.url}/api/jobs?q=${encodeURIComponent(`Counselor ${tag}`)}`)).json()) as {
        hits: { title: string }[];
        engine: string;
      };
      // From the index, not the PostgreSQL fallback (which would find it without any outbox drain).
      return r.engine === 'meilisearch' ? r.hits.find((x) => x.title === title) : undefined;
    });
    expect(hit.title).toBe(title);
  });

  it('delivers 30 queued emails exactly once between the two mail workers', async () => {
    const to = (i: number) => `bulk-${tag}-${i}@example.com`;
    await h.db.transaction(async (tx) => {
      for (let i = 0; i < 30; i++) await queueMail(tx, { to: to(i), subject: `Bulk ${i}`, text: `Message ${i}` });
    });
    const mine = () => sink.accepted.filter((m) => m.to.some((t) => t.startsWith(`bulk-${tag}-`)));
    await until('30 deliveries', async () => (mine().length >= 30 ? true : undefined));
    // A row is deleted only after its send completed: an empty queue means every send (and any repeat) is in.
    await until('the mail queue to empty', async () => {
      const r = await h.db.execute(sql`select 1 from mail_outbox limit 1`);
      return (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows).length === 0 ? true : undefined;
    });
    expect(mine()).toHaveLength(30);
    expect(new Set(mine().map((m) => m.to[0])).size).toBe(30);
  });

  it('shares sign-in throttling: failures on A and on B count together', async () => {
    const u = await makeUser(h.db);
    const client = `203.0.113.${crypto.randomInt(1, 255)}`;
    const attempt = (server: ServerProcess, password: string) =>
      fetch(`${server.url}/sign-in?_action=auth.signIn`, {
        method: 'POST',
        headers: {
          origin: server.url,
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': client,
        },
        body: new URLSearchParams({ email: u.email, password }),
        redirect: 'manual',
      });
    // Five free failures for one (account, client) pair, spread over both instances: 3 on A, 2 on B.
    for (let i = 0; i < 5; i++) expect((await attempt(i % 2 ? B : A, `wrong-${i}-password`)).status).toBe(400);
    // Each instance alone has seen fewer than five; together they have seen five, so both refuse now.
    for (const server of [A, B]) {
      const r = await attempt(server, 'wrong-again-password');
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});
