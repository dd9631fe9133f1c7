import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { env } from '#lib/env';
import { isFileKey, keyPath, readKeyFile, writeKeyFile, type KeyDir } from '#lib/shared/key-files';

/**
 * Where resume files live: DATA_DIR/resumes, outside public/, under random
 * names (32 hex characters) that say nothing about the person or the file.
 * A storage key from the database is checked against that shape before it
 * becomes a path, so no key can point outside the directory.
 */
export interface ResumeStore {
  dir: string;
}

export function defaultStore(): ResumeStore {
  return { dir: path.join(env().dataDir, 'resumes') };
}

const resumes = (store: ResumeStore): KeyDir => ({ dir: store.dir, what: 'resume', ext: '' });

export function newStorageKey(): string {
  return crypto.randomBytes(16).toString('hex');
}

export async function writeResumeFile(store: ResumeStore, key: string, bytes: Uint8Array): Promise<void> {
  // Random keys: an existing file is someone else's, never overwritten.
  await writeKeyFile(resumes(store), key, bytes, 'throw');
}

export async function readResumeFile(store: ResumeStore, key: string): Promise<Buffer | null> {
  return readKeyFile(resumes(store), key);
}

export async function deleteResumeFile(store: ResumeStore, key: string): Promise<void> {
  await fs.rm(keyPath(resumes(store), key), { force: true });
}

/** Every stored file's key and when it was written (files not named like keys are not ours and are left alone). */
export async function listResumeFiles(store: ResumeStore): Promise<{ key: string; modifiedAt: Date }[]> {
  let names: string[];
  try {
    names = await fs.readdir(store.dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: { key: string; modifiedAt: Date }[] = [];
  for (const name of names) {
    if (!isFileKey(name)) continue;
    try {
      out.push({ key: name, modifiedAt: (await fs.stat(path.join(store.dir, name))).mtime });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return out;
}
