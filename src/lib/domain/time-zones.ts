/**
 * Where a job's interviews happen in time: the IANA zone of the job's state, in one place.
 * A state that spans two zones gets the zone where most of its people live (Florida's
 * panhandle, west Texas, eastern Oregon, the Dakotas' west and parts of Kansas, Nebraska,
 * Kentucky, Tennessee, Idaho and Indiana differ); the interview form lets the team choose
 * another zone from US_TIME_ZONES for those, defaulting to this one.
 */
const EASTERN = 'America/New_York';
const CENTRAL = 'America/Chicago';
const MOUNTAIN = 'America/Denver';
const PACIFIC = 'America/Los_Angeles';

const STATE_ZONES: Record<string, string> = {
  AL: CENTRAL,
  AK: 'America/Anchorage',
  AZ: 'America/Phoenix', // no daylight saving time
  AR: CENTRAL,
  CA: PACIFIC,
  CO: MOUNTAIN,
  CT: EASTERN,
  DE: EASTERN,
  DC: EASTERN,
  FL: EASTERN,
  GA: EASTERN,
  HI: 'Pacific/Honolulu',
  ID: 'America/Boise',
  IL: CENTRAL,
  IN: 'America/Indiana/Indianapolis',
  IA: CENTRAL,
  KS: CENTRAL,
  KY: EASTERN,
  LA: CENTRAL,
  ME: EASTERN,
  MD: EASTERN,
  MA: EASTERN,
  MI: 'America/Detroit',
  MN: CENTRAL,
  MS: CENTRAL,
  MO: CENTRAL,
  MT: MOUNTAIN,
  NE: CENTRAL,
  NV: PACIFIC,
  NH: EASTERN,
  NJ: EASTERN,
  NM: MOUNTAIN,
  NY: EASTERN,
  NC: EASTERN,
  ND: CENTRAL,
  OH: EASTERN,
  OK: CENTRAL,
  OR: PACIFIC,
  PA: EASTERN,
  RI: EASTERN,
  SC: EASTERN,
  SD: CENTRAL,
  TN: CENTRAL,
  TX: CENTRAL,
  UT: MOUNTAIN,
  VT: EASTERN,
  VA: EASTERN,
  WA: PACIFIC,
  WV: EASTERN,
  WI: CENTRAL,
  WY: MOUNTAIN,
};

/** The zones the interview form offers, with the names people use for them. */
export const US_TIME_ZONES: Record<string, string> = {
  [EASTERN]: 'Eastern Time',
  'America/Detroit': 'Eastern Time (Michigan)',
  'America/Indiana/Indianapolis': 'Eastern Time (Indiana)',
  [CENTRAL]: 'Central Time',
  [MOUNTAIN]: 'Mountain Time',
  'America/Boise': 'Mountain Time (Idaho)',
  'America/Phoenix': 'Mountain Time, no daylight saving (Arizona)',
  [PACIFIC]: 'Pacific Time',
  'America/Anchorage': 'Alaska Time',
  'Pacific/Honolulu': 'Hawaii Time',
};

export function jobTimeZone(state: string): string {
  return STATE_ZONES[state] ?? EASTERN;
}

/** "Eastern Time (America/New_York)": what a page says about the zone its times are in. */
export function zoneLabel(zone: string): string {
  const name = US_TIME_ZONES[zone];
  return name ? `${name} (${zone})` : zone;
}
