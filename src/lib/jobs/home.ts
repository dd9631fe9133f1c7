import { sql } from 'drizzle-orm';
import type { Db } from '#db/client';
import { jobs } from '#db/schema';
import { ROLES } from '#lib/domain/taxonomy';
import { latestOpenJobs, openJobsWhere, type JobSummary } from './queries';

/**
 * The home page's live figures: open jobs and the typical pay per role, the states
 * with the most open jobs, and the newest postings. Two queries (one aggregate with
 * GROUPING SETS, one for the newest jobs), shared by every visitor for a short time.
 */

/** Typical pay: the 10th percentile of the minimums to the 90th of the maximums (as the role guides show). */
export type PayBand = readonly [low: number, high: number];

export interface RoleFigures {
  slug: string;
  name: string;
  open: number;
  hourly?: PayBand;
  yearly?: PayBand;
}

export interface HomeFigures {
  open: number;
  roles: RoleFigures[];
  states: { state: string; open: number }[];
  latest: JobSummary[];
}

export const TOP_STATES = 8;
const LATEST = 6;

export async function homeFigures(db: Db, now = new Date()): Promise<HomeFigures> {
  const [rows, latest] = await Promise.all([
    db
      .select({
        role: jobs.role,
        period: jobs.payPeriod,
        state: jobs.state,
        // 1 in the rows of the (role, period) set, where state is rolled up.
        perRole: sql<number>`grouping(${jobs.state})`,
        n: sql<number>`count(*)::int`,
        low: sql<number>`percentile_cont(0.1) within group (order by ${jobs.payMin})`,
        high: sql<number>`percentile_cont(0.9) within group (order by ${jobs.payMax})`,
      })
      .from(jobs)
      .where(openJobsWhere(now))
      .groupBy(sql`grouping sets ((${jobs.role}, ${jobs.payPeriod}), (${jobs.state}))`),
    latestOpenJobs(db, LATEST),
  ]);
  const byRole = new Map<string, RoleFigures>(ROLES.map((r) => [r.slug, { slug: r.slug, name: r.name, open: 0 }]));
  const states: { state: string; open: number }[] = [];
  let open = 0;
  for (const r of rows) {
    const n = Number(r.n);
    if (Number(r.perRole) === 1) {
      const fig = byRole.get(r.role);
      if (!fig) continue;
      fig.open += n;
      open += n;
      const band: PayBand = [Number(r.low), Number(r.high)];
      if (r.period === 'hour') fig.hourly = band;
      else fig.yearly = band;
    } else {
      states.push({ state: r.state, open: n });
    }
  }
  states.sort((a, b) => b.open - a.open || a.state.localeCompare(b.state));
  return { open, roles: [...byRole.values()], states: states.slice(0, TOP_STATES), latest };
}

const CACHE_MS = 30_000;
const cache = new WeakMap<Db, { expires: number; value: Promise<HomeFigures> }>();

/**
 * The figures as every anonymous and signed-in visitor sees them, computed at most
 * once per 30 s per process: the home page is the most visited page, and a posting
 * showing up on it half a minute late costs nothing. A failed computation is not kept.
 */
export function cachedHomeFigures(db: Db, now = Date.now()): Promise<HomeFigures> {
  const hit = cache.get(db);
  if (hit && hit.expires > now) return hit.value;
  const value = homeFigures(db, new Date(now));
  cache.set(db, { expires: now + CACHE_MS, value });
  value.catch(() => {
    if (cache.get(db)?.value === value) cache.delete(db);
  });
  return value;
}

const whole = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** "$28–$45 an hour", "$62k–$95k a year": short enough for a role card on a phone. */
export function payBandText(band: PayBand, period: 'hour' | 'year'): string {
  const f = (v: number) => (period === 'hour' ? whole.format(Math.round(v)) : `${whole.format(Math.round(v / 1000))}k`);
  const [lo, hi] = [f(band[0]), f(band[1])];
  return `${lo === hi ? lo : `${lo}–${hi}`} ${period === 'hour' ? 'an hour' : 'a year'}`;
}
