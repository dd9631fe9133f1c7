/**
 * Errors the domain services throw, free of any framework. The edges translate
 * them: actions into ActionError (src/actions/_shared.ts), pages into a Response
 * (src/lib/auth/page-guards.ts).
 *
 *  unauthenticated  no valid session                       → sign in (401)
 *  not_found        missing, or belongs to an organization  → 404, the same for both
 *                   the caller is not a member of
 *  forbidden        a member without the role the action needs → 403
 *  invalid          input a person can fix (message says how)  → 400
 *  conflict         the current state does not allow it        → 409
 *  rate_limited     too many attempts; retryAfter in seconds   → 429 + Retry-After
 */
export type ServiceErrorCode = 'unauthenticated' | 'not_found' | 'forbidden' | 'invalid' | 'conflict' | 'rate_limited';

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  /** Field name → messages, for errors that belong to one form field. */
  readonly fields: Record<string, string[]>;
  readonly retryAfter?: number;

  constructor(code: ServiceErrorCode, message: string, opts: { fields?: Record<string, string[]>; retryAfter?: number } = {}) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.fields = opts.fields ?? {};
    this.retryAfter = opts.retryAfter;
  }
}

export const NOT_FOUND_MESSAGE = 'We could not find that page.';

export const notFound = () => new ServiceError('not_found', NOT_FOUND_MESSAGE);
export const forbidden = (message = 'Your role in this organization does not allow that.') => new ServiceError('forbidden', message);
export const invalid = (message: string, fields?: Record<string, string[]>) => new ServiceError('invalid', message, { fields });
export const conflict = (message: string) => new ServiceError('conflict', message);

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof ServiceError;
}
