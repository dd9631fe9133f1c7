/**
 * Generates realistic job rows for the seed: role-appropriate and
 * state-appropriate credentials, market-shaped pay, program/track/schedule
 * combinations that make sense together, and 0–3 screening questions.
 * Pure: everything comes from the PRNG and the arguments, so the same seed
 * (and the same `now`) gives the same postings.
 */
import type { jobCredentials, jobs, screeningQuestions } from '../schema';
import { credentialByCode, ROLE_CREDENTIALS, US_STATES } from '#lib/domain/taxonomy';
import type { EmploymentType, JobStatus, Population, ProgramType, RoleSlug, Schedule, Setting, Track } from '#lib/domain/taxonomy';
import type { City } from './cities';
import type { Rng } from './random';
import { generateDescription, generateTitle, NLC_STATES, type PostingSpec, type PrescriberKind } from './text';
import { computeSearchExtra, jobSlugBase } from '#lib/jobs/search-text';

export type JobInsert = typeof jobs.$inferInsert & { id: string; slug: string };
export type JobCredentialInsert = typeof jobCredentials.$inferInsert;
export type ScreeningQuestionInsert = typeof screeningQuestions.$inferInsert;

/** An organization jobs can be generated for. */
export interface JobOrg {
  id: string;
  name: string;
  /** Where this organization runs programs; each job picks one (weighted by city size). */
  cities: readonly City[];
  /** Users who may appear as a job's creator (members of the org); empty or omitted: null. */
  creatorIds?: readonly string[];
  /** Share of postings that are telehealth regardless of program (virtual-first organizations). */
  telehealthShare?: number;
  /** Relative share of all postings (default 1). */
  weight?: number;
}

export interface GenerateOptions {
  /** The reference time for posted/valid-through dates (default: now). */
  now?: Date;
  /** Slugs already taken (in the database or earlier batches); new slugs are added to it. */
  usedSlugs?: Set<string>;
  /** Job id factory; default draws a UUID from the PRNG (deterministic). */
  newId?: () => string;
}

