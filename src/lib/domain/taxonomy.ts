import { optionValues } from '#lib/shared/options';

/**
 * The domain vocabulary shared by the schema, the seed, search and content:
 * job roles, the credential taxonomy, program types, settings, schedules.
 * Pure data; no I/O. Codes here are the values stored in the database and
 * used in URLs and the public JSON contract.
 */

export const ROLES = [
  { slug: 'therapist', name: 'Therapist / Primary Clinician', family: 'clinician' },
  { slug: 'group-therapist', name: 'Group Therapist', family: 'clinician' },
  { slug: 'family-therapist', name: 'Family Therapist', family: 'clinician' },
  { slug: 'registered-nurse', name: 'Registered Nurse', family: 'nursing' },
  { slug: 'case-manager', name: 'Case Manager', family: 'case-management' },
  { slug: 'program-director', name: 'Program Director / Clinical Director', family: 'leadership' },
  { slug: 'psychiatric-prescriber', name: 'Psychiatrist / Psychiatric Nurse Practitioner', family: 'prescriber' },
  { slug: 'peer-support-specialist', name: 'Peer Support Specialist', family: 'peer' },
  { slug: 'substance-use-counselor', name: 'Substance Use Counselor', family: 'clinician' },
  { slug: 'intake-coordinator', name: 'Intake Coordinator', family: 'case-management' },
  { slug: 'mental-health-technician', name: 'Mental Health Technician', family: 'peer' },
] as const;
export type RoleSlug = (typeof ROLES)[number]['slug'];
export const ROLE_SLUGS = ROLES.map((r) => r.slug) as [RoleSlug, ...RoleSlug[]];

/**
 * The four closed lists a posting is described by, each value with the label it shows as.
 * The values are the labels' keys (see `optionValues`), so a value cannot exist without
 * its label. Which program track the role serves is separate: many IOPs run a day and an
 * evening track.
 */
export const PROGRAM_LABELS = { PHP: 'Partial hospitalization (PHP)', IOP: 'Intensive outpatient (IOP)', PHP_IOP: 'PHP and IOP' } as const;
export const SETTING_LABELS = { onsite: 'On-site', hybrid: 'Hybrid', telehealth: 'Telehealth' } as const;
export const SCHEDULE_LABELS = { days: 'Weekday days', evenings: 'Evenings', weekends: 'Weekends', flexible: 'Flexible' } as const;
export const EMPLOYMENT_LABELS = { full_time: 'Full-time', part_time: 'Part-time', per_diem: 'Per diem', contract: 'Contract' } as const;

export const PROGRAM_TYPES = optionValues(PROGRAM_LABELS);
export const SETTINGS = optionValues(SETTING_LABELS);
export const SCHEDULES = optionValues(SCHEDULE_LABELS);
export const EMPLOYMENT_TYPES = optionValues(EMPLOYMENT_LABELS);
export const TRACKS = ['day', 'evening'] as const;

export type ProgramType = (typeof PROGRAM_TYPES)[number];
export type Setting = (typeof SETTINGS)[number];
export type Schedule = (typeof SCHEDULES)[number];
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];
export type Track = (typeof TRACKS)[number];

export const PAY_PERIODS = ['hour', 'year'] as const;

export const POPULATION_LABELS = {
  adults: 'Adults',
  adolescents: 'Adolescents',
  children: 'Children',
  'older-adults': 'Older adults',
  'co-occurring': 'Co-occurring SUD and mental health',
  'eating-disorders': 'Eating disorders',
  veterans: 'Veterans',
  lgbtq: 'LGBTQ+',
  perinatal: 'Perinatal',
  'first-episode-psychosis': 'First-episode psychosis',
} as const;
export const POPULATIONS = optionValues(POPULATION_LABELS);
export type Population = (typeof POPULATIONS)[number];

