import { credentialByCode } from '#lib/domain/taxonomy';
import { COMPACT_NAMES } from '#lib/licensure/compacts';
import { isExpired, todayIso } from '#lib/licensure/eligibility';

/** Licenses as a candidate and a hiring team see them: expired, expiring soon, current. Pure. */
export const EXPIRING_SOON_DAYS = 60;

export type LicenseStatus =
  | { kind: 'expired'; since: string }
  | { kind: 'expiring'; daysLeft: number; on: string }
  | { kind: 'current'; on: string }
  | { kind: 'no_expiry' };

const DAY_MS = 86_400_000;

export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / DAY_MS);
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Uses the eligibility module's own notion of expired (expires_on before today), so badges and eligibility never disagree. */
export function licenseStatus(lic: { expiresOn: string | null }, today = todayIso(), soonDays = EXPIRING_SOON_DAYS): LicenseStatus {
  if (lic.expiresOn === null) return { kind: 'no_expiry' };
  if (isExpired(lic, today)) return { kind: 'expired', since: lic.expiresOn };
  const daysLeft = daysBetween(today, lic.expiresOn);
  if (daysLeft <= soonDays) return { kind: 'expiring', daysLeft, on: lic.expiresOn };
  return { kind: 'current', on: lic.expiresOn };
}

export function licenseStatusLabel(s: LicenseStatus): string {
  switch (s.kind) {
    case 'expired':
      return `Expired ${formatIso(s.since)}`;
    case 'expiring':
      return s.daysLeft === 0 ? 'Expires today' : `Expires in ${s.daysLeft} day${s.daysLeft === 1 ? '' : 's'} (${formatIso(s.on)})`;
    case 'current':
      return `Valid through ${formatIso(s.on)}`;
    case 'no_expiry':
      return 'No expiration date';
  }
}

const fmt = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
function formatIso(iso: string): string {
  return fmt.format(new Date(`${iso}T00:00:00Z`));
}

/** "LCSW · Pennsylvania" style title, and whether the credential can be multistate at all. */
export function licenseTitle(lic: { credentialCode: string; state: string | null }): string {
  return lic.state ? `${lic.credentialCode} · ${lic.state}` : `${lic.credentialCode} · national`;
}

export function compactNameFor(code: string): string | null {
  const c = credentialByCode(code)?.compact;
  return c ? COMPACT_NAMES[c] : null;
}