export interface GeneratedJobs {
  jobs: JobInsert[];
  jobCredentials: JobCredentialInsert[];
  screeningQuestions: ScreeningQuestionInsert[];
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

// ---------------------------------------------------------------- credentials by state

/** The independent professional-counselor title each state uses. */
const COUNSELOR_TITLE: Record<string, string> = {};
for (const s of ['NY', 'MA', 'FL', 'WA', 'RI', 'IN', 'IA', 'HI']) COUNSELOR_TITLE[s] = 'LMHC';
for (const s of ['CA', 'OH', 'NM', 'KY', 'MN']) COUNSELOR_TITLE[s] = 'LPCC';
for (const s of ['IL', 'MD', 'ME', 'MT', 'ID', 'KS']) COUNSELOR_TITLE[s] = 'LCPC';
for (const s of ['NC', 'NH', 'VT']) COUNSELOR_TITLE[s] = 'LCMHC';
export function counselorTitle(state: string): string {
  return COUNSELOR_TITLE[state] ?? 'LPC';
}
const COUNSELOR_CODES = new Set(['LPC', 'LMHC', 'LPCC', 'LCPC', 'LCMHC']);
/** States whose independent clinical social work license is the LICSW. Massachusetts issues both. */
const LICSW_STATES = new Set(['MA', 'MN', 'DC', 'WA', 'RI', 'VT', 'NH']);

/** Whether a posting in this state would list this credential. */
export function credentialFitsState(code: string, state: string, rng?: Rng): boolean {
  if (COUNSELOR_CODES.has(code)) return code === counselorTitle(state);
  switch (code) {
    case 'LCSW':
      return !LICSW_STATES.has(state) || state === 'MA';
    case 'LICSW':
      return LICSW_STATES.has(state);
    case 'LAPC':
      return counselorTitle(state) === 'LPC';
    case 'AMFT':
      return state === 'CA' || (rng ? rng.chance(0.01) : false);
    case 'CASAC':
      return state === 'NY';
    case 'CADC':
    case 'LCADC':
      return state !== 'NY';
    default:
      return true;
  }
}

const tierOf = (code: string) => credentialByCode(code)?.tier ?? 'na';

function chooseCredentials(
  rng: Rng,
  role: RoleSlug,
  state: string,
  populations: readonly Population[],
): { codes: string[]; prescriber: PrescriberKind | null } {
  const allowed = ROLE_CREDENTIALS[role]
    .filter((c) => credentialFitsState(c, state, rng))
    // An addiction credential only makes sense for a case manager on a co-occurring team.
    .filter((c) => role !== 'case-manager' || c !== 'CADC' || populations.includes('co-occurring'));
  const ind = allowed.filter((c) => tierOf(c) === 'independent');
  const assoc = allowed.filter((c) => tierOf(c) === 'associate');
  const some = (list: readonly string[], lo: number, hi: number) => rng.sample(list, rng.int(lo, hi));

  switch (role) {
    case 'registered-nurse':
      return { codes: ['RN'], prescriber: null };
    case 'psychiatric-prescriber': {
      const kind = rng.weighted<PrescriberKind>([
        ['psychiatrist', 40],
        ['pmhnp', 38],
        ['either', 22],
      ]);
      return {
        codes: kind === 'psychiatrist' ? ['MD'] : kind === 'pmhnp' ? ['PMHNP'] : ['MD', 'PMHNP'],
        prescriber: kind,
      };
    }
    case 'program-director': {
      const pool = ind.filter((c) => c !== 'RN' || rng.chance(0.3));
      return { codes: some(pool, 2, 4), prescriber: null };
    }
    case 'peer-support-specialist': {
      const mode = rng.weighted([
        ['cps', 70],
        ['both', 18],
        ['cprp', 4],
        ['none', 8],
      ]);
      return {
        codes: mode === 'cps' ? ['CPS'] : mode === 'both' ? ['CPS', 'CPRP'] : mode === 'cprp' ? ['CPRP'] : [],
        prescriber: null,
      };
    }
    case 'mental-health-technician': {
      const mode = rng.weighted([
        ['none', 60],
        ['lpn', 12],
        ['peer', 28],
      ]);
      return { codes: mode === 'none' ? [] : mode === 'lpn' ? ['LPN'] : some(['CPS', 'CPRP'], 1, 2), prescriber: null };
    }
    case 'intake-coordinator': {
      const mode = rng.weighted([
        ['none', 40],
        ['clinical', 35],
        ['nursing', 25],
      ]);
      if (mode === 'none') return { codes: [], prescriber: null };
      if (mode === 'nursing') return { codes: some(['RN', 'LPN'], 1, 2), prescriber: null };
      return {
        codes: some(
          allowed.filter((c) => c !== 'RN' && c !== 'LPN'),
          1,
          3,
        ),
        prescriber: null,
      };
    }
    case 'case-manager': {
      if (rng.chance(0.3)) return { codes: [], prescriber: null };
      return { codes: some(allowed, 1, 3), prescriber: null };
    }
    case 'substance-use-counselor': {
      const addiction = allowed.filter((c) => credentialByCode(c)?.class === 'addiction-counselor');
      const codes = some(addiction, 1, addiction.length);
      if (rng.chance(0.45))
        codes.push(
          ...some(
            allowed.filter((c) => !addiction.includes(c)),
            1,
            2,
          ),
        );
      return { codes, prescriber: null };
    }
    default: {
      // Therapists: independent only, independent plus associate (with supervision), or associate only.
      const mode = rng.weighted([
        ['independent', 45],
        ['mixed', 40],
        ['associate', 15],
      ]);
      let codes: string[];
      if (mode === 'independent' || assoc.length === 0) codes = some(ind, 1, 3);
      else if (mode === 'mixed') codes = [...some(ind, 1, 3), ...some(assoc, 1, 2)];
      else codes = some(assoc, 1, 2);
      if (role === 'family-therapist' && !codes.includes('LMFT') && !codes.includes('AMFT')) codes.unshift('LMFT');
      return { codes, prescriber: null };
    }
  }
}

// ---------------------------------------------------------------- pay

/** Regional cost-of-labor adjustment. */
function payFactor(state: string): number {
  if (['CA', 'NY', 'MA', 'WA'].includes(state)) return 1.12;
  if (['NJ', 'CT', 'DC', 'MD', 'OR', 'CO', 'HI', 'AK'].includes(state)) return 1.06;
  if (['MS', 'AR', 'AL', 'WV', 'OK', 'KY', 'LA', 'SD'].includes(state)) return 0.94;
  return 1;
}

interface Pay {
  payMin: number;
  payMax: number;
  payPeriod: 'hour' | 'year';
}

function annual(rng: Rng, minLo: number, minHi: number, spreadLo: number, spreadHi: number, cap: number, factor: number): Pay {
  const min = rng.int(minLo, minHi);
  const max = Math.min(cap, min + rng.int(spreadLo, spreadHi));
  const r = (n: number) => Math.round((n * factor) / 1000) * 1000;
  return { payMin: r(min), payMax: Math.max(r(min), r(max)), payPeriod: 'year' };
}

function hourly(rng: Rng, minLo: number, minHi: number, spreadLo: number, spreadHi: number, cap: number, factor: number): Pay {
  const min = rng.int(minLo, minHi);
  const max = Math.min(cap, min + rng.int(spreadLo, spreadHi));
  const lo = Math.round(min * factor);
  return { payMin: lo, payMax: Math.max(lo, Math.ceil(max * factor)), payPeriod: 'hour' };
}

function choosePay(rng: Rng, role: RoleSlug, codes: readonly string[], prescriber: PrescriberKind | null, employment: EmploymentType, state: string): Pay {
  const f = payFactor(state);
  const perDiem = employment === 'per_diem';
  const partTime = employment === 'part_time';
  const hasIndependent = codes.some((c) => tierOf(c) === 'independent');
  const associateOnly = codes.length > 0 && !hasIndependent;
  switch (role) {
    case 'registered-nurse':
      return hourly(rng, 38, 50, 5, 12, 60, f);
    case 'mental-health-technician':
      return hourly(rng, 17, 20, 2, 5, 24, f);
    case 'peer-support-specialist':
      return hourly(rng, 18, 22, 2, 5, 26, f);
    case 'program-director':
      return employment === 'contract' ? hourly(rng, 55, 70, 5, 15, 90, f) : annual(rng, 95_000, 125_000, 12_000, 30_000, 150_000, f);
    case 'psychiatric-prescriber': {
      if (perDiem || partTime || employment === 'contract') {
        return prescriber === 'pmhnp' ? hourly(rng, 75, 95, 8, 20, 115, f) : hourly(rng, 150, 210, 15, 40, 260, f);
      }
      if (prescriber === 'pmhnp') return annual(rng, 130_000, 160_000, 12_000, 28_000, 185_000, f);
      if (prescriber === 'psychiatrist') return annual(rng, 260_000, 320_000, 25_000, 60_000, 380_000, f);
      // Either: the low end is the nurse practitioner's, the high end the psychiatrist's.
      return annual(rng, 135_000, 160_000, 120_000, 190_000, 340_000, f);
    }
    case 'case-manager':
      return perDiem || partTime || rng.chance(0.3) ? hourly(rng, 22, 26, 2, 5, 30, f) : annual(rng, 45_000, 54_000, 5_000, 10_000, 65_000, f);
    case 'intake-coordinator':
      if (
        codes.some((c) => ['LCSW', 'LPC', 'LMSW', 'LMHC', 'LPCC', 'LCPC', 'LCMHC', 'LAPC', 'RN'].includes(c)) &&
        employment === 'full_time' &&
        rng.chance(0.6)
      ) {
        return annual(rng, 55_000, 64_000, 5_000, 10_000, 74_000, f);
      }
      return employment !== 'full_time' || rng.chance(0.6) ? hourly(rng, 20, 25, 2, 5, 30, f) : annual(rng, 44_000, 52_000, 4_000, 9_000, 62_000, f);
    case 'substance-use-counselor': {
      const licensed = codes.some((c) => tierOf(c) === 'independent');
      if (perDiem || partTime) return licensed ? hourly(rng, 30, 38, 3, 8, 46, f) : hourly(rng, 22, 27, 2, 6, 34, f);
      return licensed ? annual(rng, 56_000, 66_000, 6_000, 12_000, 78_000, f) : annual(rng, 46_000, 54_000, 4_000, 10_000, 64_000, f);
    }
    default: {
      // Therapists.
      // Part-time and per diem clinicians are paid by the hour; most contracts too.
      if (perDiem || partTime || (employment === 'contract' && rng.chance(0.7))) {
        return associateOnly ? hourly(rng, 32, 40, 3, 8, 48, f) : hourly(rng, 40, 50, 4, 10, 60, f);
      }
      const adj = role === 'group-therapist' ? -2_000 : 0;
      if (associateOnly) return annual(rng, 56_000 + adj, 64_000 + adj, 5_000, 10_000, 76_000, f);
      if (codes.some((c) => tierOf(c) === 'associate')) return annual(rng, 58_000 + adj, 68_000 + adj, 10_000, 20_000, 90_000, f);
      return annual(rng, 64_000 + adj, 80_000 + adj, 6_000, 16_000, 95_000, f);
    }
  }
}

// ---------------------------------------------------------------- program, schedule, setting, populations

function chooseProgram(rng: Rng, role: RoleSlug): ProgramType {
  switch (role) {
    case 'mental-health-technician':
      return rng.weighted<ProgramType>([
        ['PHP', 60],
        ['IOP', 10],
        ['PHP_IOP', 30],
      ]);
    case 'substance-use-counselor':
    case 'peer-support-specialist':
      return rng.weighted<ProgramType>([
        ['PHP', 20],
        ['IOP', 55],
        ['PHP_IOP', 25],
      ]);
    case 'program-director':
      return rng.weighted<ProgramType>([
        ['PHP', 25],
        ['IOP', 25],
        ['PHP_IOP', 50],
      ]);
    default:
      return rng.weighted<ProgramType>([
        ['PHP', 35],
        ['IOP', 40],
        ['PHP_IOP', 25],
      ]);
  }
}

function chooseTrack(rng: Rng, role: RoleSlug, program: ProgramType): Track {
  if (program === 'PHP') return 'day';
  if (role === 'program-director') return rng.chance(0.1) ? 'evening' : 'day';
  const evening = program === 'IOP' ? (role === 'substance-use-counselor' ? 0.6 : 0.45) : 0.15;
  return rng.chance(evening) ? 'evening' : 'day';
}

function chooseEmployment(rng: Rng, role: RoleSlug): EmploymentType {
  const w: Record<RoleSlug, readonly (readonly [EmploymentType, number])[]> = {
    therapist: [
      ['full_time', 65],
      ['part_time', 15],
      ['per_diem', 15],
      ['contract', 5],
    ],
    'group-therapist': [
      ['full_time', 55],
      ['part_time', 22],
      ['per_diem', 18],
      ['contract', 5],
    ],
    'family-therapist': [
      ['full_time', 65],
      ['part_time', 20],
      ['per_diem', 10],
      ['contract', 5],
    ],
    'registered-nurse': [
      ['full_time', 55],
      ['part_time', 15],
      ['per_diem', 25],
      ['contract', 5],
    ],
    'case-manager': [
      ['full_time', 80],
      ['part_time', 12],
      ['per_diem', 8],
    ],
    'program-director': [
      ['full_time', 97],
      ['contract', 3],
    ],
    'psychiatric-prescriber': [
      ['full_time', 50],
      ['part_time', 20],
      ['per_diem', 10],
      ['contract', 20],
    ],
    'peer-support-specialist': [
      ['full_time', 55],
      ['part_time', 30],
      ['per_diem', 15],
    ],
    'substance-use-counselor': [
      ['full_time', 65],
      ['part_time', 15],
      ['per_diem', 15],
      ['contract', 5],
    ],
    'intake-coordinator': [
      ['full_time', 75],
      ['part_time', 15],
      ['per_diem', 10],
    ],
    'mental-health-technician': [
      ['full_time', 50],
      ['part_time', 25],
      ['per_diem', 25],
    ],
  };
  return rng.weighted(w[role]);
}

function chooseSchedule(rng: Rng, role: RoleSlug, program: ProgramType, track: Track, employment: EmploymentType): Schedule {
  const weekendOk =
    program !== 'PHP' &&
    ['registered-nurse', 'mental-health-technician', 'peer-support-specialist', 'intake-coordinator', 'group-therapist', 'substance-use-counselor'].includes(
      role,
    );
  if (employment === 'per_diem' && rng.chance(0.5)) return 'flexible';
  if (track === 'evening')
    return rng.weighted<Schedule>([
      ['evenings', 85],
      ['flexible', 10],
      ['weekends', weekendOk ? 5 : 0],
    ]);
  return rng.weighted<Schedule>([
    ['days', 80],
    ['flexible', 13],
    ['weekends', weekendOk ? 7 : 0],
  ]);
}

function chooseSetting(rng: Rng, role: RoleSlug, program: ProgramType, org: JobOrg): Setting {
  if (org.telehealthShare && role !== 'mental-health-technician' && rng.chance(org.telehealthShare)) return 'telehealth';
  const base: Record<ProgramType, [number, number, number]> = {
    PHP: [70, 22, 8],
    IOP: [45, 25, 30],
    PHP_IOP: [55, 28, 17],
  };
  let [on, hy, tele] = base[program];
  switch (role) {
    case 'mental-health-technician':
      hy = 2;
      tele = 0;
      break;
    case 'registered-nurse':
      tele = 3;
      hy /= 2;
      break;
    case 'psychiatric-prescriber':
      tele *= 2;
      hy *= 1.3;
      break;
    case 'intake-coordinator':
      hy *= 1.6;
      tele *= 1.5;
      break;
    case 'program-director':
      hy *= 1.4;
      tele /= 3;
      break;
    default:
      break;
  }
  return rng.weighted<Setting>([
    ['onsite', on],
    ['hybrid', hy],
    ['telehealth', tele],
  ]);
}

const SPECIALTIES: readonly (readonly [Population, readonly Population[], number])[] = [
  // [specialty, age groups it pairs with, weight]
  ['co-occurring', ['adults', 'adolescents', 'older-adults'], 30],
  ['eating-disorders', ['adults', 'adolescents', 'children'], 15],
  ['veterans', ['adults', 'older-adults'], 8],
  ['lgbtq', ['adults', 'adolescents'], 9],
  ['perinatal', ['adults'], 6],
  ['first-episode-psychosis', ['adolescents', 'adults'], 6],
];

function choosePopulations(rng: Rng, role: RoleSlug): Population[] {
  // Substance use and peer roles don't serve young children.
  const kids = role === 'substance-use-counselor' || role === 'peer-support-specialist' ? 0 : 1;
  const ages = rng.weighted<Population[]>([
    [['adults'], 52],
    [['adolescents'], 24],
    [['children', 'adolescents'], 7 * kids],
    [['children'], 3 * kids],
    [['older-adults'], 7],
    [['adults', 'older-adults'], 4],
    [['adolescents', 'adults'], 3],
  ]);
  const out: Population[] = [...ages];
  const fits = SPECIALTIES.filter(([, with_]) => ages.every((a) => with_.includes(a)));
  const wantCoOccurring = role === 'substance-use-counselor' ? 0.9 : role === 'peer-support-specialist' ? 0.45 : 0;
  if (wantCoOccurring && rng.chance(wantCoOccurring) && fits.some(([p]) => p === 'co-occurring')) out.push('co-occurring');
  const nSpecial = rng.weighted([
    [0, 50],
    [1, 42],
    [2, 8],
  ]);
  for (let i = 0; i < nSpecial && out.length < 3; i++) {
    const options = fits.filter(([p]) => !out.includes(p));
    if (options.length === 0) break;
    out.push(rng.weighted(options.map(([p, , w]) => [p, w] as const)));
  }
  return out.slice(0, 3);
}

// ---------------------------------------------------------------- screening questions

type Question = Omit<ScreeningQuestionInsert, 'jobId' | 'position'>;

/** A required yes/no question; answering "No" disqualifies unless it only informs (`knockout: false`). */
function yesNo(prompt: string, { knockout = true } = {}): Question {
  return { kind: 'yes_no', prompt, options: [], required: true, knockoutAnswer: knockout ? 'No' : null };
}

/** A single-choice question, required unless said otherwise; `knockoutAnswer`, when given, disqualifies. */
function choice(prompt: string, options: string[], { required = true, knockoutAnswer = null as string | null } = {}): Question {
  return { kind: 'single_choice', prompt, options, required, knockoutAnswer };
}

/** An optional free-text question. */
function shortText(prompt: string): Question {
  return { kind: 'short_text', prompt, options: [], required: false, knockoutAnswer: null };
}

function screening(rng: Rng, spec: PostingSpec, jobId: string): ScreeningQuestionInsert[] {
  const stateName = US_STATES[spec.state] ?? spec.state;
  const pool: Question[] = [];
  const licenses = spec.credentials.filter((c) => credentialByCode(c)?.kind === 'license');
  if (licenses.length > 0 && spec.role !== 'intake-coordinator' && spec.role !== 'case-manager' && spec.role !== 'mental-health-technician') {
    const list =
      licenses.length === 1
        ? `${licenses[0]} license`
        : `${licenses.slice(0, -1).join(', ')}${licenses.length > 2 ? ',' : ''} or ${licenses[licenses.length - 1]} license`;
    pool.push(
      yesNo(
        `Do you hold an active, unrestricted ${list} in ${stateName}${spec.role === 'registered-nurse' && NLC_STATES.has(spec.state) ? ' (or a multistate compact license)' : ''}?`,
      ),
    );
  }
  pool.push(
    choice('How much experience do you have in PHP, IOP, inpatient, or residential behavioral health?', [
      'Less than 1 year',
      '1–2 years',
      '3–5 years',
      'More than 5 years',
    ]),
  );
  if (spec.track === 'evening' || spec.schedule === 'evenings') {
    pool.push(yesNo('Our evening groups run until 8 or 9 pm. Are you available to work evenings at least three days a week?'));
  }
  if (spec.schedule === 'weekends') {
    pool.push(yesNo('Are you available to work Saturdays and Sundays?'));
  }
  if (['therapist', 'group-therapist', 'family-therapist', 'substance-use-counselor'].includes(spec.role)) {
    pool.push(shortText('Which evidence-based approaches (for example DBT, CBT, ACT, EMDR) are you trained in?'));
    pool.push(
      choice('Have you completed formal DBT training?', ['Intensive training', 'Foundational or online training', 'No, but interested'], { required: false }),
    );
  }
  if (spec.role === 'registered-nurse' || spec.role === 'mental-health-technician') {
    pool.push(yesNo('Do you have current BLS/CPR certification?', { knockout: false }));
  }
  if (spec.role === 'psychiatric-prescriber') {
    pool.push(yesNo('Do you hold an active DEA registration, or can you obtain one before your start date?'));
  }
  if (spec.role === 'peer-support-specialist') {
    pool.push(yesNo('Do you have lived experience of mental health or substance use recovery that you are comfortable sharing with patients?'));
  }
  if (spec.role === 'case-manager' && spec.setting !== 'telehealth') {
    pool.push(yesNo("Do you have a valid driver's license and reliable transportation?"));
  }
  if (spec.bilingual) {
    pool.push(choice('How would you describe your Spanish?', ['Fluent', 'Conversational', 'Basic', 'None'], { knockoutAnswer: 'None' }));
  }
  if (spec.supervisionOffered) {
    pool.push(
      choice('Where are you in the licensure process?', [
        'Fully licensed',
        'Associate license, accruing hours',
        'License application pending',
        'Graduating within 3 months',
      ]),
    );
  }
  pool.push(shortText('When would you be available to start?'));

  const n = rng.weighted([
    [0, 25],
    [1, 30],
    [2, 28],
    [3, 17],
  ]);
  return rng.sample(pool, n).map((q, i) => ({ ...q, jobId, position: i + 1 }));
}

// ---------------------------------------------------------------- slugs

/** The posting service's slug, without the sign-on bonus some generated titles carry. */
function slugBase(title: string, city: string, state: string): string {
  return jobSlugBase(title.replace(/\s+–\s+\$[\d,]+ Sign-On Bonus$/, ''), city, state);
}

function uniqueSlug(rng: Rng, base: string, used: Set<string>): string {
  for (let len = 6; ; len++) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const slug = `${base}-${rng.base36(len)}`;
      if (!used.has(slug)) {
        used.add(slug);
        return slug;
      }
    }
  }
}

