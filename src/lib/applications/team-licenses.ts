import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobCredentials, licenses, licenseVerifications, users } from '#db/schema';
import { eligibility, eligibilityLabel, todayIso, type Eligibility, type HeldLicense } from '#lib/licensure/eligibility';
import { licenseStatus, type LicenseStatus } from '#lib/profile/licenses';

/** Licensure as the hiring team sees it: each applicant's licenses with verification and expiry, and whether they qualify for the job. */

export async function jobCredentialMap(db: Pick<Db, 'select'>, jobIds: readonly string[]): Promise<Map<string, string[]>> {
  const m = new Map<string, string[]>();
  if (!jobIds.length) return m;
  const rows = await db
    .select({ jobId: jobCredentials.jobId, code: jobCredentials.credentialCode })
    .from(jobCredentials)
    .where(inArray(jobCredentials.jobId, [...jobIds]))
    .orderBy(asc(jobCredentials.credentialCode));
  for (const r of rows) (m.get(r.jobId) ?? m.set(r.jobId, []).get(r.jobId)!).push(r.code);
  return m;
}

export interface TeamLicense extends HeldLicense {
  id: string;
  number: string;
  status: LicenseStatus;
  /** This organization's verification, if it made one (other organizations' are never shown). */
  verification: { verifiedAt: Date; verifiedBy: string | null; lookupUrl: string } | null;
}

/** Candidates' licenses with this organization's verifications, keyed by candidate. */
export async function teamLicenses(
  db: Pick<Db, 'select'>,
  orgId: string,
  candidateIds: readonly string[],
  today = todayIso(),
): Promise<Map<string, TeamLicense[]>> {
  const m = new Map<string, TeamLicense[]>();
  if (!candidateIds.length) return m;
  const rows = await db
    .select({
      l: licenses,
      verifiedAt: licenseVerifications.verifiedAt,
      lookupUrl: licenseVerifications.lookupUrl,
      verifiedBy: users.name,
    })
    .from(licenses)
    .leftJoin(licenseVerifications, and(eq(licenseVerifications.licenseId, licenses.id), eq(licenseVerifications.orgId, orgId)))
    .leftJoin(users, eq(users.id, licenseVerifications.verifiedBy))
    .where(inArray(licenses.userId, [...candidateIds]))
    .orderBy(asc(licenses.credentialCode), asc(licenses.state));
  for (const r of rows) {
    const t: TeamLicense = {
      id: r.l.id,
      credentialCode: r.l.credentialCode,
      state: r.l.state,
      number: r.l.number,
      expiresOn: r.l.expiresOn,
      compact: r.l.compact,
      status: licenseStatus(r.l, today),
      verification: r.verifiedAt ? { verifiedAt: r.verifiedAt, verifiedBy: r.verifiedBy, lookupUrl: r.lookupUrl ?? '' } : null,
    };
    (m.get(r.l.userId) ?? m.set(r.l.userId, []).get(r.l.userId)!).push(t);
  }
  return m;
}

export function eligibilityFor(
  lics: readonly HeldLicense[],
  job: { state: string; setting: string; credentials: readonly string[] },
  today = todayIso(),
): { value: Eligibility; label: string } {
  const value = eligibility(lics, job, today);
  return { value, label: eligibilityLabel(value) ?? 'No matching credential' };
}

// ---------------------------------------------------------------- pipeline of one job
