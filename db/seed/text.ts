/**
 * Posting titles and Markdown descriptions for seeded jobs, written the way a
 * PHP/IOP program's hiring team would write them. Everything is assembled from
 * many small sentence variants chosen by the seeded PRNG, so a large seed run
 * does not repeat itself, and every fact in the text agrees with the row's
 * structured fields (program, track, schedule, setting, pay, credentials).
 * Plain Markdown only: headings, paragraphs, bullet lists, bold; no HTML.
 */
import { credentialByCode, US_STATES } from '#lib/domain/taxonomy';
import type { EmploymentType, Population, ProgramType, RoleSlug, Schedule, Setting, Track } from '#lib/domain/taxonomy';
import type { Rng } from './random';
import { COMPACT_STATES } from '#lib/licensure/compacts';

export type PrescriberKind = 'psychiatrist' | 'pmhnp' | 'either';

/** Everything the text needs to know about one posting. */
export interface PostingSpec {
  role: RoleSlug;
  programType: ProgramType;
  track: Track;
  setting: Setting;
  schedule: Schedule;
  employmentType: EmploymentType;
  populations: Population[];
  /** Credential codes the posting accepts (already state-appropriate). */
  credentials: string[];
  supervisionOffered: boolean;
  prescriberKind: PrescriberKind | null;
  orgName: string;
  city: string;
  state: string;
  payMin: number;
  payMax: number;
  payPeriod: 'hour' | 'year';
  /** IOP days per week (3–5); PHP always runs 5. */
  iopDays: number;
  /** PHP programming hours per day (5–6). */
  phpHours: number;
  /** Bilingual (Spanish) preferred. */
  bilingual: boolean;
  signOnBonus: number | null;
}

// ---------------------------------------------------------------- helpers

type Pick = (rng: Rng) => string;

function fill(rng: Rng, variants: readonly (string | Pick)[]): string {
  const v = rng.pick(variants);
  return typeof v === 'string' ? v : v(rng);
}

function listJoin(items: readonly string[], conj = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length === 2) return `${items[0]} ${conj} ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, ${conj} ${items[items.length - 1]}`;
}

