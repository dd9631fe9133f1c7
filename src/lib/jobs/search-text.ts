import { credentialByCode, roleBySlug } from '#lib/domain/taxonomy';
import { slugify } from '#lib/shared/slug';

/**
 * What a posting adds to its row for search, built one way by the posting service,
 * the organization rename and the seed.
 */

/** Words that live outside the job row, for the PostgreSQL full-text fallback: credential codes and names, organization, role. */
export function computeSearchExtra(credentialCodes: readonly string[], orgName: string, role: string): string {
  const codes = [...credentialCodes].sort();
  return [...codes, ...codes.map((c) => credentialByCode(c)?.name ?? ''), orgName, roleBySlug(role)?.name ?? role].filter(Boolean).join(' ');
}

/** The readable part of a posting's slug (a random suffix makes it unique). */
export function jobSlugBase(title: string, city: string, state: string): string {
  return slugify(`${title} ${city} ${state}`, 80);
}
