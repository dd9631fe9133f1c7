import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * A directory of files named by keys of 32 hex characters (resumes under random keys, logos under
 * the hash of their bytes), outside public/. A key is checked against that shape before it becomes
 * a path, so no key from the database or a URL can point outside the directory. Files are written
 * once ('wx': never overwritten) and readable by the server's user only (0600).
 */
export interface KeyDir {
  dir: string;
  /** What the files are, for the error a malformed key raises ("resume", "logo"). */
  what: string;
  /** The file names' ending after the key ('' for none). */
  ext: string;
}

const KEY_RE = /^[0-9a-f]{32}$/;
export const isFileKey = (key: string) => KEY_RE.test(key);

export function keyPath(d: KeyDir, key: string): string {
  if (!isFileKey(key)) throw new Error(`Invalid ${d.what} storage key`);
  return path.join(d.dir, `${key}${d.ext}`);
}

/** Writes a new file; `ifExists: 'keep'` (content-addressed keys) takes an existing file as already written, 'throw' refuses it. */
export async function writeKeyFile(d: KeyDir, key: string, bytes: Uint8Array, ifExists: 'keep' | 'throw'): Promise<void> {
  await fs.mkdir(d.dir, { recursive: true, mode: 0o700 });
  try {
    await fs.writeFile(keyPath(d, key), bytes, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if (ifExists === 'throw' || (err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** The file's bytes, or null when there is none. */
export async function readKeyFile(d: KeyDir, key: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(keyPath(d, key));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
