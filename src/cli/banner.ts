import type { PostingCounts } from '#lib/jobs/queries';

/** What `npm start` prints once the site is up: kept apart from start.ts so it can be tested. */

/** Why the open-job count is lower than the postings seeded: drafts, closed and expired postings are not listed. */
export function postingsLine(c: PostingCounts): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const hidden = [
    c.expired && `${n(c.expired)} past their closing date`,
    c.closed && `${n(c.closed)} closed (filled)`,
    c.draft && `${n(c.draft)} drafts`,
  ].filter(Boolean);
  return hidden.length
    ? `${n(c.total)} postings, ${n(c.open)} open jobs: the other ${n(c.total - c.open)} (${hidden.join(', ')}) are kept for the employer dashboards but not listed.`
    : `${n(c.total)} postings, all open.`;
}

/** One line per demo sign-in: who it is and, for employers, which organization and role. */
export function demoLoginLines(
  logins: readonly { email: string; password: string; role: string; organization: string | null }[],
  orgs: readonly { slug: string; name: string }[],
): string[] {
  const orgName = new Map(orgs.map((o) => [o.slug, o.name]));
  return logins.map((d) => {
    const who = d.organization
      ? `${d.role.replace('_', ' ')} at ${orgName.get(d.organization) ?? d.organization}`
      : 'job seeker (profile, licenses and applications)';
    return `${d.email.padEnd(24)} ${d.password}   ${who}`;
  });
}
