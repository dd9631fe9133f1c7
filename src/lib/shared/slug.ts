/**
 * URL slugs, one way for the whole site (organizations, postings, the seed): ASCII
 * letters and digits joined by hyphens, accents folded, "&" read as "and".
 */
export function slugify(s: string, max = 60): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
}
