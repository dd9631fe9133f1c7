import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { env } from '#lib/env';

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

const KEY_RE = /^[0-9a-f]{32}$/;

export function newStorageKey(): string {
  return crypto.randomBytes(16).toString('hex');
}

function keyPath(store: ResumeStore, key: string): string {
  if (!KEY_RE.test(key)) throw new Error('Invalid resume storage key');
  return path.join(store.dir, key);
}

export async function writeResumeFile(store: ResumeStore, key: string, bytes: Uint8Array): Promise<void> {
  await fs.mkdir(store.dir, { recursive: true, mode: 0o700 });
  // 'wx': never overwrite; 0600: readable by the server's user only.
  await fs.writeFile(keyPath(store, key), bytes, { flag: 'wx', mode: 0o600 });
}

export async function readResumeFile(store: ResumeStore, key: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(keyPath(store, key));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function deleteResumeFile(store: ResumeStore, key: string): Promise<void> {
  await fs.rm(keyPath(store, key), { force: true });
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
    if (!KEY_RE.test(name)) continue;
    try {
      out.push({ key: name, modifiedAt: (await fs.stat(path.join(store.dir, name))).mtime });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return out;
}
