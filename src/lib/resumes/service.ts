import crypto from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { applications, jobs, members, resumes } from '../../../db/schema';
import { conflict, invalid, notFound } from '../errors';
import { displayFileName, inspectUpload, MAX_RESUME_BYTES, type ResumeKind } from './inspect';
import { deleteResumeFile, newStorageKey, writeResumeFile, type ResumeStore } from './storage';
import { extractResumeText } from './text';

/**
 * Resumes: checked (inspect.ts), their text extracted for search (text.ts),
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
}

export const MAX_RESUMES_PER_USER = 20;

/** Reads a browser upload, refusing oversize files before reading them into memory. */
export async function readUpload(file: File): Promise<UploadedFile> {
  if (file.size > MAX_RESUME_BYTES) {
    const msg = `Your file is ${(file.size / 1024 / 1024).toFixed(1)} MB; resumes can be at most 5 MB. Save it as a smaller PDF (for example without photos) and try again.`;
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
};

/**
 * Stores a resume for `userId`. The same bytes uploaded again (a double
 * submit, two tabs, a retry) return the resume already stored, even when the
 * uploads race: the unique (user, content hash) index decides, and the loser's
 * file is removed.
 */
export async function saveResume(db: Db, store: ResumeStore, userId: string, file: UploadedFile): Promise<{ resume: ResumeSummary; created: boolean }> {
  const inspected = await inspectUpload(file.bytes, file.name);
  const hash = crypto.createHash('sha256').update(file.bytes).digest('hex');
  const existing = await findByHash(db, userId, hash);
  if (existing) return { resume: existing, created: false };

  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(resumes).where(eq(resumes.userId, userId));
  if (Number(count?.n ?? 0) >= MAX_RESUMES_PER_USER) {
    throw invalid(`You have ${MAX_RESUMES_PER_USER} resumes stored, the most we keep. Delete one you no longer use, then upload again.`, {
      resume: ['Delete an old resume first.'],
    });
  }
  const text = await extractResumeText(file.bytes, inspected);
  const key = newStorageKey();
  await writeResumeFile(store, key, file.bytes);
  try {
    const [row] = await db
      .insert(resumes)
      .values({
        userId,
        storageKey: key,
        originalName: displayFileName(file.name, inspected.kind),
        mime: inspected.mime,
        sizeBytes: file.bytes.byteLength,
        textContent: text,
        contentHash: hash,
      })
      .onConflictDoNothing({ target: [resumes.userId, resumes.contentHash] })
      .returning(summaryColumns);
    if (row) return { resume: row, created: true };
    await deleteResumeFile(store, key);
    const winner = await findByHash(db, userId, hash);
    if (!winner) throw new Error('resume vanished after a conflicting insert');
    return { resume: winner, created: false };
  } catch (err) {
    await deleteResumeFile(store, key);
    throw err;
  }
}

async function findByHash(db: Db, userId: string, hash: string): Promise<ResumeSummary | null> {
  const [r] = await db.select(summaryColumns).from(resumes).where(and(eq(resumes.userId, userId), eq(resumes.contentHash, hash))).limit(1);
  return r ?? null;
}

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

export async function ownResume(db: Pick<Db, 'select'>, userId: string, resumeId: string): Promise<ResumeSummary | null> {
  const [r] = await db.select(summaryColumns).from(resumes).where(and(eq(resumes.id, resumeId), eq(resumes.userId, userId))).limit(1);
  return r ?? null;
}

/**
 * Deletes one of the user's resumes. One that went out with an application
 * stays: the employer received it and may still read it.
 */
export async function deleteResume(db: Db, store: ResumeStore, userId: string, resumeId: string): Promise<void> {
  const key = await db.transaction(async (tx) => {
    const [r] = await tx.select({ key: resumes.storageKey }).from(resumes).where(and(eq(resumes.id, resumeId), eq(resumes.userId, userId))).for('update');
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
    .select({ storageKey: resumes.storageKey, originalName: resumes.originalName, mime: resumes.mime, sizeBytes: resumes.sizeBytes })
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
  const ascii = name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_').trim() || 'resume';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
