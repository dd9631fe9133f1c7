import { describe, expect, it } from 'vitest';
import { formatOfferPay, parseDollars, rangePosition } from '#lib/offers/pay';

describe('offer pay', () => {
  it('reads amounts as people type them, in cents, and refuses the rest', () => {
    expect(parseDollars('38.50')).toBe(3850);
    expect(parseDollars('$72,000')).toBe(7_200_000);
    expect(parseDollars(' 45 ')).toBe(4500);
    expect(parseDollars('38.5')).toBe(3850);
    for (const bad of ['', 'lots', '0', '1.234', '-5', '12e3', '99999999']) expect(parseDollars(bad), bad).toBeNull();
  });

  it('compares like with like: hourly and yearly through 2,080 hours', () => {
    const yearly = { payMin: 60_000, payMax: 75_000, payPeriod: 'year' as const };
    expect(rangePosition(3300, 'hour', yearly)).toBe('within'); // $68,640
    expect(rangePosition(2800, 'hour', yearly)).toBe('below'); // $58,240
    expect(rangePosition(3700, 'hour', yearly)).toBe('above'); // $76,960
    const hourly = { payMin: 30, payMax: 40, payPeriod: 'hour' as const };
    expect(rangePosition(8_000_000, 'year', hourly)).toBe('within'); // $80,000 vs $62,400–$83,200
    expect(rangePosition(4001, 'hour', hourly)).toBe('above');
    expect(rangePosition(3000, 'hour', hourly)).toBe('within');
  });

  it('formats for people', () => {
    expect(formatOfferPay(3850, 'hour')).toBe('$38.50 an hour');
    expect(formatOfferPay(7_200_000, 'year')).toBe('$72,000 a year');
  });
});
