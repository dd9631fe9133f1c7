/**
 * Offer pay: parsing what a person types ("38.50", "$72,000") into cents, and
 * comparing it with the job's posted range like with like (hourly against yearly
 * through 2,080 hours a year, the same rule the job's annualized columns use). Pure.
 */
export const HOURS_PER_YEAR = 2080;

export type PayPeriod = 'hour' | 'year';

/** Dollars as typed (an optional $, thousands commas, up to two decimals) → cents; null when it is not an amount. */
export function parseDollars(input: string): number | null {
  const s = input.replace(/[$,\s]/g, '');
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  const cents = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return cents > 0 ? cents : null;
}

const annualCents = (cents: number, period: PayPeriod) => (period === 'hour' ? cents * HOURS_PER_YEAR : cents);

export interface PostedRange {
  payMin: number;
  payMax: number;
  payPeriod: PayPeriod;
}

/** Below, within or above the job's posted range (whole dollars), compared per year whatever the periods. */
export function rangePosition(payCents: number, period: PayPeriod, job: PostedRange): 'below' | 'within' | 'above' {
  const offer = annualCents(payCents, period);
  const min = annualCents(job.payMin * 100, job.payPeriod);
  const max = annualCents(job.payMax * 100, job.payPeriod);
  if (offer < min) return 'below';
  if (offer > max) return 'above';
  return 'within';
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2, minimumFractionDigits: 0 });

export function formatOfferPay(payCents: number, period: PayPeriod): string {
  const amount = period === 'hour' ? new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(payCents / 100) : usd.format(payCents / 100);
  return `${amount} ${period === 'hour' ? 'an hour' : 'a year'}`;
}
