import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobCredentials, jobs, organizations } from '#db/schema';

import { openJobsWhere } from '#lib/jobs/queries';

/** Reads for feeds and sitemaps; "open" is the same rule every public list uses. */
export { openJobsWhere };

export interface FeedJob {
  id: string;
  slug: string;
  title: string;
  organization: string;
  role: string;
  programType: string;
  setting: string;
  city: string;
  state: string;
  zip: string;
  descriptionMd: string;
  payMin: number;
  payMax: number;
  payPeriod: string;
  employmentType: string;
  postedAt: Date;
  updatedAt: Date;
  validThrough: Date;
  credentials: string[];
}

/**
 * Where the previous page ended. posted_at travels as PostgreSQL's own text so
 * its microseconds survive (a JS Date keeps milliseconds only, and rows sharing
 * a millisecond would be skipped).
 */
export interface FeedCursor {
  postedAt: string;
  id: string;
}

/**
 * One page of open jobs, newest first, by keyset (posted_at desc, id desc): pages
 * stay cheap however deep the feed goes, and a job published mid-stream cannot
 * shift the pages that follow.
 */
export async function openJobsPage(db: Db, opts: { limit: number; after?: FeedCursor; now?: Date }): Promise<(FeedJob & { cursor: string })[]> {
  const now = opts.now ?? new Date();
  const conds: SQL[] = [openJobsWhere(now)];
  if (opts.after) {
    conds.push(sql`(${jobs.postedAt}, ${jobs.id}) < (${opts.after.postedAt}::timestamptz, ${opts.after.id}::uuid)`);
  }
  const rows = await db
    .select({
      id: jobs.id,
      slug: jobs.slug,
      title: jobs.title,
      organization: organizations.name,
      role: jobs.role,
      programType: jobs.programType,
      setting: jobs.setting,
      city: jobs.city,
      state: jobs.state,
      zip: jobs.zip,
      descriptionMd: jobs.descriptionMd,
      payMin: jobs.payMin,
      payMax: jobs.payMax,
      payPeriod: jobs.payPeriod,
      employmentType: jobs.employmentType,
      postedAt: jobs.postedAt,
      updatedAt: jobs.updatedAt,
      validThrough: jobs.validThrough,
      cursor: sql<string>`${jobs.postedAt}::text`,
      credentials: sql<
        string[]
      >`coalesce((select array_agg(${jobCredentials.credentialCode} order by ${jobCredentials.credentialCode}) from ${jobCredentials} where ${jobCredentials.jobId} = ${jobs.id}), '{}')`,
    })
    .from(jobs)
    .innerJoin(organizations, eq(organizations.id, jobs.orgId))
    .where(and(...conds))
    .orderBy(desc(jobs.postedAt), desc(jobs.id))
    .limit(opts.limit);
  // Published jobs always have posted_at (a check constraint says so).
  return rows.map((r) => ({ ...r, postedAt: r.postedAt ?? r.updatedAt, credentials: r.credentials ?? [] }));
}

/** Every open job, page by page, up to `max`. */
export async function* iterateOpenJobs(db: Db, opts: { pageSize?: number; max?: number; now?: Date } = {}): AsyncGenerator<FeedJob[]> {
  const pageSize = opts.pageSize ?? 500;
  const max = opts.max ?? 50_000;
  const now = opts.now ?? new Date();
  let after: FeedCursor | undefined;
  let seen = 0;
  while (seen < max) {
    const page = await openJobsPage(db, { limit: Math.min(pageSize, max - seen), after, now });
    if (!page.length) return;
    seen += page.length;
    yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { postedAt: last.cursor, id: last.id };
  }
}

/**
 * Jobs sitemaps: open jobs in a stable order (first published first, then id),
 * cut into files of `perFile`. Returns each file's last modification (the newest
 * updated_at in it), one query for all files.
 */
export async function jobSitemapFiles(db: Db, perFile: number, now = new Date()): Promise<{ page: number; lastmod: Date; count: number }[]> {
  const numbered = db
    .select({
      updatedAt: jobs.updatedAt,
      rn: sql<number>`row_number() over (order by ${jobs.postedAt} asc, ${jobs.id} asc)`.as('rn'),
    })
    .from(jobs)
    .where(openJobsWhere(now))
    .as('numbered');
  const chunk = sql<number>`((${numbered.rn} - 1) / ${sql.raw(String(Math.trunc(perFile)))})::int`;
  const rows = await db
    .select({
      chunk,
      lastmod: sql<Date>`max(${numbered.updatedAt})`.mapWith(jobs.updatedAt),
      count: sql<number>`count(*)::int`,
    })
    .from(numbered)
    .groupBy(chunk)
    .orderBy(chunk);
  return rows.map((r) => ({ page: Number(r.chunk) + 1, lastmod: new Date(r.lastmod), count: Number(r.count) }));
}

/** One jobs sitemap file: slugs and updated_at, in the order jobSitemapFiles numbers them. */
export async function jobSitemapPage(db: Db, page: number, perFile: number, now = new Date()): Promise<{ slug: string; updatedAt: Date }[]> {
  return db
    .select({ slug: jobs.slug, updatedAt: jobs.updatedAt })
    .from(jobs)
    .where(openJobsWhere(now))
    .orderBy(asc(jobs.postedAt), asc(jobs.id))
    .limit(perFile)
    .offset((page - 1) * perFile);
}
