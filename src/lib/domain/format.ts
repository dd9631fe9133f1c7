import {
  EMPLOYMENT_LABELS,
  PROGRAM_LABELS,
  SCHEDULE_LABELS,
  SETTING_LABELS,
  US_STATES,
  roleBySlug,
  type EmploymentType,
  type ProgramType,
  type Schedule,
  type Setting,
} from './taxonomy';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const usdCents = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 0,
  maximumFractionDigits: 2,
});

export function formatPay(min: number, max: number, period: string): string {
  const f = period === 'hour' ? usdCents : usd;
  const range = min === max ? f.format(min) : `${f.format(min)}–${f.format(max)}`;
  return `${range} ${period === 'hour' ? 'an hour' : 'a year'}`;
}

/** Hourly pay as a year of full-time hours (× 2,080), the figure the pay sort and filter compare; null for yearly pay. */
export function annualizedPay(min: number, max: number, period: string): string | null {
  if (period !== 'hour') return null;
  const y = (n: number) => usd.format(n * 2080);
  return `about ${min === max ? y(min) : `${y(min)}–${y(max)}`} a year full time`;
}

const dateFmt = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
export function formatDate(d: Date | string): string {
  return dateFmt.format(typeof d === 'string' ? new Date(d) : d);
}

const rtf = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });
export function postedAgo(d: Date | string, now = new Date()): string {
  const days = Math.floor((now.getTime() - new Date(d).getTime()) / 86_400_000);
  if (days < 1) return 'today';
  if (days < 30) return rtf.format(-days, 'day');
  return `on ${formatDate(d)}`;
}

export const roleName = (slug: string) => roleBySlug(slug)?.name ?? slug;
export const programLabel = (v: string) => PROGRAM_LABELS[v as ProgramType] ?? v;
export const settingLabel = (v: string) => SETTING_LABELS[v as Setting] ?? v;
export const scheduleLabel = (v: string) => SCHEDULE_LABELS[v as Schedule] ?? v;
export const employmentLabel = (v: string) => EMPLOYMENT_LABELS[v as EmploymentType] ?? v;
export const stateName = (code: string) => US_STATES[code] ?? code;
