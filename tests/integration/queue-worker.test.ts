import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '#db/client';
import { mailOutbox, searchOutbox } from '#db/schema';
import { seedTaxonomy } from '#db/seed';
import { createMailTransport, type MailMessage, type MailTransport } from '#lib/mail';
import { createMailWorker, queueMail } from '#lib/mail-queue';
import type { QueueWorker } from '#lib/queue/worker';
import type { SearchEngine } from '#lib/search/engine';
import { createSearchWorker, enqueueSearchSync } from '#lib/search/outbox';
import { makeJob, makeOrg } from '../helpers/factories';
import { freshEngine, hasMeili, hasPostgres, skipReason } from '../helpers/services';
import { createTestDatabase } from '../helpers/test-db';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { tcpProxy } from '../helpers/tcp-proxy';

/**
 * Issue 14: one queue worker for the search and mail outboxes, woken by the NOTIFY its writers
 * send inside their transaction. Nothing here kicks a worker, and every worker polls only once a
 * minute, so a row handled within a second was handled because its commit woke the worker.
 */

/** Far longer than any deadline below: a worker that relied on polling would miss them all. */
const POLL_MS = 60_000;
/** How soon a commit must reach the worker. */
const WAKE_MS = 1500;

/** Polls `check` until it is true; resolves with the elapsed milliseconds, or fails saying what did not happen. */
async function until(check: () => boolean | Promise<boolean>, deadlineMs: number, what: string): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    if (Date.now() - t0 > deadlineMs) throw new Error(`Not within ${deadlineMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const FROM = 'Jobs <no-reply@example.test>';

const drivers: { name: string; skip: boolean; open: () => Promise<DbHandle> }[] = [
  { name: 'PostgreSQL', skip: !hasPostgres, open: () => createTestDatabase() },
  {
    name: 'PGlite',
    skip: false,
    open: async () => {
      const h = await openDb({ pgliteDir: 'memory://' });
      await h.migrate();
      await seedTaxonomy(h.db);
      return h;
    },
  },
];

for (const driver of drivers) {
  describe.skipIf(driver.skip)(`queue workers woken by NOTIFY on ${driver.name} (${skipReason})`, () => {
    let h: DbHandle;
    let sink: SmtpSink;
    let smtp: MailTransport;
    const workers: Pick<QueueWorker, 'stop'>[] = [];
    /** A worker stopped at the end of the file, whatever a test did. */
    const track = <W extends Pick<QueueWorker, 'stop'>>(w: W): W => {
      workers.push(w);
      return w;
    };

    beforeAll(async () => {
      h = await driver.open();
      sink = await startSmtpSink();
      smtp = createMailTransport({ smtpUrl: sink.url, dataDir: '', from: FROM });
    });
    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await sink?.close();
      await h?.close();
    });

    const accepted = (subject: string) => sink.accepted.filter((m) => m.raw.includes(`Subject: ${subject}`));
    const queueOne = (subject: string) => h.db.transaction((tx) => queueMail(tx, { to: 'wake@example.test', subject, text: `Body of ${subject}` }));

    it('a committed queueMail wakes the mail worker: sent within a second, with a one-minute poll and no kick', async () => {
      const worker = track(createMailWorker(h, smtp, { pollMs: POLL_MS }));
      await worker.start();
      for (const subject of ['Woken once', 'Woken twice']) {
        await queueOne(subject);
        const ms = await until(() => accepted(subject).length === 1, WAKE_MS, `"${subject}" is sent`);
        console.info(`[queue-worker] ${driver.name}: mail sent ${ms} ms after its commit`);
      }
      await until(async () => (await h.db.select().from(mailOutbox)).length === 0, WAKE_MS, 'the sent messages leave the outbox');
      await worker.stop();
    });

    it('a rolled-back enqueue notifies no one and leaves no row; the next commit notifies once per queue', async () => {
      const heard = { search_outbox: 0, mail_outbox: 0 };
      const unlisten = await Promise.all((['search_outbox', 'mail_outbox'] as const).map((channel) => h.listen(channel, () => void heard[channel]++)));
      const org = await makeOrg(h.db);
      expect(await h.db.select().from(searchOutbox)).toEqual([]);
      const write = (subject: string) =>
        h.db.transaction(async (tx) => {
          await queueMail(tx, { to: 'rollback@example.test', subject, text: 'x' });
          await enqueueSearchSync(tx, [org.id]); // any uuid: nothing drains this queue here
          if (subject === 'Rolled back') tx.rollback();
        });
      await expect(write('Rolled back')).rejects.toThrow();
      expect(await h.db.select().from(mailOutbox).where(eq(mailOutbox.subject, 'Rolled back'))).toEqual([]);
      expect(await h.db.select().from(searchOutbox)).toEqual([]);

      // Notifications arrive in commit order: had the rollback sent one, it would be counted before this commit's.
      await write('Committed');
      await until(() => heard.search_outbox > 0 && heard.mail_outbox > 0, WAKE_MS, 'the commit is heard on both channels');
      expect(heard).toEqual({ search_outbox: 1, mail_outbox: 1 });
      await Promise.all(unlisten.map((u) => u()));
      await h.db.delete(mailOutbox);
      await h.db.delete(searchOutbox);
    });

    it('stop() lets the batch in progress finish before it resolves', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const started: string[] = [];
      // The real SMTP server, behind a gate the test opens: the send is in progress until then.
      const gated: MailTransport = {
        send: async (m: MailMessage) => {
          started.push(m.subject);
          await gate;
          return smtp.send(m);
        },
      };
      const worker = track(createMailWorker(h, gated, { pollMs: POLL_MS }));
      await worker.start();
      await queueOne('In flight at shutdown');
      await until(() => started.length === 1, WAKE_MS, 'the worker starts sending');

      let stopped = false;
      const stopping = worker.stop().then(() => (stopped = true));
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(stopped).toBe(false); // the send is still in progress, so stop() waits for it
      release();
      await stopping;
      expect(accepted('In flight at shutdown')).toHaveLength(1);
      expect(await h.db.select().from(mailOutbox)).toEqual([]); // the finished batch deleted its row
      expect(started).toEqual(['In flight at shutdown']);
    });

    describe.skipIf(!hasMeili)('the search worker', () => {
      let engine: SearchEngine;
      beforeAll(async () => {
        engine = await freshEngine();
      });
      afterAll(async () => {
        await engine?.client
          .deleteIndex(engine.indexName)
          .waitTask()
          .catch(() => {});
      });

      it('a committed job change wakes it: claimed within a second and indexed, with a one-minute poll and no kick', async () => {
        const worker = track(createSearchWorker(h, engine, { pollMs: POLL_MS }));
        await worker.start();
        const org = await makeOrg(h.db);
        const job = await makeJob(h.db, org.id, { title: 'Woken Search Therapist' });
        // Claimed (leased, attempts 1) or already done (deleted): either way the worker took it.
        const taken = async () => {
          const rows = await h.db.select().from(searchOutbox).where(eq(searchOutbox.jobId, job.id));
          return rows.every((r) => r.attempts > 0);
        };
        const ms = await until(taken, WAKE_MS, 'the worker claims the outbox row');
        console.info(`[queue-worker] ${driver.name}: search outbox row claimed ${ms} ms after its commit`);
        // Meilisearch's own indexing time on a busy machine is not the worker's: a generous deadline.
        await until(
          async () =>
            (await engine
              .index()
              .getDocument(job.id)
              .catch(() => null)) !== null,
          30_000,
          'the job is in the index',
        );
        await until(async () => (await h.db.select().from(searchOutbox)).length === 0, 30_000, 'the outbox empties');
        await worker.stop();
      });
    });
  });
}

describe.skipIf(!hasPostgres)(`LISTEN across a PostgreSQL outage (${skipReason})`, () => {
  it('listens once PostgreSQL is reachable, again by itself after an outage, and reports the gap as a notification', async () => {
    const direct = await createTestDatabase();
    const u = new URL(direct.url);
    const proxy = await tcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    u.hostname = '127.0.0.1';
    u.port = String(proxy.port);
    const viaProxy = await openDb({ databaseUrl: u.toString() });
    const notify = () => direct.db.execute(sql`select pg_notify('mail_outbox', '')`);
    try {
      let heard = 0;
      // A first LISTEN while PostgreSQL is unreachable fails; one after it is back succeeds.
      await proxy.down();
      await expect(viaProxy.listen('mail_outbox', () => void heard++)).rejects.toThrow();
      await proxy.up();
      await viaProxy.listen('mail_outbox', () => void heard++);
      await notify();
      await until(() => heard === 1, WAKE_MS, 'a notification through the proxy');

      await proxy.down(); // the LISTEN connection is dropped and new connections are refused
      await notify(); // committed while nobody listens through the proxy
      // The outage lasts a little longer than one reconnect attempt, so at least one is refused.
      await new Promise((r) => setTimeout(r, 1500));
      await proxy.up();
      // Listening again, the connection reports that notifications may have been missed…
      await until(() => heard === 2, 10_000, 'LISTEN is back and reports the gap');
      // …and hears new ones.
      await notify();
      await until(() => heard === 3, WAKE_MS, 'a notification after the outage');
    } finally {
      await viaProxy.close();
      await proxy.close();
      await direct.close();
    }
  });
});
