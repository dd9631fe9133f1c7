import { eq, sql } from 'drizzle-orm';
import { rows, type Db } from '#db/client';
import { savedSearchDeliveries, savedSearches, users } from '#db/schema';
import { formatPay } from '#lib/domain/format';
import { escapeHtml } from '#lib/mail';
import { queueMail } from '#lib/mail-queue';
import { paths } from '#lib/paths';
import { parseSearchParams } from '#lib/search/params';
import { pgSearch } from '#lib/search/pg-search';
import type { JobHit } from '#lib/search/types';
import { FREQUENCY_MS } from './schema';
import { withSource } from '#lib/domain/sources';
import { unsubscribeToken } from './service';

const MAX_JOBS_PER_DIGEST = 25;

/**
 * Sends every due digest. Each saved search is handled in its own transaction
 * that (1) locks the row with SKIP LOCKED, so concurrent runners and processes
 * never take the same search; (2) finds matching jobs posted since the last
 * digest; (3) records them as delivered — the primary key makes a repeat
 * impossible; (4) queues the email; (5) moves next_due_at. A crash before
 * commit leaves everything as it was; after commit the mail queue delivers.
 */
export async function runDueDigests(
  db: Db,
  opts: { siteUrl: string; now?: Date; limit?: number },
): Promise<{ searches: number; emails: number; jobs: number }> {
  const now = opts.now ?? new Date();
  let searches = 0;
  let emails = 0;
  let jobsSent = 0;
  for (let i = 0; i < (opts.limit ?? 500); i++) {
    const handled = await db.transaction(async (tx) => {
      const [due] = await rows<{
        id: string;
        user_id: string;
        name: string;
        query: string;
        frequency: 'daily' | 'weekly';
        last_sent_at: Date | string | null;
        created_at: Date | string;
      }>(
        tx,
        sql`select id, user_id, name, query, frequency, last_sent_at, created_at from saved_searches
            where next_due_at <= ${now.toISOString()}::timestamptz and unsubscribed_at is null
            order by next_due_at limit 1 for update skip locked`,
      );
      if (!due) return null;
      const since = new Date(due.last_sent_at ?? due.created_at);
      let hits: JobHit[] = [];
      try {
        const params = { ...parseSearchParams(new URLSearchParams(due.query)), sort: 'newest' as const, page: 1 };
        hits = (await pgSearch(tx, params, { now, postedAfter: since }, MAX_JOBS_PER_DIGEST * 2)).hits;
      } catch {
        hits = []; // a query the taxonomy no longer accepts sends nothing rather than failing every run
      }
      let fresh: JobHit[] = [];
      if (hits.length) {
        const inserted = await tx
          .insert(savedSearchDeliveries)
          .values(hits.slice(0, MAX_JOBS_PER_DIGEST).map((h) => ({ savedSearchId: due.id, jobId: h.id, sentAt: now })))
          .onConflictDoNothing()
          .returning({ jobId: savedSearchDeliveries.jobId });
        const ids = new Set(inserted.map((r) => r.jobId));
        fresh = hits.filter((h) => ids.has(h.id));
      }
      if (fresh.length) {
        const [user] = await tx.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, due.user_id));
        if (user) {
          const token = await unsubscribeToken(tx, due.id);
          await queueMail(tx, digestEmail(opts.siteUrl, user, due.name, due.query, fresh, token));
        }
      }
      await tx
        .update(savedSearches)
        .set({
          lastSentAt: fresh.length ? now : due.last_sent_at ? new Date(due.last_sent_at) : null,
          nextDueAt: new Date(now.getTime() + FREQUENCY_MS[due.frequency]),
        })
        .where(eq(savedSearches.id, due.id));
      return fresh.length;
    });
    if (handled === null) break;
    searches++;
    if (handled > 0) emails++;
    jobsSent += handled;
  }
  return { searches, emails, jobs: jobsSent };
}

export function digestEmail(site: string, user: { email: string; name: string }, name: string, query: string, jobs: JobHit[], token: string) {
  const abs = (p: string) => new URL(p, site).toString();
  const unsubscribeUrl = abs(`/alerts/unsubscribe?token=${encodeURIComponent(token)}`);
  const searchUrl = abs(paths.jobs(query));
  const lines = jobs.map(
    (j) =>
      `• ${j.title} — ${j.organization}, ${j.city}, ${j.state} (${formatPay(j.payMin, j.payMax, j.payPeriod)})\n  ${abs(withSource(paths.job(j.slug), 'alert'))}`,
  );
  const text = [
    `Hi ${user.name},`,
    '',
    `${jobs.length} new ${jobs.length === 1 ? 'job matches' : 'jobs match'} your saved search “${name}”:`,
    '',
    ...lines,
    '',
    `See every match: ${searchUrl}`,
    '',
    `Stop these emails: ${unsubscribeUrl}`,
  ].join('\n');
  const html = `<p>Hi ${escapeHtml(user.name)},</p><p>${jobs.length} new ${jobs.length === 1 ? 'job matches' : 'jobs match'} your saved search “${escapeHtml(name)}”:</p><ul>${jobs
    .map(
      (j) =>
        `<li><a href="${escapeHtml(abs(withSource(paths.job(j.slug), 'alert')))}">${escapeHtml(j.title)}</a> — ${escapeHtml(j.organization)}, ${escapeHtml(j.city)}, ${escapeHtml(j.state)} (${escapeHtml(formatPay(j.payMin, j.payMax, j.payPeriod))})</li>`,
    )
    .join('')}</ul><p><a href="${escapeHtml(searchUrl)}">See every match</a></p><p><a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe from this alert</a></p>`;
  return {
    to: user.email,
    subject: `${jobs.length} new ${jobs.length === 1 ? 'job' : 'jobs'} for “${name}”`,
    text,
    html,
    headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>` },
  };
}

export async function deliveredJobIds(db: Db, savedSearchId: string): Promise<string[]> {
  const r = await db.select({ jobId: savedSearchDeliveries.jobId }).from(savedSearchDeliveries).where(eq(savedSearchDeliveries.savedSearchId, savedSearchId));
  return r.map((x) => x.jobId);
}
