import fs from 'node:fs/promises';
import path from 'node:path';
import { env } from '#lib/env';

/**
 * Where logos live: DATA_DIR/logos, outside public/ like resumes, each file named by
 * the hash of its bytes (32 hex characters) so its URL never changes meaning and can be
 * cached for a year. A key is checked against that shape before it becomes a path.
 */
export interface LogoStore {
  dir: string;
}

export function defaultLogoStore(): LogoStore {
  return { dir: path.join(env().dataDir, 'logos') };
}

const KEY_RE = /^[0-9a-f]{32}$/;
export const isLogoKey = (key: string) => KEY_RE.test(key);

function keyPath(store: LogoStore, key: string): string {
  if (!isLogoKey(key)) throw new Error('Invalid logo storage key');
  return path.join(store.dir, `${key}.webp`);
}

export async function writeLogoFile(store: LogoStore, key: string, bytes: Uint8Array): Promise<void> {
  await fs.mkdir(store.dir, { recursive: true, mode: 0o700 });
  try {
    await fs.writeFile(keyPath(store, key), bytes, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    // Same hash, same bytes: the file is already there (another organization uploaded the same image).
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

export async function readLogoFile(store: LogoStore, key: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(keyPath(store, key));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
