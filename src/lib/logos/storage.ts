import path from 'node:path';
import { env } from '#lib/env';
import { isFileKey, readKeyFile, writeKeyFile, type KeyDir } from '#lib/shared/key-files';

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

const logos = (store: LogoStore): KeyDir => ({ dir: store.dir, what: 'logo', ext: '.webp' });
export const isLogoKey = isFileKey;

export async function writeLogoFile(store: LogoStore, key: string, bytes: Uint8Array): Promise<void> {
  // Same hash, same bytes: a file already there is this one (another organization uploaded the same image).
  await writeKeyFile(logos(store), key, bytes, 'keep');
}

export async function readLogoFile(store: LogoStore, key: string): Promise<Buffer | null> {
  return readKeyFile(logos(store), key);
}