/** 1234567 -> "1,234,567" (toLocaleString is slow in a 100k-posting loop). */
export function commas(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function money(n: number, period: 'hour' | 'year'): string {
  return period === 'hour' ? `$${n}` : `$${commas(n)}`;
}

const TIMEZONE: Record<string, string> = {};
for (const s of ['CT', 'DE', 'DC', 'FL', 'GA', 'IN', 'KY', 'ME', 'MD', 'MA', 'MI', 'NH', 'NJ', 'NY', 'NC', 'OH', 'PA', 'RI', 'SC', 'VT', 'VA', 'WV'])
  TIMEZONE[s] = 'Eastern';
for (const s of ['AL', 'AR', 'IL', 'IA', 'KS', 'LA', 'MN', 'MS', 'MO', 'NE', 'ND', 'OK', 'SD', 'TN', 'TX', 'WI']) TIMEZONE[s] = 'Central';
for (const s of ['AZ', 'CO', 'ID', 'MT', 'NM', 'UT', 'WY']) TIMEZONE[s] = 'Mountain';
for (const s of ['CA', 'NV', 'OR', 'WA']) TIMEZONE[s] = 'Pacific';
TIMEZONE.AK = 'Alaska';
TIMEZONE.HI = 'Hawaii';

/** Nurse Licensure Compact states: the reviewed list the eligibility rule uses, never a copy. */
export const NLC_STATES: ReadonlySet<string> = COMPACT_STATES.nlc;

const AGE_GROUPS: readonly Population[] = ['adults', 'adolescents', 'children', 'older-adults'];

function ageAdjective(pops: readonly Population[]): string {
  const has = (p: Population) => pops.includes(p);
  if (has('children') && has('adolescents')) return 'Child & Adolescent';
  if (has('adults') && has('older-adults')) return 'Adult';
  if (has('adolescents') && has('adults')) return 'Adolescent & Young Adult';
  if (has('adolescents')) return 'Adolescent';
  if (has('children')) return 'Child';
  if (has('older-adults')) return 'Older Adult';
  return 'Adult';
}

/** The population part of a title: "Adolescent", "Adult Dual Diagnosis", "Perinatal"... */
function titlePopulation(rng: Rng, pops: readonly Population[]): string {
  const age = ageAdjective(pops);
  const special = pops.find((p) => !AGE_GROUPS.includes(p));
  switch (special) {
    case 'eating-disorders':
      return rng.pick([`${age} Eating Disorders`, `${age} Eating Disorder`, 'Eating Disorders']);
    case 'co-occurring':
      return rng.pick([`${age} Dual Diagnosis`, `${age} Co-Occurring`, `${age} Co-Occurring Disorders`]);
    case 'veterans':
      return rng.pick(['Veterans', 'Military & Veterans', `${age} Veterans`]);
    case 'lgbtq':
      return rng.pick([`LGBTQ+ Affirming ${age}`, `${age} LGBTQ+`]);
    case 'perinatal':
      return rng.pick(['Perinatal', 'Maternal Mental Health', 'Perinatal & Postpartum']);
    case 'first-episode-psychosis':
      return rng.pick(['Early Psychosis', 'First-Episode Psychosis']);
    default:
      return age === 'Older Adult' ? rng.pick(['Older Adult', 'Older Adult', 'Geriatric']) : age;
  }
}

function programShort(p: ProgramType): string {
  return p === 'PHP' ? 'PHP' : p === 'IOP' ? 'IOP' : 'PHP/IOP';
}

function programTitle(rng: Rng, s: PostingSpec): string {
  if (s.programType === 'PHP')
    return rng.weighted([
      ['PHP', 5],
      ['Partial Hospitalization', 4],
      ['Partial Hospitalization Program', 1],
    ]);
  if (s.programType === 'IOP') {
    const base = rng.weighted([
      ['IOP', 6],
      ['Intensive Outpatient', 3],
      ['Intensive Outpatient Program', 1],
    ]);
    if (s.setting === 'telehealth' && rng.chance(0.4)) return base === 'IOP' ? 'Virtual IOP' : `Virtual ${base}`;
    return base;
  }
  return rng.weighted([
    ['PHP/IOP', 5],
    ['PHP & IOP', 3],
    ['Partial Hospitalization & IOP', 2],
  ]);
}

/** The program, spelled out for prose: "partial hospitalization program (PHP)". */
function programProse(rng: Rng, p: ProgramType): string {
  if (p === 'PHP') return rng.pick(['partial hospitalization program (PHP)', 'partial hospitalization program', 'PHP']);
  if (p === 'IOP') return rng.pick(['intensive outpatient program (IOP)', 'intensive outpatient program', 'IOP']);
  return rng.pick(['partial hospitalization and intensive outpatient programs', 'PHP and IOP programs', 'PHP and IOP levels of care']);
}

function independentCodes(codes: readonly string[]): string[] {
  return codes.filter((c) => credentialByCode(c)?.tier === 'independent');
}
function associateCodes(codes: readonly string[]): string[] {
  return codes.filter((c) => credentialByCode(c)?.tier === 'associate');
}

// ---------------------------------------------------------------- titles

const ROLE_NOUNS: Record<RoleSlug, readonly (readonly [string, number])[]> = {
  therapist: [
    ['Primary Therapist', 6],
    ['Primary Clinician', 3],
    ['Therapist', 3],
    ['Individual & Group Therapist', 2],
    ['Clinical Therapist', 2],
    ['Mental Health Therapist', 1],
  ],
  'group-therapist': [
    ['Group Therapist', 6],
    ['Group Facilitator', 2],
    ['Group Psychotherapist', 1],
    ['DBT Skills Group Therapist', 2],
    ['Group Clinician', 1],
  ],
  'family-therapist': [
    ['Family Therapist', 6],
    ['Family Systems Therapist', 1],
    ['Family & Multi-Family Group Therapist', 1],
    ['Marriage & Family Therapist', 2],
  ],
  'registered-nurse': [
    ['Psychiatric RN', 5],
    ['Registered Nurse', 3],
    ['Behavioral Health RN', 3],
    ['Psychiatric Nurse (RN)', 1],
    ['RN', 1],
  ],
  'case-manager': [
    ['Case Manager', 6],
    ['Care Coordinator', 2],
    ['Case Manager / Discharge Planner', 2],
    ['Clinical Case Manager', 1],
    ['Aftercare Coordinator', 1],
  ],
  'program-director': [
    ['Program Director', 5],
    ['Clinical Director', 4],
    ['Program Manager', 2],
    ['Director of Clinical Services', 1],
    ['Clinical Program Manager', 1],
  ],
  'psychiatric-prescriber': [['Psychiatric Prescriber', 1]], // replaced by prescriberNoun()
  'peer-support-specialist': [
    ['Peer Support Specialist', 5],
    ['Certified Peer Specialist', 3],
    ['Peer Recovery Specialist', 2],
    ['Peer Recovery Coach', 1],
  ],
  'substance-use-counselor': [
    ['Substance Use Counselor', 5],
    ['Addiction Counselor', 3],
    ['Substance Use Disorder Counselor', 2],
    ['Recovery Counselor', 1],
    ['Co-Occurring Counselor', 1],
  ],
  'intake-coordinator': [
    ['Intake Coordinator', 5],
    ['Admissions Coordinator', 2],
    ['Intake Specialist', 2],
    ['Admissions & Intake Coordinator', 1],
  ],
  'mental-health-technician': [
    ['Mental Health Technician', 5],
    ['Behavioral Health Technician', 4],
    ['Milieu Counselor', 1],
    ['Psychiatric Technician', 1],
    ['Mental Health Associate', 1],
  ],
};

function prescriberNoun(rng: Rng, s: PostingSpec): string {
  const youth = s.populations.includes('children') || (s.populations.includes('adolescents') && !s.populations.includes('adults'));
  if (s.prescriberKind === 'psychiatrist') {
    return rng.weighted([
      [youth ? 'Child & Adolescent Psychiatrist' : 'Psychiatrist', 5],
      ['Attending Psychiatrist', 2],
      ['Medical Director (Psychiatrist)', s.programType === 'PHP_IOP' ? 2 : 0.5],
      ['Psychiatrist (MD/DO)', 1],
    ]);
  }
  if (s.prescriberKind === 'pmhnp') {
    return rng.weighted([
      ['PMHNP', 4],
      ['Psychiatric Nurse Practitioner', 3],
      ['Psychiatric Mental Health Nurse Practitioner (PMHNP)', 2],
      ['Psych NP', 1],
    ]);
  }
  return rng.pick(['Psychiatrist or PMHNP', 'Psychiatric Prescriber (MD/DO or PMHNP)', 'Psychiatric Provider (Psychiatrist/PMHNP)']);
}

function roleNoun(rng: Rng, s: PostingSpec): string {
  if (s.role === 'psychiatric-prescriber') return prescriberNoun(rng, s);
  if (s.role === 'therapist' && s.credentials.length > 0 && independentCodes(s.credentials).length === 0) {
    return rng.pick(['Associate Therapist', 'Therapist (License-Eligible)', 'Primary Therapist (Associate License)']);
  }
  if (s.role === 'intake-coordinator' && s.credentials.some((c) => ['LCSW', 'LPC', 'LMSW'].includes(c)) && rng.chance(0.5)) {
    return 'Intake Clinician';
  }
  if (s.role === 'registered-nurse' && s.programType !== 'IOP' && rng.chance(0.08)) return 'Charge Nurse (RN)';
  return rng.weighted(ROLE_NOUNS[s.role]);
}

/** Up to three codes for a title tag, independent licenses first. */
function titleCodes(s: PostingSpec): string[] {
  if (s.role === 'registered-nurse' || s.role === 'psychiatric-prescriber') return [];
  const ordered = [...independentCodes(s.credentials), ...associateCodes(s.credentials), ...s.credentials.filter((c) => credentialByCode(c)?.tier === 'na')];
  return ordered.slice(0, 3);
}

const LEAD_CODE_ROLES: readonly RoleSlug[] = ['therapist', 'group-therapist', 'family-therapist', 'substance-use-counselor', 'program-director'];

const COMPACT_NOUN: Record<RoleSlug, string> = {
  therapist: 'Therapist',
  'group-therapist': 'Group Therapist',
  'family-therapist': 'Family Therapist',
  'registered-nurse': 'Psychiatric RN',
  'case-manager': 'Case Manager',
  'program-director': 'Program Director',
  'psychiatric-prescriber': 'Psychiatrist',
  'peer-support-specialist': 'Peer Specialist',
  'substance-use-counselor': 'Substance Use Counselor',
  'intake-coordinator': 'Intake Coordinator',
  'mental-health-technician': 'Mental Health Technician',
};

/** A short title for when the full forms run long: "PMHNP – Adult Dual Diagnosis IOP (Contract)". */
function compactTitle(rng: Rng, s: PostingSpec): string {
  const noun =
    s.role === 'psychiatric-prescriber'
      ? s.prescriberKind === 'pmhnp'
        ? 'PMHNP'
        : s.prescriberKind === 'either'
          ? 'Psychiatrist or PMHNP'
          : 'Psychiatrist'
      : COMPACT_NOUN[s.role];
  const tag =
    s.employmentType === 'per_diem'
      ? 'Per Diem'
      : s.employmentType === 'part_time'
        ? 'Part-Time'
        : s.employmentType === 'contract'
          ? 'Contract'
          : s.setting === 'telehealth'
            ? 'Remote'
            : '';
  const suffix = tag ? ` (${tag})` : '';
  const full = `${noun} – ${titlePopulation(rng, s.populations)} ${programShort(s.programType)}${suffix}`;
  return full.length <= 80 ? full : `${noun} – ${programShort(s.programType)}${suffix}`;
}

function titleOnce(rng: Rng, s: PostingSpec): string {
  const noun = roleNoun(rng, s);
  let pop = titlePopulation(rng, s.populations);
  // "Child & Adolescent Psychiatrist – Adolescent Eating Disorders IOP" says the age twice.
  if (noun.startsWith('Child & Adolescent')) pop = pop.replace(/^(Child & Adolescent|Adolescent|Child) ?/, '') || 'Youth';
  const prog = programTitle(rng, s);
  const codes = titleCodes(s);
  const evening = s.track === 'evening' && s.programType !== 'PHP';
  // PHP is a day program: in a combined posting only the IOP is "evening".
  const program = !evening || prog.startsWith('Virtual') ? prog : s.programType === 'IOP' ? `Evening ${prog}` : prog.replace(/IOP$/, 'Evening IOP');
  const dash = ' – ';
  const nounHasCode = noun.includes('(') || codes.some((c) => noun.includes(c));

  const format = rng.weighted([
    ['lead-code', codes.length === 1 && !nounHasCode && LEAD_CODE_ROLES.includes(s.role) ? 3 : 0],
    ['noun-dash-pop-prog', 5],
    ['prog-noun-codes', codes.length > 0 && !nounHasCode ? 3 : 0],
    ['noun-comma', 2],
    ['pop-prog-noun', pop.length <= 12 ? 2 : 0],
  ]);
  let title: string;
  switch (format) {
    case 'lead-code':
      title = `${codes[0]} ${noun}${dash}${pop} ${program}`;
      break;
    case 'prog-noun-codes':
      title = `${program} ${noun} (${codes.join('/')})`;
      break;
    case 'noun-comma':
      title = `${noun}, ${pop} ${program}`;
      break;
    case 'pop-prog-noun':
      title = `${pop} ${program} ${noun}`;
      break;
    default:
      title = `${noun}${dash}${pop} ${program}`;
  }
  if (s.bilingual && title.length < 50 && rng.chance(0.7)) title = `Bilingual (Spanish) ${title}`;

  const tags: string[] = [];
  if (s.employmentType === 'per_diem') tags.push(rng.pick(['Per Diem', 'PRN']));
  else if (s.employmentType === 'part_time') tags.push('Part-Time');
  else if (s.employmentType === 'contract') tags.push('Contract');
  if (s.setting === 'telehealth' && !title.includes('Virtual')) tags.push(rng.pick(['Telehealth', 'Remote']));
  else if (s.setting === 'hybrid' && rng.chance(0.25)) tags.push('Hybrid');
  if (tags.length > 0) title += rng.chance(0.6) && !title.endsWith(')') ? ` (${tags.join(', ')})` : `${dash}${tags.join(', ')}`;
  return title;
}

/** The title shown on the posting; the sign-on bonus, when shown, is kept out of the slug by the caller. */
export function generateTitle(rng: Rng, s: PostingSpec): string {
  let title = titleOnce(rng, s);
  // Job boards truncate long titles; reroll a few times, then fall back to the compact form.
  for (let i = 0; i < 3 && title.length > 80; i++) title = titleOnce(rng, s);
  if (title.length > 80) title = compactTitle(rng, s);
  if (s.signOnBonus && title.length <= 56 && rng.chance(0.6)) title += ` – $${commas(s.signOnBonus)} Sign-On Bonus`;
  return title;
}

// ---------------------------------------------------------------- about the program

function roleProse(s: PostingSpec): string {
  switch (s.role) {
    case 'therapist':
      return 'primary therapist';
    case 'group-therapist':
      return 'group therapist';
    case 'family-therapist':
      return 'family therapist';
    case 'registered-nurse':
      return 'psychiatric registered nurse';
    case 'case-manager':
      return 'case manager';
    case 'program-director':
      return 'program director';
    case 'psychiatric-prescriber':
      return s.prescriberKind === 'psychiatrist'
        ? 'psychiatrist'
        : s.prescriberKind === 'pmhnp'
          ? 'psychiatric nurse practitioner'
          : 'psychiatrist or psychiatric nurse practitioner';
    case 'peer-support-specialist':
      return 'peer support specialist';
    case 'substance-use-counselor':
      return 'substance use counselor';
    case 'intake-coordinator':
      return 'intake coordinator';
    case 'mental-health-technician':
      return 'mental health technician';
  }
}

/** "a" or "an", including for acronyms read letter by letter ("an LCSW", "a PMHNP"). */
export function article(word: string): string {
  if (/^[A-Z]{2,}/.test(word)) return /^[AEFHILMNORSX]/.test(word) ? 'an' : 'a';
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function populationProse(pops: readonly Population[]): string {
  const age = ageAdjective(pops).toLowerCase().replace(' & ', ' and ');
  const nouns: Record<string, string> = {
    adult: 'adults',
    adolescent: 'adolescents',
    child: 'children',
    'older adult': 'older adults',
    'child and adolescent': 'children and teens',
    'adolescent and young adult': 'teens and young adults',
  };
  const base = nouns[age] ?? 'adults';
  if (pops.includes('eating-disorders')) return `${base} with eating disorders`;
  if (pops.includes('co-occurring')) return `${base} with co-occurring mental health and substance use conditions`;
  if (pops.includes('veterans')) return 'veterans and service members';
  if (pops.includes('perinatal')) return 'pregnant and postpartum parents';
  if (pops.includes('first-episode-psychosis')) return 'young people early in a psychotic illness';
  if (pops.includes('lgbtq')) return `LGBTQ+ ${base}`;
  return base;
}

function openingSentence(rng: Rng, s: PostingSpec): string {
  const role = roleProse(s);
  const a = article(role);
  const prog = programProse(rng, s.programType);
  const who = populationProse(s.populations);
  const stateName = US_STATES[s.state] ?? s.state;
  return fill(rng, [
    `${s.orgName} is hiring ${a} ${role} for our ${prog} in ${s.city}, ${s.state}.`,
    `Join ${s.orgName}'s ${s.city} team as ${a} ${role} in our ${prog}.`,
    `We're looking for ${a} ${role} to join the ${programShort(s.programType)} team at ${s.orgName} in ${s.city}.`,
    `At ${s.orgName}, our ${s.city} ${programShort(s.programType)} helps ${who} get well without a hospital stay, and we're adding ${a} ${role} to the team.`,
    `${s.orgName} runs outpatient programs for ${who} across ${stateName}, and our ${s.city} ${programShort(s.programType)} needs ${a} ${role}.`,
    `Our ${s.city} ${prog} ${s.programType === 'PHP_IOP' ? 'are' : 'is'} growing, and ${s.orgName} is adding ${a} ${role} who wants to do meaningful work at a higher level of care.`,
    `${s.orgName} is looking for ${a} ${role} who likes a fast-paced, team-based setting to help ${who} in our ${prog}.`,
  ]);
}

const PHP_DAY_HOURS = ['9:00 am to 3:00 pm', '8:30 am to 2:30 pm', '9:00 am to 2:30 pm', '8:30 am to 3:00 pm', '9:30 am to 3:00 pm'];
const IOP_DAY_HOURS = ['9:00 am to 12:00 pm', '9:30 am to 12:30 pm', '10:00 am to 1:00 pm', '1:00 to 4:00 pm'];
/** Evening IOP group hours, with the staff shifts that end when groups do: [groups, 8.5-hour shift, 10-hour shift]. */
const IOP_EVENINGS: readonly (readonly [string, string, string])[] = [
  ['5:30 to 8:30 pm', '12:00 to 8:30 pm', '10:30 am to 8:30 pm'],
  ['6:00 to 9:00 pm', '12:30 to 9:00 pm', '11:00 am to 9:00 pm'],
  ['5:00 to 8:00 pm', '11:30 am to 8:00 pm', '10:00 am to 8:00 pm'],
  ['4:30 to 7:30 pm', '11:00 am to 7:30 pm', '9:30 am to 7:30 pm'],
];

interface Hours {
  php: string;
  iopDay: string;
  iopEvening: string;
  eveningShift: string;
  eveningTenHour: string;
}

function iopDaysProse(n: number): string {
  return n <= 3 ? 'three days a week' : n === 4 ? 'four days a week' : 'five days a week';
}

function programStructure(rng: Rng, s: PostingSpec, hours: Hours): string[] {
  const out: string[] = [];
  const census = rng.int(12, 30);
  const los =
    s.programType === 'PHP'
      ? rng.pick(['two to three weeks', 'about three weeks', 'two to four weeks', '10 to 15 program days'])
      : rng.pick(['six to eight weeks', 'about eight weeks', 'six to ten weeks', '30 to 40 sessions']);
  const php = fill(rng, [
    `Our partial hospitalization program meets five days a week, ${hours.php}, for about ${s.phpHours} hours of treatment a day. It is a step down from inpatient care and, just as often, a way to avoid an admission.`,
    `PHP patients attend ${s.phpHours} hours of structured treatment a day, Monday through Friday (${hours.php}), and go home each evening.`,
    `The PHP runs Monday through Friday from ${hours.php}: process and skills groups, individual sessions, nursing check-ins, and psychiatric follow-up several times a week.`,
    `Patients spend ${s.phpHours} hours a day, five days a week, with us: groups, individual therapy, medication management, and family work, all under one roof.`,
  ]);
  const iopTrack =
    s.track === 'evening'
      ? fill(rng, [
          `in an evening track (${hours.iopEvening}) built for people who work or go to school`,
          `in the evening, ${hours.iopEvening}, so patients can keep their jobs and classes`,
          `with an evening track from ${hours.iopEvening}`,
        ])
      : fill(rng, [
          `in a day track (${hours.iopDay})`,
          `during the day, ${hours.iopDay}`,
          `with a day track from ${hours.iopDay} and a separate evening track`,
        ]);
  const iop = fill(rng, [
    `Our IOP meets three hours a day, ${iopDaysProse(s.iopDays)}, ${iopTrack}.`,
    `The intensive outpatient program is three hours a day, ${iopDaysProse(s.iopDays)}, ${iopTrack}, and most patients step down to weekly therapy after ${los}.`,
    `IOP patients attend three-hour sessions ${iopDaysProse(s.iopDays)} ${iopTrack}; each session includes group therapy and skills practice, with individual and family sessions scheduled around it.`,
  ]);
  if (s.programType === 'PHP') {
    out.push(php);
    if (rng.chance(0.3))
      out.push(
        fill(rng, [
          `Census runs around ${census} patients, and the average length of stay is ${los}.`,
          `We keep census near ${census}, with an average stay of ${los}, so you get to know your patients.`,
          `Most patients come to us from inpatient units, emergency departments, or outpatient providers who see that weekly therapy isn't enough; typical stays are ${los}.`,
        ]),
      );
  } else if (s.programType === 'IOP') {
    out.push(iop);
    if (rng.chance(0.3))
      out.push(
        fill(rng, [
          `Groups are capped at ${rng.int(8, 12)} participants, and the average stay is ${los}.`,
          `Patients come to us stepping down from PHP or inpatient care, or are referred by outpatient therapists when weekly sessions aren't enough.`,
          `We admit on a rolling basis, usually within ${rng.int(2, 5)} days of referral, and keep groups to ${rng.int(8, 12)} people.`,
        ]),
      );
  } else {
    out.push(
      fill(rng, [
        `We run a full-day PHP (${s.phpHours} hours a day, five days a week) and a three-hour IOP ${s.track === 'evening' ? `in the evenings (${hours.iopEvening})` : `(${hours.iopDay})`}, so patients can step down without changing teams.`,
        `Patients start in our PHP (${hours.php}, Monday through Friday) and step down to IOP, three hours a day ${iopDaysProse(s.iopDays)}${s.track === 'evening' ? `, in the evening from ${hours.iopEvening}` : ''}, with the same treatment team throughout.`,
        `Our continuum covers partial hospitalization (${s.phpHours} hours a day) and intensive outpatient (three hours a day, ${iopDaysProse(s.iopDays)}), with combined census of about ${census + rng.int(10, 25)}.`,
      ]),
    );
  }
  return out;
}

const POPULATION_SENTENCES: Record<Population, readonly string[]> = {
  adults: [
    'We treat adults 18 and older living with depression, anxiety, bipolar disorder, PTSD, and other serious mental illness.',
    'Our adult patients are working through depression, anxiety, trauma, and mood disorders, often after a recent crisis or hospitalization.',
    'Most of our adult patients are employed or in school and need more support than weekly therapy for a few weeks.',
  ],
  adolescents: [
    'Our adolescent track serves teens ages 13 to 17, and school coordination and weekly family sessions are built into the schedule.',
    'We work with adolescents ages 12 to 18 managing self-harm, depression, anxiety, and school avoidance.',
    'Teens in our program keep up with school through coordination with their home schools, and caregivers take part every week.',
  ],
  children: [
    'Our child program serves kids ages 6 to 12 and their caregivers, using play-based and behavioral interventions and parent coaching.',
    'We treat children ages 5 to 12 with emotional and behavioral challenges, and caregivers join treatment several times a week.',
  ],
  'older-adults': [
    'Our older adult program serves patients 55 and older with late-life depression, anxiety, grief, and mood symptoms that often come with medical conditions.',
    'We work with older adults facing depression, isolation, grief, and early cognitive changes, in close partnership with their primary care providers.',
  ],
  'co-occurring': [
    'Many of our patients have co-occurring substance use and mental health conditions, and we treat both in one integrated plan, including coordination with MAT providers.',
    'We run an integrated dual-diagnosis track: mental health and substance use are treated together, by the same team, on the same day.',
    'Our co-occurring track welcomes patients on medications for opioid or alcohol use disorder, and recovery support is part of every day.',
  ],
  'eating-disorders': [
    'Our eating disorder program treats anorexia, bulimia, binge eating disorder, and ARFID with supported meals and snacks, dietitian sessions, and exposure-based work.',
    'Eating disorder care here includes supported meals, nutrition groups with our registered dietitians, body image work, and family-based treatment for younger patients.',
  ],
  veterans: [
    'We serve veterans, service members, and their families, and our staff are trained in military culture, moral injury, and combat and military sexual trauma.',
    'Our veterans track is built around military culture, with trauma-focused care and close coordination with VA and community providers.',
  ],
  lgbtq: [
    'We run an LGBTQ+ affirming track where every clinician is trained in minority stress and gender-affirming care.',
    'Our program is intentionally LGBTQ+ affirming, from chosen names in the chart to groups led by clinicians trained in gender-affirming care.',
  ],
  perinatal: [
    'Our perinatal program supports pregnant and postpartum parents with depression, anxiety, and birth trauma, and babies under one year are welcome in the room.',
    'We treat perinatal mood and anxiety disorders in parents from pregnancy through the first year after birth, in partnership with OB and pediatric providers.',
  ],
  'first-episode-psychosis': [
    'Our early psychosis track serves young people ages 15 to 30 in the first years of a psychotic illness, using a coordinated specialty care model.',
    'We treat first-episode psychosis with CBT for psychosis, family psychoeducation, supported employment and education, and careful medication management.',
  ],
};

function modelSentence(rng: Rng, s: PostingSpec): string {
  const mods = rng.sample(
    [
      'DBT',
      'CBT',
      'ACT',
      'motivational interviewing',
      'trauma-focused CBT',
      'CPT',
      'exposure and response prevention',
      'mindfulness-based approaches',
      'solution-focused therapy',
    ],
    rng.int(3, 4),
  );
  if (s.populations.includes('eating-disorders') && !mods.includes('CBT')) mods[0] = 'CBT-E';
  return fill(rng, [
    `Our clinical model draws on ${listJoin(mods)}, and everyone on staff is trained in trauma-informed care.`,
    `Treatment is evidence-based (${listJoin(mods)}), measurement-based, and planned by the whole team.`,
    `Groups follow a structured curriculum built on ${listJoin(mods)}, and we track outcomes with standardized measures such as the PHQ-9 and GAD-7.`,
    `We use ${listJoin(mods)}, and we invest in training so clinicians can grow their skills here.`,
  ]);
}

function teamSentence(rng: Rng, s: PostingSpec): string {
  const team = ['therapists', 'nurses', rng.pick(['a psychiatrist', 'psychiatric prescribers', 'a psychiatrist and a PMHNP']), 'case managers'];
  if (s.populations.includes('eating-disorders')) team.push('registered dietitians');
  if (s.populations.includes('co-occurring') || rng.chance(0.4)) team.push('peer specialists');
  if (s.programType !== 'IOP' && rng.chance(0.5)) team.push('mental health technicians');
  return fill(rng, [
    `You'll work alongside ${listJoin(team)} who meet every morning to plan the day.`,
    `The team includes ${listJoin(team)}, and people here actually talk to each other.`,
    `You'll be part of a multidisciplinary team of ${listJoin(team)}.`,
  ]);
}

function settingSentence(rng: Rng, s: PostingSpec, licensed: boolean): string {
  const stateName = US_STATES[s.state] ?? s.state;
  if (s.setting === 'onsite') {
    return fill(rng, [
      `This is an on-site position at our ${s.city} location.`,
      `All groups and sessions are in person at our ${s.city} clinic.`,
      `This role is on-site in ${s.city}; our building has dedicated group rooms and free parking.`,
      `The program is in person, in ${s.city}, close to public transit.`,
    ]);
  }
  if (s.setting === 'hybrid') {
    const days = rng.int(1, 2);
    return fill(rng, [
      `This role is hybrid: groups are in person in ${s.city}, and documentation, team meetings, and some individual sessions can be done from home ${days === 1 ? 'one day' : 'two days'} a week.`,
      `Hybrid schedule: on site in ${s.city} for groups, remote for ${days === 1 ? 'one day' : 'two days'} of individual and family sessions by video.`,
      `We run in-person and virtual cohorts, so this position is split between our ${s.city} site and home.`,
    ]);
  }
  const tz = TIMEZONE[s.state] ?? 'local';
  return licensed
    ? fill(rng, [
        `This is a fully remote telehealth position; you'll lead sessions over our HIPAA-compliant video platform and must be licensed in ${stateName}.`,
        `Fully remote: all programming is delivered by secure video to patients across ${stateName}, during ${tz} time program hours. A ${stateName} license is required.`,
        `Our virtual program serves patients statewide, so you can work from anywhere in ${stateName} with a private, quiet space and reliable internet.`,
      ])
    : fill(rng, [
        `This is a fully remote position serving patients across ${stateName}; you'll need a private workspace and reliable internet.`,
        `Remote role on ${tz} time, supporting our virtual program from home. We ship you a laptop and headset.`,
      ]);
}

// ---------------------------------------------------------------- duties

type Duty = string | ((rng: Rng, s: PostingSpec) => string | null);

const DUTIES: Record<RoleSlug, readonly Duty[]> = {
  therapist: [
    (rng, s) =>
      s.programType === 'IOP'
        ? `Carry a caseload of ${rng.int(10, 16)} IOP patients and meet with each individually every week`
        : `Carry a caseload of ${rng.int(6, 10)} PHP patients and see each of them individually at least ${rng.pick(['twice a week', 'weekly', 'two to three times a week'])}`,
    (rng) =>
      `Lead ${rng.pick(['two', 'two to three', 'one or two'])} process and skills groups a day using ${rng.pick(['DBT and CBT', 'CBT and ACT', 'DBT, CBT, and ACT', 'DBT skills'])}`,
    'Complete biopsychosocial assessments, diagnoses, and individualized treatment plans within 48 hours of admission',
    'Screen for suicide risk with the C-SSRS and write safety plans with patients and their families',
    'Hold family sessions and coordinate with schools, outpatient providers, and referral sources',
    "Plan discharge from day one and set up aftercare appointments before a patient's last day",
    'Document groups and individual sessions in the EHR within 24 hours',
    'Respond to crises during program hours using de-escalation and safety planning',
    'Present patients at daily treatment team and weekly case review with the psychiatrist',
    'Use measurement-based care (PHQ-9, GAD-7, and others) to track progress and adjust treatment plans',
    'Give clinical updates for utilization review so patients keep their authorized days',
    (_rng, s) => (s.populations.includes('eating-disorders') ? 'Support patients through meals and snacks and coordinate closely with the dietitian' : null),
    (_rng, s) => (s.populations.includes('adolescents') ? 'Work with school counselors on return-to-school plans and accommodations' : null),
  ],
  'group-therapist': [
    (rng) =>
      `Lead ${rng.pick(['three to four', 'three', 'up to four'])} groups per shift: DBT skills, CBT, relapse prevention, psychoeducation, and process groups`,
    'Follow a structured curriculum while adapting it to who is in the room that day',
    'Write a group progress note for every participant the same day',
    'Notice changes in risk or symptoms and flag them to the primary therapist and nursing',
    (rng) => `Co-facilitate the multi-family group ${rng.pick(['once a week', 'twice a month', 'every Thursday evening'])}`,
    'Help keep the group curriculum, handouts, and worksheets current',
    'Welcome new patients to group and orient them to group norms',
    'Cover individual check-ins and crisis assessments when the primary therapist is out',
    'Take part in treatment team and share what you see in group',
    (_rng, s) => (s.populations.includes('co-occurring') ? 'Run relapse prevention and seeking-safety groups for patients in early recovery' : null),
  ],
  'family-therapist': [
    'Hold weekly family sessions for every patient on your caseload, in person or by video',
    (rng) => `Lead the ${rng.pick(['weekly multi-family group', 'Tuesday evening multi-family group', 'caregiver skills group'])}`,
    'Assess family systems and build family goals into each treatment plan',
    'Coach caregivers on validation, limit-setting, and safety at home, including means restriction',
    'Coordinate with schools, pediatricians, and outpatient therapists',
    'Support families through discharge and step-down planning',
    'Document family sessions and collateral contacts in the EHR',
    (_rng, s) => (s.populations.includes('eating-disorders') ? 'Deliver family-based treatment (FBT) and coach parents through supported meals' : null),
    'Teach caregivers DBT family skills and how to respond in a crisis',
  ],
  'registered-nurse': [
    'Complete nursing assessments on admission and daily check-ins covering vitals, sleep, appetite, and side effects',
    'Administer and monitor medications, including long-acting injectables, under provider orders',
    (rng) => `Lead medication education and wellness groups ${rng.pick(['two to three times a week', 'twice a week', 'daily'])}`,
    'Assess suicide and safety risk and escalate to the treatment team',
    'Coordinate labs, pharmacy, and prior authorizations with the psychiatric prescriber',
    (_rng, s) => (s.populations.includes('co-occurring') ? 'Monitor withdrawal symptoms using COWS and CIWA and coordinate with MAT providers' : null),
    (_rng, s) => (s.populations.includes('eating-disorders') ? 'Track weights, orthostatic vitals, and labs for medical stability' : null),
    'Take part in morning treatment team and keep nursing documentation current in the EHR',
    'Respond to medical and behavioral emergencies and keep emergency equipment checked',
    'Teach patients and families about diagnoses, medications, and relapse warning signs',
  ],
  'case-manager': [
    'Connect patients with housing, benefits, transportation, food resources, and vocational support',
    'Schedule aftercare appointments with therapists and prescribers before discharge',
    'Coordinate with primary care, outpatient providers, schools, and employers (with consent)',
    'Help patients with FMLA paperwork, short-term disability, and return-to-work letters',
    (rng) => `Lead a ${rng.pick(['weekly life skills group', 'discharge-planning group', 'resource and wellness group'])}`,
    'Call patients after discharge to check that aftercare is in place',
    'Track referrals and outcomes in the EHR',
    'Work with utilization review on authorizations and continued-stay reviews',
    'Advocate for patients with community agencies and payers',
  ],
  'program-director': [
    (_rng, s) => `Oversee daily operations of the ${programShort(s.programType)}, including staffing, census, and clinical quality`,
    (rng) => `Supervise and coach a team of ${rng.int(8, 22)} therapists, nurses, and support staff`,
    'Provide clinical supervision and lead weekly case consultation',
    (rng) => `Keep the program survey-ready for ${rng.pick(['The Joint Commission', 'CARF', 'The Joint Commission and state licensing'])}`,
    'Build referral relationships with inpatient units, emergency departments, schools, and outpatient practices',
    'Own the program budget and track outcomes such as length of stay, readmissions, and patient satisfaction',
    'Hire, onboard, and train new staff',
    'Audit charts for documentation quality and medical necessity',
    'Partner with utilization review and billing to keep authorizations current',
    'Cover clinical duties and crisis response when the team is short',
  ],
  'psychiatric-prescriber': [
    (rng) => `Complete psychiatric evaluations for new admissions within ${rng.pick(['24', '48', '72'])} hours`,
    (_rng, s) =>
      s.programType === 'IOP' ? 'See IOP patients weekly for medication management' : 'See PHP patients two to three times a week for medication management',
    'Lead or attend daily treatment team and provide medical leadership',
    'Coordinate with primary care and outpatient prescribers at discharge',
    (_rng, s) =>
      s.populations.includes('co-occurring')
        ? 'Start and manage buprenorphine and other medications for substance use disorders'
        : 'Manage long-acting injectables and clozapine monitoring when needed',
    'Review labs, EKGs, and medical stability',
    'Consult with therapists and nurses on complex cases',
    'Document and e-prescribe in the EHR',
    (_rng, s) => (s.prescriberKind === 'pmhnp' ? 'Collaborate with the medical director under our practice agreement' : null),
  ],
  'peer-support-specialist': [
    'Share your recovery story with purpose to build hope and connection',
    (rng) => `Co-lead ${rng.pick(['WRAP and recovery groups', 'peer support and recovery groups', 'recovery and wellness groups'])}`,
    'Meet one-on-one with patients to set and review recovery goals',
    'Connect patients with community supports: mutual-help meetings (AA, NA, SMART Recovery), clubhouses, and support groups',
    'Welcome new admissions and help them get oriented to the program',
    'Make follow-up calls after discharge',
    "Bring the patient's voice into treatment team",
    'Document peer contacts in the EHR',
  ],
  'substance-use-counselor': [
    'Complete ASAM-based assessments and level-of-care recommendations',
    'Lead relapse prevention, motivational interviewing, and recovery skills groups',
    (rng) => `Carry a caseload of ${rng.int(8, 14)} patients with weekly individual counseling`,
    'Coordinate with MAT prescribers and recovery housing',
    'Collect and document drug screens per protocol',
    'Write treatment plans and progress notes that meet state and payer requirements',
    'Involve families through family education nights',
    'Help patients build a recovery plan and a sober support network before discharge',
  ],
  'intake-coordinator': [
    'Answer referral calls from hospitals, emergency departments, outpatient providers, and families',
    'Complete phone screenings and schedule assessments, often for the same or next day',
    'Verify insurance benefits and obtain pre-authorization',
    'Coordinate step-down admissions with inpatient social workers',
    'Track referrals, admissions, and no-shows in the EHR',
    (_rng, s) => (s.credentials.some((c) => c !== 'LPN' && c !== 'RN') ? 'Complete intake assessments and risk screening for new admissions' : null),
    'Walk families through what to expect on the first day',
    "Refer callers who aren't a fit to the right level of care",
  ],
  'mental-health-technician': [
    'Support the milieu during program hours and help patients move between groups',
    'Complete safety rounds and environmental checks',
    (_rng, s) =>
      s.populations.includes('eating-disorders')
        ? 'Supervise meals and snacks and take vital signs and weights'
        : 'Take vital signs and help nursing with check-ins',
    'Co-facilitate recreation, mindfulness, or life skills groups',
    'Use verbal de-escalation to help patients who are struggling',
    'Document observations and report concerns to nursing and the therapist',
    'Help with patient check-in and front desk coverage when needed',
  ],
};

/** Hands-on tasks that can't be done over video. */
const IN_PERSON_ONLY = /vital|[Aa]dminister|emergenc|weights|drug screens|safety rounds|meals|milieu|front desk/;

function duties(rng: Rng, s: PostingSpec): string[] {
  const resolved: string[] = [];
  for (const d of DUTIES[s.role]) {
    const text = typeof d === 'string' ? d : d(rng, s);
    if (text && !(s.setting === 'telehealth' && IN_PERSON_ONLY.test(text))) resolved.push(text);
  }
  if (s.setting === 'telehealth' && s.role === 'registered-nurse') {
    resolved.push('Run virtual nursing check-ins on symptoms, sleep, side effects, and medication adherence');
  }
  return rng.sample(resolved, rng.int(3, Math.min(4, resolved.length)));
}

// ---------------------------------------------------------------- requirements

function credentialRequirement(rng: Rng, s: PostingSpec): string | null {
  const codes = s.credentials;
  if (codes.length === 0) return null;
  const stateName = US_STATES[s.state] ?? s.state;
  const ind = independentCodes(codes).filter((c) => c !== 'RN' || s.role !== 'registered-nurse');
  const assoc = associateCodes(codes);
  const other = codes.filter((c) => credentialByCode(c)?.tier === 'na');
  switch (s.role) {
    case 'registered-nurse':
      return NLC_STATES.has(s.state)
        ? rng.pick([
            `Active ${stateName} RN license or a multistate (Nurse Licensure Compact) RN license`,
            `Current, unrestricted RN license valid in ${stateName}; multistate compact licenses welcome`,
            `Active RN license valid in ${stateName}`,
          ])
        : rng.pick([`Active, unrestricted ${stateName} RN license (${stateName} is not in the Nurse Licensure Compact)`, `Current ${stateName} RN license`]);
    case 'psychiatric-prescriber':
      if (s.prescriberKind === 'psychiatrist')
        return `MD or DO with an active ${stateName} medical license and DEA registration; board certified or board eligible in psychiatry`;
      if (s.prescriberKind === 'pmhnp')
        return `Active ${stateName} APRN license with PMHNP-BC certification and DEA registration (or able to obtain before start)`;
      return `Either an MD/DO with an active ${stateName} license and board eligibility in psychiatry, or a PMHNP with an active ${stateName} APRN license; DEA registration required`;
    case 'peer-support-specialist':
      return codes.includes('CPS')
        ? rng.pick([
            `Certified Peer Specialist credential in ${stateName}, or willingness to complete certification within six months of hire`,
            `Current ${stateName} peer specialist certification (CPS)${other.includes('CPRP') ? '; CPRP a plus' : ''}`,
          ])
        : 'CPRP certification, or willingness to earn a peer certification within your first year';
    case 'mental-health-technician':
    case 'intake-coordinator':
    case 'case-manager': {
      const names = codes.map((c) => c);
      return rng.pick([`${listJoin(names, 'or')} preferred`, `One of the following is a plus: ${listJoin(names, 'or')}`]);
    }
    default:
      break;
  }
  if (ind.length > 0 && assoc.length > 0) {
    return rng.pick([
      `Active ${stateName} license as ${article(ind[0] as string)} ${listJoin(ind, 'or')}; associate-level clinicians (${listJoin(assoc, 'or')}) are welcome and will receive supervision`,
      `Independent licensure (${listJoin(ind, 'or')}) or an associate license (${listJoin(assoc, 'or')}) in ${stateName}`,
      `${listJoin([...ind, ...assoc], 'or')} in good standing in ${stateName}`,
    ]);
  }
  if (ind.length > 0) {
    return rng.pick([
      `Active, unrestricted ${stateName} license as ${article(ind[0] as string)} ${listJoin(ind, 'or')}`,
      `Independent clinical license in ${stateName}: ${listJoin(ind, 'or')}`,
      `${listJoin(ind, 'or')} required (${stateName})`,
    ]);
  }
  if (assoc.length > 0) {
    return rng.pick([
      `${listJoin(assoc, 'or')} in ${stateName}, or license-eligible with your application submitted`,
      `Associate-level license (${listJoin(assoc, 'or')}) in ${stateName}; new graduates welcome`,
    ]);
  }
  return other.length > 0 ? `${listJoin(other, 'or')} preferred` : null;
}

function requirements(rng: Rng, s: PostingSpec): string[] {
  const out: string[] = [];
  const cred = credentialRequirement(rng, s);
  /** The usual order: the first line (education or background), then the credential when the role has one, then the rest. */
  const credentialAfter = (first: string, ...rest: string[]) => {
    out.push(first, ...(cred ? [cred] : []), ...rest);
  };
  const years = (lo: number, hi: number) => {
    const n = rng.int(lo, hi);
    return n === 1 ? 'one year' : `${['zero', 'one', 'two', 'three', 'four', 'five'][n] ?? String(n)} years`;
  };
  switch (s.role) {
    case 'therapist':
    case 'group-therapist':
    case 'family-therapist':
      credentialAfter(
        rng.pick([
          "Master's degree in social work, counseling, or marriage and family therapy",
          "Master's degree in a clinical mental health field (MSW, MA/MS in counseling, or MFT)",
        ]),
        s.supervisionOffered && rng.chance(0.5)
          ? 'New graduates and clinicians early in their careers are encouraged to apply'
          : `At least ${years(1, 3)} of experience in PHP, IOP, inpatient, or residential settings preferred`,
      );
      break;
    case 'substance-use-counselor':
      if (cred) out.push(cred);
      out.push(
        rng.pick(["Bachelor's or master's degree in a human services field", 'Associate degree or higher, plus the training hours your credential requires']),
      );
      out.push(`At least ${years(1, 3)} of substance use treatment experience; familiarity with ASAM criteria`);
      break;
    case 'registered-nurse':
      out.push(cred ?? 'Active RN license');
      out.push(rng.pick(['ADN or BSN; BSN preferred', 'BSN preferred, ADN with psychiatric experience considered']));
      out.push(`At least ${years(1, 2)} of psychiatric or behavioral health nursing experience`);
      out.push('Current BLS certification');
      break;
    case 'case-manager':
      credentialAfter(
        rng.pick(["Bachelor's degree in social work, psychology, or a related field; MSW preferred", "Bachelor's degree in a human services field"]),
        'Knowledge of local community resources, benefits, and insurance',
      );
      if (s.setting !== 'telehealth') out.push("Valid driver's license and reliable transportation");
      break;
    case 'program-director':
      credentialAfter(
        "Master's degree in a clinical field and an independent license",
        `At least ${years(3, 5)} of leadership experience in PHP, IOP, or acute psychiatric care`,
        'Approved clinical supervisor status (or able to obtain it), with a record of growing clinicians',
        'Comfort with census, staffing, budgets, and accreditation standards',
      );
      break;
    case 'psychiatric-prescriber':
      if (cred) out.push(cred);
      out.push(
        rng.pick([
          'Experience in acute or higher levels of psychiatric care (PHP, IOP, inpatient, or consultation-liaison)',
          'At least two years of post-training experience preferred; new graduates with strong acute-care rotations considered',
        ]),
      );
      if (s.populations.includes('adolescents') || s.populations.includes('children')) out.push('Child and adolescent training or experience');
      if (s.populations.includes('co-occurring')) out.push('Buprenorphine prescribing experience');
      break;
    case 'peer-support-specialist':
      credentialAfter('Lived experience of mental health and/or substance use recovery, and comfort sharing it purposefully', 'High school diploma or GED');
      break;
    case 'intake-coordinator':
      credentialAfter(
        rng.pick([
          "Bachelor's degree in psychology, social work, or a related field",
          'Two or more years in behavioral health admissions, intake, or a call center setting',
        ]),
        'Working knowledge of insurance verification and prior authorization',
      );
      break;
    case 'mental-health-technician':
      credentialAfter(
        rng.pick([
          "High school diploma or GED; bachelor's in psychology or a related field preferred",
          "Bachelor's degree in psychology or a related field, or equivalent experience",
        ]),
        'CPR/BLS and de-escalation training (we can provide both)',
      );
      break;
  }
  const soft = [
    'Strong, timely documentation',
    'Calm, steady presence in a crisis',
    'Comfort leading groups of 8 to 12 people',
    'DBT training or experience (intensive training a plus)',
    'Comfortable with EHRs (we use Kipu, Epic, or similar)',
    'Works well on a multidisciplinary team and asks for help when needed',
    'Cultural humility and a commitment to trauma-informed care',
    'CPI or similar de-escalation certification preferred',
  ];
  const softFor =
    s.role === 'registered-nurse' || s.role === 'psychiatric-prescriber' || s.role === 'intake-coordinator'
      ? soft.filter((x) => !x.includes('groups of'))
      : soft;
  out.push(
    ...rng.sample(
      softFor,
      rng.weighted([
        [0, 2],
        [1, 3],
        [2, 1],
      ]),
    ),
  );
  if (s.bilingual) out.push(rng.pick(['Fluency in Spanish required', 'Bilingual English/Spanish strongly preferred']));
  else if (rng.chance(0.15)) out.push(rng.pick(['Bilingual (Spanish, Haitian Creole, Vietnamese, or ASL) a plus', 'Spanish fluency a plus']));
  return out;
}

// ---------------------------------------------------------------- schedule

function scheduleSection(rng: Rng, s: PostingSpec, hours: Hours): string {
  const lines: string[] = [];
  const tz = TIMEZONE[s.state];
  const tzNote = s.setting === 'telehealth' && tz ? ` (${tz} time)` : '';
  const fullTime = s.employmentType === 'full_time';
  if (s.schedule === 'evenings' && !fullTime) {
    lines.push(`Evening shifts, ${hours.eveningShift}${tzNote}, covering groups from ${hours.iopEvening}.`);
  } else if (s.schedule === 'days' && !fullTime) {
    lines.push(
      s.programType === 'IOP'
        ? `Weekday shifts built around IOP groups (${hours.iopDay})${tzNote}.`
        : `Weekday shifts during program hours (${hours.php})${tzNote}.`,
    );
  } else if (s.schedule === 'evenings') {
    lines.push(
      fill(rng, [
        `Monday through Thursday, ${hours.eveningShift}${tzNote}; evening groups run ${hours.iopEvening}, and afternoons are for individual sessions, documentation, and team meetings.`,
        `Evenings: ${s.iopDays >= 4 ? 'Monday through Friday' : 'Monday, Tuesday, and Thursday'}, ${hours.eveningShift}${tzNote}, with groups from ${hours.iopEvening}.`,
        `Four ten-hour shifts a week, ${hours.eveningTenHour}${tzNote}, built around our evening track (${hours.iopEvening}).`,
      ]),
    );
  } else if (s.schedule === 'weekends') {
    lines.push(
      fill(rng, [
        `Weekend schedule: Saturday and Sunday, 8:00 am to 4:30 pm${tzNote}, plus one weekday shift.`,
        `Friday through Sunday${tzNote}, covering our weekend IOP groups.`,
        `Saturdays and Sundays${tzNote}, with weekday shifts available when you want extra hours.`,
      ]),
    );
  } else if (s.schedule === 'flexible') {
    lines.push(
      fill(rng, [
        s.employmentType === 'full_time'
          ? `Flexible: four 10-hour days or five 8-hour days within program hours${tzNote}; we build the group schedule around the team.`
          : `Flexible: choose ${rng.int(2, 3)} days a week within program hours${tzNote}; we build the group schedule around the team.`,
        `We're flexible on start and end times${tzNote} as long as your groups and sessions are covered.`,
        `Flexible schedule${tzNote}: ${s.programType === 'PHP' ? 'weekday shifts' : 'a mix of day and evening shifts'} you choose each month.`,
      ]),
    );
  } else {
    const php = s.programType !== 'IOP';
    lines.push(
      fill(rng, [
        php
          ? `Monday through Friday, 8:00 am to 4:30 pm${tzNote}; program hours are ${hours.php}.`
          : `Monday through Friday, 8:30 am to 5:00 pm${tzNote}; IOP groups run ${hours.iopDay}, and the rest of the day is for individual sessions, documentation, and team meetings.`,
        `Weekdays only, ${php ? '8:30 am to 5:00 pm' : '9:00 am to 5:30 pm'}${tzNote}. No nights, no weekends, no on-call.`,
        `Monday through Friday daytime hours${tzNote}, with ${php ? 'PHP programming' : 'groups'} from ${php ? hours.php : hours.iopDay}.`,
      ]),
    );
  }
  switch (s.employmentType) {
    case 'part_time':
      lines.push(`Part-time, ${rng.pick(['20 to 24', '24 to 30', 'about 20', '16 to 24'])} hours a week.`);
      break;
    case 'per_diem':
      lines.push(
        rng.pick([
          'Per diem: pick up shifts to cover time off and census surges, with a minimum of two shifts a month.',
          'Per diem (PRN), scheduled a month ahead; a great fit alongside a private practice or another job.',
          'PRN coverage for vacations and busy weeks; you set your availability.',
        ]),
      );
      break;
    case 'contract':
      lines.push(
        `${rng.pick(['Six-month', 'Twelve-month', 'Three-month', 'Nine-month'])} contract with the possibility of extension or conversion to a permanent role.`,
      );
      break;
    default:
      lines.push(rng.pick(['Full-time, 40 hours a week.', 'Full-time, benefits eligible from day one.', 'Full-time (1.0 FTE).']));
  }
  return lines.join(' ');
}

// ---------------------------------------------------------------- supervision

/** The independent license an associate credential leads to. */
const LEADS_TO: Record<string, string> = {
  AMFT: 'LMFT',
  LMSW: 'LCSW',
  LAPC: 'LPC',
  CADC: 'LCADC',
  CASAC: 'CASAC Advanced Counselor',
};

function supervisionSection(rng: Rng, s: PostingSpec): string {
  const targets = [
    ...new Set(
      associateCodes(s.credentials)
        .map((c) => {
          if (c === 'LMSW' && (s.credentials.includes('LICSW') || ['MN', 'DC', 'WA', 'RI', 'VT', 'NH'].includes(s.state))) return 'LICSW';
          return LEADS_TO[c] ?? '';
        })
        .filter(Boolean),
    ),
  ];
  const targetText = targets.length > 0 ? `your ${listJoin(targets, 'or')}` : 'independent licensure';
  return fill(rng, [
    `We provide free weekly individual supervision from a board-approved supervisor, plus group supervision, so your hours count toward ${targetText}. Supervision happens on the clock.`,
    `Supervision toward licensure is included at no cost: one hour of individual supervision each week and biweekly group supervision with our clinical director. We'll help you track hours toward ${targetText}.`,
    `You'll get weekly supervision toward ${targetText} from an approved supervisor on our team, during paid time, plus support preparing for the licensing exam.`,
    `You'll get at least one hour a week of individual clinical supervision toward ${targetText}, and a raise when you're fully licensed.`,
  ]);
}

// ---------------------------------------------------------------- pay and benefits

function payLine(rng: Rng, s: PostingSpec): string {
  const range = s.payMin === s.payMax ? money(s.payMin, s.payPeriod) : `${money(s.payMin, s.payPeriod)}–${money(s.payMax, s.payPeriod)}`;
  const per = s.payPeriod === 'hour' ? rng.pick([' an hour', ' per hour', '/hour']) : rng.pick([' a year', ' per year', ' annually']);
  const basis = rng.pick([
    'based on licensure and experience',
    'depending on experience',
    'commensurate with licensure and years of experience',
    'with placement in the range based on experience',
  ]);
  const label = s.payPeriod === 'hour' ? 'Pay' : rng.pick(['Salary', 'Pay']);
  let line = `**${label}:** ${range}${per}, ${basis}.`;
  if (s.signOnBonus) line += ` ${rng.pick(['Sign-on bonus', 'Plus a sign-on bonus'])} of $${commas(s.signOnBonus)}.`;
  return line;
}

function benefits(rng: Rng, s: PostingSpec): string[] {
  if (s.employmentType === 'per_diem' || s.employmentType === 'contract') {
    return rng.sample(
      [
        'Weekly pay',
        'You choose your shifts',
        'Paid orientation and training',
        'Malpractice coverage included',
        'Free CEUs through our training library',
        'Retirement plan eligibility',
        'A clear path to a benefited role if you want one',
      ],
      rng.int(2, 4),
    );
  }
  const pool = [
    rng.pick([
      'Medical, dental, and vision insurance starting the first of the month after hire',
      'Medical, dental, and vision coverage from day one',
      'Low-premium health plans, plus dental and vision',
    ]),
    `${rng.int(18, 30)} days of paid time off plus ${rng.int(7, 11)} paid holidays`,
    rng.pick([
      `403(b) with a ${rng.int(3, 6)}% employer match`,
      `401(k) with a ${rng.int(3, 6)}% match`,
      `Retirement plan with ${rng.int(3, 5)}% employer contribution after one year`,
    ]),
    `$${commas(rng.pick([500, 750, 1000, 1200, 1500, 2000]))} annual CEU allowance and paid CE days`,
    'Malpractice coverage',
    'License renewal reimbursement',
    'Employee assistance program and wellness days',
    rng.pick(['Eligible employer for Public Service Loan Forgiveness (PSLF)', 'Student loan repayment assistance']),
    'Paid training in DBT, TF-CBT, or EMDR',
    'Short- and long-term disability and life insurance',
    'Tuition reimbursement',
    'Flexible spending and dependent care accounts',
    s.setting === 'onsite' ? 'Free on-site parking' : 'Home office stipend',
  ];
  const out = rng.sample(pool, s.employmentType === 'part_time' ? rng.int(2, 3) : rng.int(3, 4));
  if (s.employmentType === 'part_time' && rng.chance(0.6)) out.unshift('Part-time staff at 24+ hours a week are benefits eligible');
  return out;
}

function closing(rng: Rng, s: PostingSpec): string {
  const eeo = fill(rng, [
    `${s.orgName} is an equal opportunity employer, and we encourage people with lived experience of mental illness or recovery to apply.`,
    'Equal opportunity employer.',
    `${s.orgName} is an equal opportunity employer and values a workforce that reflects the communities we serve.`,
    'Equal opportunity employer. People with lived experience are encouraged to apply.',
    'Equal opportunity employer; we make reasonable accommodations in the hiring process.',
  ]);
  const apply = fill(rng, [
    `Apply with your résumé; a member of our recruiting team will reach out within ${rng.int(2, 5)} business days.`,
    'Apply here. Interviews are a 30-minute phone screen followed by a team interview.',
    '',
    '',
    '',
    '',
  ]);
  return apply ? `${apply}\n\n${eeo}` : eeo;
}

// ---------------------------------------------------------------- description

/**
 * A generated description is a list of blocks: headings, paragraphs and bullet lists, whose text
 * has no Markdown in it but `**bold**`. Both forms are written from the blocks: the Markdown the
 * employer would have typed, and the HTML the job service stores for it. The HTML is written here
 * rather than rendered because rendering untrusted Markdown (marked, then sanitize-html) was the
 * seed's largest cost: 0.25 ms a posting, 25 s of a 100k seed. `tests/unit/seed-description.test.ts`
 * holds the two equal to the service's render. A `p` block may hold several paragraphs, a blank line apart.
 */
type Block = { h2: string } | { p: string } | { ul: readonly string[] };

export interface GeneratedDescription {
  md: string;
  html: string;
}

function blockMarkdown(b: Block): string {
  if ('h2' in b) return `## ${b.h2}`;
  if ('p' in b) return b.p;
  return b.ul.map((i) => `- ${i}`).join('\n');
}

/** The text as marked and sanitize-html leave it: & and > escaped, `**x**` strong. */
function inlineHtml(text: string): string {
  // Markdown reads "<" as the start of raw HTML, which the sanitizer would drop: seed text has none.
  if (text.includes('<')) throw new Error(`Seed text cannot hold "<" (Markdown would read it as HTML): ${text}`);
  return text
    .replace(/&/g, '&amp;')
    .replace(/>/g, '&gt;')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

function blockHtml(b: Block): string {
  if ('h2' in b) return `<h2>${inlineHtml(b.h2)}</h2>\n`;
  if ('p' in b)
    return b.p
      .split('\n\n')
      .map((para) => `<p>${inlineHtml(para)}</p>\n`)
      .join('');
  return `<ul>\n${b.ul.map((i) => `<li>${inlineHtml(i)}</li>\n`).join('')}</ul>\n`;
}

/** Each section heading's wordings, with how often each is picked. */
const HEADINGS = {
  about: [
    ['About the program', 8],
    ['About us', 1],
    ['About the role', 1],
  ],
  duties: [
    ["What you'll do", 8],
    ['Responsibilities', 2],
  ],
  requirements: [
    ['What you bring', 8],
    ['Qualifications', 2],
  ],
  benefits: [
    ['Benefits', 6],
    ['Pay and benefits', 4],
  ],
} as const satisfies Record<string, readonly (readonly [string, number])[]>;

export function generateDescription(rng: Rng, s: PostingSpec): GeneratedDescription {
  const [iopEvening, eveningShift, eveningTenHour] = rng.pick(IOP_EVENINGS);
  const hours: Hours = {
    php: rng.pick(PHP_DAY_HOURS),
    iopDay: rng.pick(IOP_DAY_HOURS),
    iopEvening,
    eveningShift,
    eveningTenHour,
  };
  const licensed = s.credentials.some((c) => credentialByCode(c)?.kind === 'license');

  const about: string[] = [openingSentence(rng, s), ...programStructure(rng, s, hours)];
  const about2: string[] = [];
  const pops = s.populations.filter((p) => POPULATION_SENTENCES[p]);
  // The most specific population first (a specialty says more than an age group), at most two.
  const ordered = [...pops.filter((p) => !AGE_GROUPS.includes(p)), ...pops.filter((p) => AGE_GROUPS.includes(p))];
  for (const p of ordered.slice(0, 1)) about2.push(rng.pick(POPULATION_SENTENCES[p]));
  // Now and then a word on the clinical model or the team.
  const extra = rng.weighted([
    ['model', 2.5],
    ['team', 1],
    ['none', 6.5],
  ]);
  if (extra === 'model') about2.push(modelSentence(rng, s));
  if (extra === 'team') about2.push(teamSentence(rng, s));
  about2.push(settingSentence(rng, s, licensed));

  const sections: Block[] = [];
  const h = (text: string): Block => ({ h2: text });
  const p = (text: string): Block => ({ p: text });
  const bullets = (items: readonly string[]): Block => ({ ul: items });
  sections.push(h(rng.weighted(HEADINGS.about)));
  sections.push(p(about.join(' ')));
  sections.push(p(about2.join(' ')));
  sections.push(h(rng.weighted(HEADINGS.duties)));
  sections.push(bullets(duties(rng, s)));
  sections.push(h(rng.weighted(HEADINGS.requirements)));
  sections.push(bullets(requirements(rng, s)));
  sections.push(h('Schedule'));
  sections.push(p(scheduleSection(rng, s, hours)));
  if (s.supervisionOffered) {
    sections.push(h('Supervision toward licensure'));
    sections.push(p(supervisionSection(rng, s)));
  }
  sections.push(h(rng.weighted(HEADINGS.benefits)));
  sections.push(p(payLine(rng, s)));
  sections.push(bullets(benefits(rng, s)));
  sections.push(p(closing(rng, s)));
  return { md: sections.map(blockMarkdown).join('\n\n'), html: sections.map(blockHtml).join('') };
}
