import { sql } from 'drizzle-orm';
import type { Db } from '#db/client';

export interface LicenseMix {
  /** Credential codes to draw from (repeat one to make it more common). */
  codes: readonly string[];
  /** Issuing states to draw from, likewise. */
  states: readonly string[];
  /** Each candidate holds from one to this many licenses. */
  maxPerUser: number;
}

/**
 * Licenses for the candidates a bench generated in SQL (the users whose email starts with `emailPrefix`):
 * the credential, the state and how many each holds come from a hash of the user, so a run repeats;
 * each expires between 120 days ago and about 2.5 years ahead. CPRP is national (no state), and six in ten
 * RN and LPN licenses are multistate (compact).
 */
export async function insertCandidateLicenses(db: Db, emailPrefix: string, { codes, states, maxPerUser }: LicenseMix): Promise<void> {
  const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(',');
  await db.execute(
    sql.raw(`
    insert into licenses (user_id, credential_code, state, number, expires_on, compact)
    select u.id, c.code, case when c.code = 'CPRP' then null else s.state end, 'BN' || substr(md5(u.id::text || k), 1, 8),
      current_date + (floor(random() * 1000) - 120)::int,
      c.code in ('RN', 'LPN') and random() < 0.6
    from users u
    cross join generate_series(1, 1 + (abs(hashtext(u.id::text)) % ${maxPerUser})) k
    cross join lateral (select (array[${list(codes)}])[1 + abs(hashtext(u.id::text || 'c' || k)) % ${codes.length}] as code) c
    cross join lateral (select (array[${list(states)}])[1 + abs(hashtext(u.id::text || 's' || k)) % ${states.length}] as state) s
    where u.email like '${emailPrefix}%'
    on conflict do nothing`),
  );
}