/** Where a posting and an application stand, and what a member of an organization may do: stored codes, labelled where they are shown. */
export const JOB_STATUSES = ['draft', 'published', 'closed'] as const;
export const APPLICATION_STAGES = ['applied', 'screening', 'interview', 'offer', 'hired', 'rejected', 'withdrawn'] as const;
export const MEMBER_ROLES = ['admin', 'hiring_manager', 'recruiter'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type ApplicationStage = (typeof APPLICATION_STAGES)[number];
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * Interstate compacts that let a license from one state count in another.
 * nlc: Nurse Licensure Compact (RN and LPN multistate licenses).
 * counseling: Counseling Compact privilege to practice (independent-level counselors).
 * psypact: PSYPACT, telepsychology only.
 */
export const COMPACTS = ['nlc', 'counseling', 'psypact'] as const;
export type Compact = (typeof COMPACTS)[number];

export const CREDENTIAL_CLASS_LABELS = {
  'social-work': 'Social work',
  'professional-counselor': 'Professional counselor',
  'marriage-family-therapist': 'Marriage and family therapist',
  psychologist: 'Psychologist',
  'registered-nurse': 'Registered nurse',
  'practical-nurse': 'Practical / vocational nurse',
  'nurse-practitioner': 'Nurse practitioner',
  physician: 'Physician',
  'addiction-counselor': 'Addiction counselor',
  'psychiatric-rehabilitation': 'Psychiatric rehabilitation',
  'peer-specialist': 'Peer specialist',
} as const;
export const CREDENTIAL_CLASSES = optionValues(CREDENTIAL_CLASS_LABELS);
export type CredentialClass = (typeof CREDENTIAL_CLASSES)[number];

/** associate < independent; certifications that have no ladder are 'na'. */
export const TIERS = ['associate', 'independent', 'na'] as const;
export type Tier = (typeof TIERS)[number];

export interface CredentialDef {
  code: string;
  slug: string;
  name: string;
  kind: 'license' | 'certification';
  class: CredentialClass;
  tier: Tier;
  compact: Compact | null;
  /** 'state': valid only in the issuing state; 'national': valid wherever the employer accepts it. */
  scope: 'state' | 'national';
  /** Other words people search with: full names and state title variants. */
  aliases: string[];
}

export const CREDENTIALS: readonly CredentialDef[] = [
  {
    code: 'LCSW',
    slug: 'lcsw',
    name: 'Licensed Clinical Social Worker',
    kind: 'license',
    class: 'social-work',
    tier: 'independent',
    compact: null,
    scope: 'state',
    aliases: ['clinical social worker'],
  },
  {
    code: 'LICSW',
    slug: 'licsw',
    name: 'Licensed Independent Clinical Social Worker',
    kind: 'license',
    class: 'social-work',
    tier: 'independent',
    compact: null,
    scope: 'state',
    aliases: ['independent clinical social worker'],
  },
  {
    code: 'LMSW',
    slug: 'lmsw',
    name: 'Licensed Master Social Worker',
    kind: 'license',
    class: 'social-work',
    tier: 'associate',
    compact: null,
    scope: 'state',
    aliases: ['master social worker'],
  },
  {
    code: 'LPC',
    slug: 'lpc',
    name: 'Licensed Professional Counselor',
    kind: 'license',
    class: 'professional-counselor',
    tier: 'independent',
    compact: 'counseling',
    scope: 'state',
    aliases: ['professional counselor'],
  },
  {
    code: 'LMHC',
    slug: 'lmhc',
    name: 'Licensed Mental Health Counselor',
    kind: 'license',
    class: 'professional-counselor',
    tier: 'independent',
    compact: 'counseling',
    scope: 'state',
    aliases: ['mental health counselor'],
  },
  {
    code: 'LPCC',
    slug: 'lpcc',
    name: 'Licensed Professional Clinical Counselor',
    kind: 'license',
    class: 'professional-counselor',
    tier: 'independent',
    compact: 'counseling',
    scope: 'state',
    aliases: ['professional clinical counselor'],
  },
  {
    code: 'LCPC',
    slug: 'lcpc',
    name: 'Licensed Clinical Professional Counselor',
    kind: 'license',
    class: 'professional-counselor',
    tier: 'independent',
    compact: 'counseling',
    scope: 'state',
    aliases: ['clinical professional counselor'],
  },
  {
    code: 'LCMHC',
    slug: 'lcmhc',
    name: 'Licensed Clinical Mental Health Counselor',
    kind: 'license',
    class: 'professional-counselor',
    tier: 'independent',
    compact: 'counseling',
    scope: 'state',
    aliases: ['clinical mental health counselor'],
  },
  {
    code: 'LAPC',
    slug: 'lapc',
    name: 'Licensed Associate Professional Counselor',
    kind: 'license',
    class: 'professional-counselor',
    tier: 'associate',
    compact: null,
    scope: 'state',
    aliases: ['associate professional counselor', 'LPC-A', 'LPC associate'],
  },
  {
    code: 'LMFT',
    slug: 'lmft',
    name: 'Licensed Marriage and Family Therapist',
    kind: 'license',
    class: 'marriage-family-therapist',
    tier: 'independent',
    compact: null,
    scope: 'state',
    aliases: ['marriage and family therapist', 'MFT'],
  },
  {
    code: 'AMFT',
    slug: 'amft',
    name: 'Associate Marriage and Family Therapist',
    kind: 'license',
    class: 'marriage-family-therapist',
    tier: 'associate',
    compact: null,
    scope: 'state',
    aliases: ['associate marriage and family therapist'],
  },
  {
    code: 'LP',
    slug: 'lp',
    name: 'Licensed Psychologist',
    kind: 'license',
    class: 'psychologist',
    tier: 'independent',
    compact: 'psypact',
    scope: 'state',
    aliases: ['psychologist', 'PsyD', 'PhD psychologist'],
  },
  {
    code: 'RN',
    slug: 'rn',
    name: 'Registered Nurse',
    kind: 'license',
    class: 'registered-nurse',
    tier: 'independent',
    compact: 'nlc',
    scope: 'state',
    aliases: ['registered nurse', 'psychiatric nurse'],
  },
  {
    code: 'LPN',
    slug: 'lpn',
    name: 'Licensed Practical Nurse',
    kind: 'license',
    class: 'practical-nurse',
    tier: 'independent',
    compact: 'nlc',
    scope: 'state',
    aliases: ['practical nurse', 'LVN', 'licensed vocational nurse'],
  },
  {
    code: 'PMHNP',
    slug: 'pmhnp',
    name: 'Psychiatric-Mental Health Nurse Practitioner',
    kind: 'license',
    class: 'nurse-practitioner',
    tier: 'independent',
    compact: null,
    scope: 'state',
    aliases: ['psychiatric nurse practitioner', 'psych NP', 'PMHNP-BC'],
  },
  {
    code: 'MD',
    slug: 'md',
    name: 'Physician (MD or DO), psychiatry',
    kind: 'license',
    class: 'physician',
    tier: 'independent',
    compact: null,
    scope: 'state',
    aliases: ['psychiatrist', 'physician', 'DO'],
  },
  {
    code: 'CADC',
    slug: 'cadc',
    name: 'Certified Alcohol and Drug Counselor',
    kind: 'certification',
    class: 'addiction-counselor',
    tier: 'associate',
    compact: null,
    scope: 'state',
    aliases: ['alcohol and drug counselor', 'addiction counselor', 'CAC', 'CSAC'],
  },
  {
    code: 'LCADC',
    slug: 'lcadc',
    name: 'Licensed Clinical Alcohol and Drug Counselor',
    kind: 'license',
    class: 'addiction-counselor',
    tier: 'independent',
    compact: null,
    scope: 'state',
    aliases: ['clinical alcohol and drug counselor', 'LADC', 'LCDC'],
  },
  {
    code: 'CASAC',
    slug: 'casac',
    name: 'Credentialed Alcoholism and Substance Abuse Counselor',
    kind: 'certification',
    class: 'addiction-counselor',
    tier: 'associate',
    compact: null,
    scope: 'state',
    aliases: ['alcoholism and substance abuse counselor'],
  },
  {
    code: 'CPRP',
    slug: 'cprp',
    name: 'Certified Psychiatric Rehabilitation Practitioner',
    kind: 'certification',
    class: 'psychiatric-rehabilitation',
    tier: 'na',
    compact: null,
    scope: 'national',
    aliases: ['psychiatric rehabilitation practitioner'],
  },
  {
    code: 'CPS',
    slug: 'cps',
    name: 'Certified Peer Specialist',
    kind: 'certification',
    class: 'peer-specialist',
    tier: 'na',
    compact: null,
    scope: 'state',
    aliases: ['peer specialist', 'certified peer support specialist', 'CPSS', 'peer recovery specialist'],
  },
] as const;

export const CREDENTIAL_CODES = CREDENTIALS.map((c) => c.code);
const byCode = new Map(CREDENTIALS.map((c) => [c.code, c]));
export function credentialByCode(code: string): CredentialDef | undefined {
  return byCode.get(code);
}
export function roleBySlug(slug: string) {
  return ROLES.find((r) => r.slug === slug);
}

/** Which credentials a posting for each role typically accepts (the seed and the role guides use this). */
export const ROLE_CREDENTIALS: Record<RoleSlug, string[]> = {
  therapist: ['LCSW', 'LICSW', 'LMSW', 'LPC', 'LMHC', 'LPCC', 'LCPC', 'LCMHC', 'LAPC', 'LMFT', 'AMFT'],
  'group-therapist': ['LCSW', 'LMSW', 'LPC', 'LMHC', 'LPCC', 'LCPC', 'LCMHC', 'LAPC', 'LMFT'],
  'family-therapist': ['LMFT', 'AMFT', 'LCSW', 'LPC', 'LMHC'],
  'registered-nurse': ['RN'],
  'case-manager': ['LMSW', 'LCSW', 'LAPC', 'CPRP', 'CADC'],
  'program-director': ['LCSW', 'LICSW', 'LPC', 'LMHC', 'LCPC', 'LMFT', 'LP', 'RN'],
  'psychiatric-prescriber': ['MD', 'PMHNP'],
  'peer-support-specialist': ['CPS', 'CPRP'],
  'substance-use-counselor': ['CADC', 'LCADC', 'CASAC', 'LPC', 'LCSW'],
  'intake-coordinator': ['LMSW', 'LCSW', 'LPC', 'RN', 'LPN'],
  'mental-health-technician': ['CPS', 'CPRP', 'LPN'],
};

export const US_STATES: Record<string, string> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
};
export const STATE_CODES = Object.keys(US_STATES) as [string, ...string[]];
