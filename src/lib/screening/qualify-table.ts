import crypto from 'node:crypto';
import { eq, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '#db/client';
import { licenseQualifications } from '#db/schema';
import { CREDENTIAL_CODES, STATE_CODES } from '#lib/domain/taxonomy';
import { qualifyClauses } from '#lib/licensure/eligibility';

/**
 * The eligibility rule, tabulated for SQL. For every kind of license a person
 * can hold (credential × issuing state or none × multistate flag) this asks
 * the rule itself — qualifyClauses() from src/lib/licensure/eligibility.ts,
 * the function search uses for "jobs I qualify for" — which jobs it counts
 * for, and stores the answer flattened in license_qualifications: one row per
 * (accepted credential, job state or '*', telehealth-only) the kind satisfies,
 * with the kind numbered (licenseKind) so queries match integers.
 * Nothing about tiers, classes or compacts is restated here; screening's
 * "eligible in the job's state" is then equality joins (query.ts).
 *
 * Rows are keyed by a hash of the rule's output, so a change to the rule or
 * the compact data (a new member state) brings a new version at the next use.
 */
export interface QualificationRow {
  acceptedCode: string;
  jobState: string;
  telehealthOnly: boolean;
  kind: number;
  credentialCode: string;
  state: string;
  multistate: boolean;
}

export const ANY_STATE = '*';

/**
 * License kinds, numbered exactly: the credential code (at most 5 letters) and
 * the issuing state (2 letters, or none) read as base-27 numbers (A = 1 … Z = 26,
 * 0 past the end), then the multistate flag:
 *   kind = (code₂₇ × 729 + state₂₇) × 2 + multistate
 * Injective for every value the taxonomy allows, and cheap in SQL (no lookups),
 * so screening can match integers. licenseKind() and licenseKindSql() are the
 * same function; the tests check them against each other for every kind.
 */
const LETTERS = /^[A-Z]*$/;
function base27(s: string, width: number): number | null {
  if (s.length > width || !LETTERS.test(s)) return null;
  let n = 0;
  for (let i = 0; i < width; i++) n = n * 27 + (i < s.length ? s.charCodeAt(i) - 64 : 0);
  return n;
}

export function licenseKind(credentialCode: string, state: string | null, multistate: boolean): number | null {
  const c = base27(credentialCode, 5);
  const s = base27(state ?? '', 2);
  if (c === null || s === null) return null;
  return (c * 729 + s) * 2 + (multistate ? 1 : 0);
}

/** licenseKind() as a SQL bigint expression over a licenses row aliased `alias`. */
export function licenseKindSql(alias: string): SQL {
  if (!/^[a-z_]+$/.test(alias)) throw new Error('bad alias');
  const digit = (col: string, i: number) => `greatest(ascii(substr(${col}, ${i}, 1)) - 64, 0)`;
  const code = `${alias}.credential_code`;
  const state = `coalesce(${alias}.state, '')`;
  const c = [1, 2, 3, 4, 5].map((i) => `${digit(code, i)} * ${27 ** (5 - i)}`).join(' + ');
  const st = `${digit(state, 1)} * 27 + ${digit(state, 2)}`;
  return sql.raw(`(((${c})::bigint * 729 + ${st}) * 2 + ${alias}.compact::int)`);
}

export function tabulateRule(): { version: string; rows: QualificationRow[] } {
  const seen = new Set<string>();
  const rows: QualificationRow[] = [];
  for (const code of CREDENTIAL_CODES) {
    for (const state of [null, ...STATE_CODES]) {
      for (const multistate of [false, true]) {
        // No expiry date: never expired here. Queries apply expiry with the rule's own comparison (expires_on < today).
        for (const c of qualifyClauses([{ credentialCode: code, state, expiresOn: null, compact: multistate }])) {
          for (const acceptedCode of c.credentials) {
            for (const jobState of c.states ?? [ANY_STATE]) {
              const kind = licenseKind(code, state, multistate)!;
              const row = {
                acceptedCode,
                jobState,
                telehealthOnly: c.telehealthOnly,
                kind,
                credentialCode: code,
                state: state ?? '',
                multistate,
              };
              const key = JSON.stringify(row);
              if (!seen.has(key)) {
                seen.add(key);
                rows.push(row);
              }
            }
          }
        }
      }
    }
  }
  const version = crypto.createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
  return { version, rows };
}

let memo: { version: string; rows: QualificationRow[] } | undefined;
const ready = new WeakMap<object, Promise<string>>();

/** Makes sure the table holds the current rule; returns its version. Checked once per database handle per process. */
export function ensureQualifyTable(db: Db): Promise<string> {
  let p = ready.get(db);
  if (!p) {
    p = fill(db).catch((err) => {
      ready.delete(db);
      throw err;
    });
    ready.set(db, p);
  }
  return p;
}

async function count(db: Pick<Db, 'select'>, version: string): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(licenseQualifications).where(eq(licenseQualifications.ruleVersion, version));
  return Number(r?.n ?? 0);
}

async function fill(db: Db): Promise<string> {
  memo ??= tabulateRule();
  const { version, rows } = memo;
  if ((await count(db, version)) === rows.length) return version;
  await db.transaction(async (tx) => {
    // Servers starting together: one fills, the others wait for it and find the work done.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('license_qualifications', 0))`);
    if ((await count(tx, version)) === rows.length) return;
    await tx.delete(licenseQualifications).where(ne(licenseQualifications.ruleVersion, version));
    await tx.delete(licenseQualifications).where(eq(licenseQualifications.ruleVersion, version));
    // A few statements carrying JSON, not 90k bind parameters (the same on postgres.js and PGlite).
    for (let i = 0; i < rows.length; i += 20_000) {
      await tx.execute(sql`
        insert into license_qualifications (rule_version, accepted_code, job_state, telehealth_only, kind, credential_code, state, multistate)
        select ${version}, x."acceptedCode", x."jobState", x."telehealthOnly", x."kind", x."credentialCode", x."state", x."multistate"
        from json_to_recordset(${JSON.stringify(rows.slice(i, i + 20_000))}::json)
          as x("acceptedCode" text, "jobState" text, "telehealthOnly" boolean, "kind" bigint, "credentialCode" text, "state" text, "multistate" boolean)`);
    }
  });
  // Fresh statistics, so the planner sizes the joins right from the first query.
  await db.execute(sql`analyze license_qualifications`);
  return version;
}