// ---------------------------------------------------------------- generator

function pickOrg(rng: Rng, orgs: readonly JobOrg[], weights: readonly (readonly [JobOrg, number])[]): JobOrg {
  return orgs.length === 1 ? (orgs[0] as JobOrg) : rng.weighted(weights);
}

export function generateJobs(rng: Rng, count: number, orgs: readonly JobOrg[], opts: GenerateOptions = {}): GeneratedJobs {
  if (orgs.length === 0) throw new Error('generateJobs needs at least one organization');
  for (const o of orgs) if (o.cities.length === 0) throw new Error(`organization ${o.name} has no cities`);
  const now = (opts.now ?? new Date()).getTime();
  const used = opts.usedSlugs ?? new Set<string>();
  const newId = opts.newId ?? (() => rng.uuid());
  const orgWeights = orgs.map((o) => [o, o.weight ?? 1] as const);
  const cityWeights = new Map(orgs.map((o) => [o, o.cities.map((c) => [c, c.weight] as const)]));
  const roleWeights: readonly (readonly [RoleSlug, number])[] = [
    ['therapist', 26],
    ['group-therapist', 9],
    ['family-therapist', 6],
    ['registered-nurse', 13],
    ['case-manager', 8],
    ['program-director', 4],
    ['psychiatric-prescriber', 6],
    ['peer-support-specialist', 6],
    ['substance-use-counselor', 9],
    ['intake-coordinator', 6],
    ['mental-health-technician', 7],
  ];

  const out: GeneratedJobs = { jobs: [], jobCredentials: [], screeningQuestions: [] };
  for (let i = 0; i < count; i++) {
    const org = pickOrg(rng, orgs, orgWeights);
    const city = rng.weighted(cityWeights.get(org) ?? []);
    const role = rng.weighted(roleWeights);
    const programType = chooseProgram(rng, role);
    const track = chooseTrack(rng, role, programType);
    const employmentType = chooseEmployment(rng, role);
    const schedule = chooseSchedule(rng, role, programType, track, employmentType);
    const setting = chooseSetting(rng, role, programType, org);
    const populations = choosePopulations(rng, role);
    const { codes, prescriber } = chooseCredentials(rng, role, city.state, populations);
    const hasAssociate = codes.some((c) => tierOf(c) === 'associate');
    const clinical = ['therapist', 'group-therapist', 'family-therapist', 'substance-use-counselor', 'case-manager'].includes(role);
    const supervisionOffered = hasAssociate ? rng.chance(0.88) : clinical ? rng.chance(0.08) : false;
    const pay = choosePay(rng, role, codes, prescriber, employmentType, city.state);
    const bilingual = rng.chance(['CA', 'TX', 'FL', 'AZ', 'NM', 'NY', 'NJ', 'IL', 'NV'].includes(city.state) ? 0.12 : 0.04);
    const shortage = (role === 'registered-nurse' || role === 'psychiatric-prescriber') && employmentType === 'full_time';
    const signOnBonus =
      shortage && rng.chance(0.12)
        ? role === 'psychiatric-prescriber'
          ? rng.pick([10_000, 15_000, 20_000, 25_000])
          : rng.pick([2_500, 3_000, 5_000, 7_500])
        : null;

    const spec: PostingSpec = {
      role,
      programType,
      track,
      setting,
      schedule,
      employmentType,
      populations,
      credentials: codes,
      supervisionOffered,
      prescriberKind: prescriber,
      orgName: org.name,
      city: city.city,
      state: city.state,
      payMin: pay.payMin,
      payMax: pay.payMax,
      payPeriod: pay.payPeriod,
      iopDays: rng.weighted([
        [3, 45],
        [4, 35],
        [5, 20],
      ]),
      phpHours: rng.pick([5, 5, 6, 6, 6]),
      bilingual,
      signOnBonus,
    };
    const title = generateTitle(rng, spec);
    const description = generateDescription(rng, spec);

    // Dates: postings skew recent (older ones have mostly expired or filled).
    const status = rng.weighted<JobStatus>([
      ['published', 90],
      ['draft', 6],
      ['closed', 4],
    ]);
    let postedAt: Date | null = null;
    let closedAt: Date | null = null;
    let createdAt: Date;
    let updatedAt: Date;
    let validThrough: Date;
    if (status === 'draft') {
      createdAt = new Date(now - rng.next() * 20 * DAY);
      updatedAt = new Date(Math.min(now, createdAt.getTime() + rng.next() * 3 * DAY));
      validThrough = new Date(createdAt.getTime() + rng.int(30, 90) * DAY);
    } else {
      const expired = status === 'published' && rng.chance(0.03);
      let ageMs: number;
      let validMs: number;
      if (expired) {
        // A few published postings whose valid-through has already passed, for the expiry sweep.
        ageMs = (rng.int(35, 59) + rng.next()) * DAY;
        validMs = Math.min(ageMs - HOUR, (30 + rng.next() * (ageMs / DAY - 31)) * DAY);
      } else {
        ageMs = 60 * DAY * rng.next() ** 1.4;
        if (status === 'closed') ageMs = Math.max(ageMs, (7 + rng.next() * 20) * DAY);
        // 30–90 days after posting, and still in the future.
        validMs = rng.int(Math.max(30, Math.ceil(ageMs / DAY) + 2), 90) * DAY;
      }
      const posted = now - ageMs;
      postedAt = new Date(posted);
      createdAt = new Date(posted - rng.next() * 72 * HOUR);
      validThrough = new Date(posted + validMs);
      if (status === 'closed') {
        closedAt = new Date(posted + (3 * DAY + rng.next() * Math.max(0, ageMs - 3 * DAY - HOUR)));
        updatedAt = closedAt;
      } else {
        updatedAt = new Date(Math.min(now, posted + rng.next() * Math.min(ageMs, 5 * DAY)));
      }
    }

    const id = newId();
    const slug = uniqueSlug(rng, slugBase(title, city.city, city.state), used);
    const searchExtra = computeSearchExtra(codes, org.name, role);
    const creators = org.creatorIds ?? [];

    out.jobs.push({
      id,
      orgId: org.id,
      slug,
      title,
      role,
      programType,
      setting,
      schedule,
      track,
      employmentType,
      payMin: pay.payMin,
      payMax: pay.payMax,
      payPeriod: pay.payPeriod,
      city: city.city,
      state: city.state,
      zip: city.zip,
      lat: city.lat,
      lng: city.lng,
      descriptionMd: description.md,
      // What the job service stores on save for this Markdown, written with it (see generateDescription).
      descriptionHtml: description.html,
      populations,
      supervisionOffered,
      status,
      validThrough,
      postedAt,
      closedAt,
      expiredAt: null,
      searchExtra,
      createdBy: creators.length > 0 ? rng.pick(creators) : null,
      createdAt,
      updatedAt,
    });
    for (const code of codes) out.jobCredentials.push({ jobId: id, credentialCode: code });
    out.screeningQuestions.push(...screening(rng, spec, id));
  }
  return out;
}
