import { z } from 'zod';

/**
 * The one string schema every form and query field is built on. It refuses what no
 * person types and what PostgreSQL cannot store: NUL and other C0 control characters
 * (tab, CR and LF are kept: pasted text has them) and unpaired UTF-16 surrogates (what
 * invalid UTF-8 becomes after decoding). Refusing here, at the edge, gives the person a
 * message on the field instead of a failed query.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export const INVISIBLE_CHARACTERS_MESSAGE = 'Remove the invisible control characters from this text (often pasted along with it).';

export function hasForbiddenCharacters(s: string): boolean {
  return FORBIDDEN.test(s) || !s.isWellFormed();
}

export function text(params?: Parameters<typeof z.string>[0]): z.ZodString {
  return z.string(params).refine((s) => !hasForbiddenCharacters(s), { message: INVISIBLE_CHARACTERS_MESSAGE });
}
