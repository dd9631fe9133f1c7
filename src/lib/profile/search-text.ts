import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '#db/client';

type Exec = Pick<Db, 'execute'>;

/**
 * Rewrites candidate_profiles.search_text — the words recruiters' full-text
 * search matches a profile by: name, headline, place, modalities, populations,
 * desired roles, and each license's credential code, name and state. One
 * UPDATE for any set of candidates (or all with `userIds` undefined); the
 * generated search_vector column follows.
 */
export async function refreshProfileSearchText(db: Exec, userIds?: readonly string[], opts: { onlyIfEmpty?: boolean } = {}): Promise<void> {
  if (userIds && userIds.length === 0) return;
  const only: SQL = userIds
    ? sql`and cp.user_id in (${sql.join(
        userIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`
    : sql``;
  const empty: SQL = opts.onlyIfEmpty ? sql`and cp.search_text = ''` : sql``;
  await db.execute(sql`
    update candidate_profiles cp
    set search_text = concat_ws(' ',
      u.name, cp.headline, cp.city, cp.state,
      array_to_string(cp.modalities, ' '), array_to_string(cp.populations, ' '), array_to_string(cp.desired_roles, ' '),
      (select string_agg(l.credential_code || ' ' || c.name || ' ' || coalesce(l.state, ''), ' ' order by l.credential_code)
         from licenses l join credentials c on c.code = l.credential_code where l.user_id = cp.user_id))
    from users u
    where u.id = cp.user_id ${only} ${empty}`);
}

/** Makes sure a candidate has a profile row (applying without filling in a profile still makes them searchable). */
export async function ensureProfileRow(db: Exec, userId: string): Promise<void> {
  await db.execute(sql`insert into candidate_profiles (user_id) values (${userId}::uuid) on conflict (user_id) do nothing`);
}
