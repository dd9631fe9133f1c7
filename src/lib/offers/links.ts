import type { Db } from '#db/client';
import { secretKey, sign, verifySigned } from '#lib/secrets';

/**
 * The link in the offer email: signed (HMAC with a key kept in the database),
 * single-purpose (its payload names what it is for), bound to one offer and
 * expiring. It works signed out. Single use comes from the offer itself: once
 * answered (or withdrawn) it is no longer open, so the link answers nothing.
 */
const KEY = 'offer-links';
const PURPOSE = 'offer-response';

export const OFFER_LINK_DAYS = 14;

export type OfferLinkSigner = (offerId: string, expiresAt: Date) => string;

/** A signer with the key read up front, so it can be used inside a transaction (PGlite has one connection). */
export async function offerLinkSigner(db: Db): Promise<OfferLinkSigner> {
  const key = await secretKey(db, KEY);
  return (offerId, expiresAt) => sign(key, `${PURPOSE}.${offerId}.${Math.floor(expiresAt.getTime() / 1000)}`);
}

export async function offerLinkToken(db: Db, offerId: string, expiresAt: Date): Promise<string> {
  return (await offerLinkSigner(db))(offerId, expiresAt);
}

export type LinkCheck = { ok: true } | { ok: false; reason: 'invalid' | 'other_offer' | 'expired' };

/** Checks a token against the offer it is used for. */
export async function checkOfferLink(db: Db, token: string, offerId: string, now = new Date()): Promise<LinkCheck> {
  const payload = verifySigned(await secretKey(db, KEY), token);
  const m = payload ? /^offer-response\.([0-9a-f-]{36})\.(\d{1,12})$/.exec(payload) : null;
  if (!m) return { ok: false, reason: 'invalid' };
  if (m[1] !== offerId) return { ok: false, reason: 'other_offer' };
  if (Number(m[2]) * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true };
}
