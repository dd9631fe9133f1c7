import fs from 'node:fs';
import { and, eq, isNotNull } from 'drizzle-orm';
import path from 'node:path';
import type { Db } from '#db/client';
import { interviewInterviewers, interviews, type InterviewStatus } from '#db/schema';
import { guideSchema, type GuideData } from '#lib/content/schemas';
import { kitSourceFor, type KitSourceLoader } from '#lib/scorecards/kit-source';
import { parseFrontmatter } from './frontmatter';

/** The site's guides, parsed from content/guides the way the collection reads them. */
export function loadGuides(): { id: string; data: GuideData }[] {
  const dir = path.resolve(import.meta.dirname, '../../content/guides');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => ({ id: f.replace(/\.md$/, ''), data: guideSchema.parse(parseFrontmatter(fs.readFileSync(path.join(dir, f), 'utf8')).frontmatter) }));
}

/** The kit loader the app builds from the guides collection, built from the same Markdown files. */
export function guideKitLoader(): KitSourceLoader {
  const guides = loadGuides();
  return async (role) => kitSourceFor(role, guides);
}

/**
 * An interview row written directly (the scheduling service is not what these tests are about):
 * `status`, an hour long, ending `endedHoursAgo` hours before `now` (negative: in the future).
 */
export async function makeInterview(
  db: Db,
  opts: { orgId: string; applicationId: string; interviewers: string[]; status?: InterviewStatus; endedHoursAgo?: number; now?: Date },
): Promise<string> {
  const now = opts.now ?? new Date();
  const endsAt = new Date(now.getTime() - (opts.endedHoursAgo ?? 1) * 3_600_000);
  const startsAt = new Date(endsAt.getTime() - 3_600_000);
  const status = opts.status ?? 'scheduled';
  const [iv] = await db
    .insert(interviews)
    .values({
      orgId: opts.orgId,
      applicationId: opts.applicationId,
      kind: 'clinical_interview',
      durationMinutes: 60,
      place: 'video',
      placeDetail: 'https://meet.example.org/panel',
      timeZone: 'America/New_York',
      status,
      startsAt,
      endsAt,
    })
    .returning({ id: interviews.id });
  const busy = status === 'scheduled';
  await db
    .insert(interviewInterviewers)
    .values(opts.interviewers.map((userId) => ({ interviewId: iv!.id, userId, busyFrom: busy ? startsAt : null, busyUntil: busy ? endsAt : null })));
  return iv!.id;
}

/**
 * Moves a scheduled interview back in time so that it ended `endedHoursAgo` hours ago, keeping its
 * length (its interviewers' busy ranges follow, as the scheduling service keeps them): the
 * hours between booking and scoring, without waiting for them.
 */
export async function moveInterviewToPast(db: Db, interviewId: string, endedHoursAgo: number): Promise<void> {
  const [iv] = await db.select({ startsAt: interviews.startsAt, endsAt: interviews.endsAt }).from(interviews).where(eq(interviews.id, interviewId));
  if (!iv?.startsAt || !iv.endsAt) throw new Error(`moveInterviewToPast: interview ${interviewId} has no time`);
  const endsAt = new Date(Date.now() - endedHoursAgo * 3_600_000);
  const startsAt = new Date(endsAt.getTime() - (iv.endsAt.getTime() - iv.startsAt.getTime()));
  await db.transaction(async (tx) => {
    await tx.update(interviews).set({ startsAt, endsAt }).where(eq(interviews.id, interviewId));
    await tx
      .update(interviewInterviewers)
      .set({ busyFrom: startsAt, busyUntil: endsAt })
      .where(and(eq(interviewInterviewers.interviewId, interviewId), isNotNull(interviewInterviewers.busyFrom)));
  });
}
