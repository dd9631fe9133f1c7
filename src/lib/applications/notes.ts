import { and, eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { applicationEvents, applicationNotes, applicationRatings } from '#db/schema';
import { ownedApplication, type TeamActor } from './access';
import { parseOrThrow } from '#lib/shared/forms';
import { noteSchema, ratingSchema } from './schema';
import { EVENT_KINDS } from './stages';
import type { ClockOpts } from '#lib/shared/clock';

/** Team notes and ratings on an application. */

export async function addNote(db: Db, actor: TeamActor, raw: { applicationId: string; body: string }, opts: ClockOpts = {}) {
  const v = parseOrThrow(noteSchema, raw);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    await ownedApplication(tx, actor, v.applicationId);
    const [note] = await tx
      .insert(applicationNotes)
      .values({ applicationId: v.applicationId, authorId: actor.userId, body: v.body, createdAt: now })
      .returning({ id: applicationNotes.id });
    await tx.insert(applicationEvents).values({
      applicationId: v.applicationId,
      actorId: actor.userId,
      kind: EVENT_KINDS.noteAdded,
      data: { noteId: note!.id },
      createdAt: now,
    });
    return { noteId: note!.id };
  });
}

/** One rating per member per application (1–5); rating again replaces the member's own. */

export async function rateApplication(db: Db, actor: TeamActor, raw: { applicationId: string; rating: number | string }, opts: ClockOpts = {}) {
  const v = parseOrThrow(ratingSchema, raw);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    await ownedApplication(tx, actor, v.applicationId);
    const [prev] = await tx
      .select({ rating: applicationRatings.rating })
      .from(applicationRatings)
      .where(and(eq(applicationRatings.applicationId, v.applicationId), eq(applicationRatings.authorId, actor.userId)))
      .for('update');
    if (prev?.rating === v.rating) return { rating: v.rating, changed: false };
    await tx
      .insert(applicationRatings)
      .values({ applicationId: v.applicationId, authorId: actor.userId, rating: v.rating, updatedAt: now })
      .onConflictDoUpdate({
        target: [applicationRatings.applicationId, applicationRatings.authorId],
        set: { rating: v.rating, updatedAt: now },
      });
    await tx.insert(applicationEvents).values({
      applicationId: v.applicationId,
      actorId: actor.userId,
      kind: EVENT_KINDS.rated,
      data: prev ? { rating: v.rating, previous: prev.rating } : { rating: v.rating },
      createdAt: now,
    });
    return { rating: v.rating, changed: true };
  });
}

// ---------------------------------------------------------------- license verification
