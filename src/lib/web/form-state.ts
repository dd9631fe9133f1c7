import { isInputError } from 'astro:actions';

/**
 * An action's error as a form shows it: one summary message, and messages per
 * field (keyed by the field's name, e.g. `email` or `questions.0.prompt`).
 */
export interface FormErrorState {
  message: string | null;
  fields: Record<string, string>;
  status: number | null;
}

export function formErrors(error: unknown): FormErrorState {
  if (!error) return { message: null, fields: {}, status: null };
  const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 400;
  if (isInputError(error)) {
    const fields: Record<string, string> = {};
    let summary: string | null = null;
    for (const issue of error.issues) {
      const key = issue.path.map(String).join('.');
      if (!key)
        summary ??= issue.message; // a form-level message (from the service, or a schema-wide rule)
      else fields[key] ??= issue.message;
    }
    const n = Object.keys(fields).length;
    const message = summary ?? (n === 1 ? 'Fix the field marked below.' : `Fix the ${n} fields marked below.`);
    return { message, fields, status };
  }
  const message = error instanceof Error && error.message ? error.message : 'Something went wrong. Please try again.';
  return { message, fields: {}, status };
}

/** Values the person typed, to put back into a form that failed (never passwords). */
export async function postedValues(request: Request): Promise<Record<string, string>> {
  if (request.method !== 'POST') return {};
  try {
    const fd = await request.formData();
    const out: Record<string, string> = {};
    for (const [k, v] of fd.entries()) {
      if (typeof v !== 'string' || /password|confirm/i.test(k)) continue;
      out[k] = k in out ? `${out[k]}\n${v}` : v;
    }
    return out;
  } catch {
    return {};
  }
}

export async function postedForm(request: Request): Promise<FormData | null> {
  if (request.method !== 'POST') return null;
  try {
    return await request.formData();
  } catch {
    return null;
  }
}
