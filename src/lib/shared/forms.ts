import { z } from 'zod';
import { text } from './text';
import { invalid } from './errors';

/**
 * Form plumbing shared by the application, profile, resume and screening
 * schemas: FormData → a plain object a zod schema checks, and zod issues →
 * the services' field errors. Each schema is defined once; the action parses
 * the form with it and the service parses again before anything is written.
 */
export const str = (fd: FormData, k: string): string | undefined => {
  const v = fd.get(k);
  return typeof v === 'string' ? v : undefined;
};
export const strs = (fd: FormData, k: string): string[] => fd.getAll(k).filter((v): v is string => typeof v === 'string' && v !== '');
/** The named text fields of a form, each as `str` reads it: for forms whose fields are the schema's keys one to one. */
export function strFields<const K extends string>(fd: FormData, keys: readonly K[]): Record<K, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, str(fd, k)])) as Record<K, string | undefined>;
}
/** Checkbox groups: each named group's ticked values, each value once. */
export function checkedFields<const K extends string>(fd: FormData, keys: readonly K[]): Record<K, string[]> {
  return Object.fromEntries(keys.map((k) => [k, [...new Set(strs(fd, k))]])) as Record<K, string[]>;
}
export const file = (fd: FormData, k: string): File | undefined => {
  const v = fd.get(k);
  return v instanceof File && (v.size > 0 || v.name !== '') ? v : undefined;
};

/** A form schema: FormData in, `values` (a plain-object schema) out. */
export function fromForm<S extends z.ZodType>(values: S, map: (fd: FormData) => unknown) {
  return z
    .instanceof(FormData)
    .transform((fd) => map(fd))
    .pipe(values as z.ZodType<z.output<S>, unknown>);
}

/** Several values from a fixed list (checkboxes): anything else is refused with `message`; never more than the list holds. */
export const choices = <T extends readonly [string, ...string[]]>(values: T, message: string) => z.array(z.enum(values, { error: message })).max(values.length);

/** Optional text: blank and missing become null. */
export const optionalText = (max: number, message: string) =>
  text()
    .trim()
    .max(max, message)
    .nullish()
    .transform((v) => (v ? v : null));

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export function isRealDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const uuid = (message = 'Unknown item.') => z.uuid({ error: message });

/** Parses with a schema, or throws the services' `invalid` with one message per field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const fields: Record<string, string[]> = {};
  for (const i of r.error.issues) (fields[i.path.map(String).join('.') || 'form'] ??= []).push(i.message);
  throw invalid(r.error.issues[0]?.message ?? 'Check the form.', fields);
}

/** An absolute http(s) address with a dotted host name: what a person means by "a web address". */
export function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.');
  } catch {
    return false;
  }
}
