import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/**
 * Random tokens and their hashes, the Lucia guide's way: bytes from the CSPRNG
 * (crypto.getRandomValues), base32 lower-case without padding, and only a
 * SHA-256 of the secret part ever stored.
 */

/** `bytes` random bytes as base32 (8 bits → 1.6 chars): 15 → 24 chars, 20 → 32 chars. */
export function randomToken(bytes = 20): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return encodeBase32LowerCaseNoPadding(buf);
}

export function sha256Bytes(value: string): Uint8Array {
  return sha256(new TextEncoder().encode(value));
}

/** Hex SHA-256, for tables that store token hashes as text (email tokens, invitations). */
export function sha256Hex(value: string): string {
  return encodeHexLowerCase(sha256Bytes(value));
}

export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && constantTimeEqual(a, b);
}

/** Shape of an emailed token (verification, reset, invitation): base32, 32 chars. */
export const EMAIL_TOKEN_RE = /^[a-z2-7]{32}$/;
