/**
 * One mail-worker pass in its own process (so a test can kill it mid-send):
 * `tsx tests/helpers/mail-worker.ts <DATABASE_URL> <SMTP_URL>`.
 */
import { openDb } from '#db/client';
import { createMailTransport } from '#lib/mail';
import { deliverMail } from '#lib/mail-queue';

const [databaseUrl, smtpUrl] = process.argv.slice(2);
if (!databaseUrl || !smtpUrl) throw new Error('usage: mail-worker.ts <DATABASE_URL> <SMTP_URL>');
const h = await openDb({ databaseUrl, max: 1 });
const r = await deliverMail(h.db, createMailTransport({ smtpUrl, dataDir: '', from: 'Jobs <no-reply@example.test>' }));
console.log(JSON.stringify(r));
await h.close();
