import type { SearchParams } from '#lib/search/params';
import { POPULATION_LABELS, type Population } from '#lib/domain/taxonomy';
import { employmentLabel, programLabel, roleName, scheduleLabel, settingLabel, stateName } from '#lib/domain/format';

/** A search in words, for a feed's title: "“dbt” · Therapist / Primary Clinician · LCSW or LPC · Pennsylvania". */
export function describeSearch(p: Partial<SearchParams>): string {
  const or = (xs: string[] | undefined, f: (x: string) => string = (x) => x) => (xs?.length ? xs.map(f).join(' or ') : '');
  const parts = [
    p.q ? `“${p.q}”` : '',
    or(p.role, roleName),
    or(p.program, programLabel),
    or(p.credential),
    or(p.state, stateName),
    or(p.setting, settingLabel),
    or(p.schedule, scheduleLabel),
    or(p.type, employmentLabel),
    or(p.population, (x) => POPULATION_LABELS[x as Population] ?? x),
    p.pay_min ? `pay from $${p.pay_min.toLocaleString('en-US')}` : '',
    p.near ? `within ${p.radius ?? 25} miles of ${p.near}` : '',
    p.posted ? `posted in the last ${p.posted} days` : '',
    p.supervision ? 'supervision toward licensure' : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'all jobs';
}
