import { CREDENTIALS, credentialByCode, type CredentialDef, type Tier } from '#lib/domain/taxonomy';
import { COMPACT_NAMES, COMPACT_STATES } from './compacts';

/**
 * Does a candidate's licensure qualify them for a job in the job's state?
 * One pure rule shared by search (per-hit badges, "jobs I qualify for"), the
 * job page and recruiter screening.
 *
 * - A license matches an accepted credential when both are in the same class
 *   (state title variants: LPC, LMHC, LPCC … are one class) and the license's
 *   tier is at least the accepted one (an LCSW qualifies where LMSW is accepted,
 *   not the reverse).
 * - Expired licenses never count.
 * - Held in the job's state (or a national certification): eligible.
 * - Otherwise a compact may carry it: a multistate RN/LPN license from an NLC
 *   state into another NLC state; an independent counselor's license from a
 *   Counseling Compact state into another; a psychologist's PSYPACT authority
 *   into another PSYPACT state for telehealth jobs only.
 * - Holding a matching credential elsewhere: needs a license in the job's state.
 * - No matching credential at all: nothing to say.
 */

export interface HeldLicense {
  credentialCode: string;
  state: string | null;
  expiresOn: string | null; // YYYY-MM-DD
  compact: boolean;
}

export interface JobForEligibility {
  state: string;
  setting: string;
  credentials: readonly string[];
}

export type Eligibility =
  | { status: 'eligible'; via: string }
  | { status: 'compact'; via: string; compact: string }
  | { status: 'needs_license'; state: string }
  | { status: 'none' };

const TIER_RANK: Record<Tier, number> = { na: 0, associate: 1, independent: 2 };

export function isExpired(lic: Pick<HeldLicense, 'expiresOn'>, today: string): boolean {
  return lic.expiresOn !== null && lic.expiresOn < today;
}

export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Does holding `held` satisfy an accepted credential `accepted`? */
export function satisfies(held: CredentialDef, accepted: CredentialDef): boolean {
  return held.class === accepted.class && TIER_RANK[held.tier] >= TIER_RANK[accepted.tier];
}

function compactCarries(lic: HeldLicense, def: CredentialDef, job: JobForEligibility): boolean {
  if (!def.compact || !lic.state || lic.state === job.state) return false;
  const members = COMPACT_STATES[def.compact];
  if (!members.has(lic.state) || !members.has(job.state)) return false;
  switch (def.compact) {
    case 'nlc':
      return lic.compact; // only a multistate license crosses state lines
    case 'counseling':
      return def.tier === 'independent';
    case 'psypact':
      return job.setting === 'telehealth';
  }
}

export function eligibility(licenses: readonly HeldLicense[], job: JobForEligibility, today = todayIso()): Eligibility {
  const accepted = job.credentials.map((c) => credentialByCode(c)).filter((c) => c !== undefined);
  let compactHit: Eligibility | undefined;
  let holdsElsewhere = false;
  for (const lic of licenses) {
    const def = credentialByCode(lic.credentialCode);
    if (!def || isExpired(lic, today)) continue;
    const match = accepted.find((a) => satisfies(def, a));
    if (!match) continue;
    if (def.scope === 'national' || lic.state === job.state) return { status: 'eligible', via: def.code };
    if (compactCarries(lic, def, job)) {
      compactHit ??= { status: 'compact', via: def.code, compact: COMPACT_NAMES[def.compact!] };
    } else {
      holdsElsewhere = true;
    }
  }
  if (compactHit) return compactHit;
  if (holdsElsewhere) return { status: 'needs_license', state: job.state };
  return { status: 'none' };
}

/**
 * The same rule as a search filter: the (credentials × states [× telehealth])
 * combinations a candidate qualifies for, so "jobs I qualify for" runs inside
 * the engine instead of filtering a page after the fact.
 */
export interface QualifyClause {
  credentials: string[];
  /** null: any state (national certification). */
  states: string[] | null;
  telehealthOnly: boolean;
}

export function qualifyClauses(licenses: readonly HeldLicense[], today = todayIso()): QualifyClause[] {
  const clauses: QualifyClause[] = [];
  for (const lic of licenses) {
    const def = credentialByCode(lic.credentialCode);
    if (!def || isExpired(lic, today)) continue;
    const codes = CREDENTIALS.filter((a) => satisfies(def, a)).map((a) => a.code);
    if (def.scope === 'national') {
      clauses.push({ credentials: codes, states: null, telehealthOnly: false });
      continue;
    }
    if (!lic.state) continue;
    clauses.push({ credentials: codes, states: [lic.state], telehealthOnly: false });
    if (def.compact && COMPACT_STATES[def.compact].has(lic.state)) {
      const others = [...COMPACT_STATES[def.compact]].filter((s) => s !== lic.state);
      const carries = (def.compact === 'nlc' && lic.compact) || (def.compact === 'counseling' && def.tier === 'independent') || def.compact === 'psypact';
      if (carries) clauses.push({ credentials: codes, states: others, telehealthOnly: def.compact === 'psypact' });
    }
  }
  return clauses;
}

export function eligibilityLabel(e: Eligibility): string | null {
  switch (e.status) {
    case 'eligible':
      return `Eligible (${e.via})`;
    case 'compact':
      return `Eligible through the ${e.compact} (${e.via})`;
    case 'needs_license':
      return `Needs a license in ${e.state}`;
    case 'none':
      return null;
  }
}
