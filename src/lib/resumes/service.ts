import crypto from 'node:crypto';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { applications, jobs, members, resumes, users } from '#db/schema';
import { conflict, invalid, notFound } from '#lib/shared/errors';
import { displayFileName, inspectUpload, MAX_RESUME_BYTES, type ResumeKind } from './inspect';
import { fileTooLargeMessage } from './size';
import { deleteResumeFile, newStorageKey, writeResumeFile, type ResumeStore } from './storage';
import { extractResumeText } from './text';
import type { TextStatus } from './text-status';

/**
 * Resumes: checked (inspect.ts), their text extracted for search in a bounded
 * worker (text.ts; a file whose text cannot be read is still stored, marked so),
 * stored under random names (storage.ts), listed and deleted by their owner,
 * and handed out for download only to the owner and to members of an
 * organization that received the resume with an application.
 */
export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export interface ResumeSummary {
  id: string;
  originalName: string;
  mime: string;
  sizeBytes: number;
  createdAt: Date;
  hasText: boolean;
  textStatus: TextStatus;
}

export const MAX_RESUMES_PER_USER = 20;

/** Reads a browser upload, refusing oversize files before reading them into memory. */
export async function readUpload(file: File): Promise<UploadedFile> {
  if (file.size > MAX_RESUME_BYTES) {
    const msg = `${fileTooLargeMessage(file.size)} Save it as a smaller PDF (for example without photos) and try again.`;
    throw invalid(msg, { resume: [msg] });
  }
  return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

const summaryColumns = {
  id: resumes.id,
  originalName: resumes.originalName,
  mime: resumes.mime,
  sizeBytes: resumes.sizeBytes,
  createdAt: resumes.createdAt,
  hasText: sql<boolean>`${resumes.textContent} <> ''`,
  textStatus: resumes.textStatus,
};

/**
 * Stores a resume for `userId`. The same bytes uploaded again (a double
 * submit, two tabs, a retry) return the resume already stored, even when the
 * uploads race; and however many uploads race, an account never holds more
 * than MAX_RESUMES_PER_USER. Both are decided in one transaction that first
 * locks the owner's users row, so one account's uploads are counted one at a
 * time (other accounts are not held up). The text is read before that
 * transaction, so no lock is held while a worker reads it. A file written for
 * an upload that is then refused or deduplicated is removed.
 */
export async function saveResume(db: Db, store: ResumeStore, userId: string, file: UploadedFile): Promise<{ resume: ResumeSummary; created: boolean }> {
  const inspected = await inspectUpload(file.bytes, file.name);
  const hash = crypto.createHash('sha256').update(file.bytes).digest('hex');
  // Cheap answers before the text is read; the transaction below decides for certain.
  const existing = await findByHash(db, userId, hash);
  if (existing) return { resume: existing, created: false };
  await assertRoomForAnother(db, userId);

  const text = await extractResumeText(file.bytes, inspected);
  const key = newStorageKey();
  await writeResumeFile(store, key, file.bytes);
  try {
    const outcome = await db.transaction(async (tx) => {
      await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
      const winner = await findByHash(tx, userId, hash);
      if (winner) return { resume: winner, created: false };
      await assertRoomForAnother(tx, userId);
      const [row] = await tx
        .insert(resumes)
        .values({
          userId,
          storageKey: key,
          originalName: displayFileName(file.name, inspected.kind),
          mime: inspected.mime,
          sizeBytes: file.bytes.byteLength,
          textContent: text.text,
          textStatus: text.status,
          textFailure: text.status === 'failed' ? text.reason : null,
          contentHash: hash,
        })
        .returning(summaryColumns);
      if (!row) throw new Error('resume insert returned no row');
      return { resume: row, created: true };
    });
    if (!outcome.created) await deleteResumeFile(store, key);
    return outcome;
  } catch (err) {
    await deleteResumeFile(store, key);
    throw err;
  }
}

async function assertRoomForAnother(db: Pick<Db, 'select'>, userId: string): Promise<void> {
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(resumes).where(eq(resumes.userId, userId));
  if (Number(count?.n ?? 0) >= MAX_RESUMES_PER_USER) {
    throw invalid(`You have ${MAX_RESUMES_PER_USER} resumes stored, the most we keep. Delete one you no longer use, then upload again.`, {
      resume: ['Delete an old resume first.'],
    });
  }
}

/** One of the user's own resumes matching `which` (never another person's). */
async function findOwn(db: Pick<Db, 'select'>, userId: string, which: SQL): Promise<ResumeSummary | null> {
  const [r] = await db
    .select(summaryColumns)
    .from(resumes)
    .where(and(eq(resumes.userId, userId), which))
    .limit(1);
  return r ?? null;
}

const findByHash = (db: Pick<Db, 'select'>, userId: string, hash: string) => findOwn(db, userId, eq(resumes.contentHash, hash));

export async function listResumes(db: Db, userId: string): Promise<(ResumeSummary & { applications: number })[]> {
  return db
    .select({
      ...summaryColumns,
      applications: sql<number>`(select count(*)::int from ${applications} where ${applications.resumeId} = ${resumes.id})`,
    })
    .from(resumes)
    .where(eq(resumes.userId, userId))
    .orderBy(desc(resumes.createdAt));
}

export const ownResume = (db: Pick<Db, 'select'>, userId: string, resumeId: string): Promise<ResumeSummary | null> =>
  findOwn(db, userId, eq(resumes.id, resumeId));

/**
 * Deletes one of the user's resumes. One that went out with an application
 * stays: the employer received it and may still read it.
 */
export async function deleteResume(db: Db, store: ResumeStore, userId: string, resumeId: string): Promise<void> {
  const key = await db.transaction(async (tx) => {
    const [r] = await tx
      .select({ key: resumes.storageKey })
      .from(resumes)
      .where(and(eq(resumes.id, resumeId), eq(resumes.userId, userId)))
      .for('update');
    if (!r) throw notFound();
    const [used] = await tx.select({ n: sql<number>`count(*)::int` }).from(applications).where(eq(applications.resumeId, resumeId));
    if (Number(used?.n ?? 0) > 0) {
      throw conflict('This resume was sent with an application, so the employer keeps access to it. You can upload a newer one for future applications.');
    }
    await tx.delete(resumes).where(eq(resumes.id, resumeId));
    return r.key;
  });
  await deleteResumeFile(store, key);
}

export interface DownloadableResume {
  storageKey: string;
  originalName: string;
  mime: string;
  sizeBytes: number;
  kind: ResumeKind;
}

/**
 * The resume, if `userId` may download it: its owner, or a member of an
 * organization that received it with an application to one of its jobs.
 * Anyone else gets null — the same as a resume that does not exist.
 */
export async function resumeForDownload(db: Db, userId: string, resumeId: string): Promise<DownloadableResume | null> {
  const [r] = await db
    .select({
      storageKey: resumes.storageKey,
      originalName: resumes.originalName,
      mime: resumes.mime,
      sizeBytes: resumes.sizeBytes,
    })
    .from(resumes)
    .where(
      and(
        eq(resumes.id, resumeId),
        sql`(${resumes.userId} = ${userId} or exists (
          select 1 from ${applications}
          join ${jobs} on ${jobs.id} = ${applications.jobId}
          join ${members} on ${members.orgId} = ${jobs.orgId} and ${members.userId} = ${userId}
          where ${applications.resumeId} = ${resumes.id}))`,
      ),
    )
    .limit(1);
  if (!r) return null;
  return { ...r, kind: r.mime === 'application/pdf' ? 'pdf' : 'docx' };
}

/** Content-Disposition for a download: an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function attachmentDisposition(name: string): string {
  const ascii =
    name
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '_')
      .trim() || 'resume';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
