import { ActionError, type ActionAPIContext } from 'astro:actions';
import type { Db } from '#db/client';
import { requireMember, requireUser, type MemberContext } from '#lib/web/guards';
import { mailDeps } from '#lib/web/request-auth';
import type { MemberRole } from '#lib/domain/taxonomy';
import { ServiceError, type ServiceErrorCode } from '#lib/shared/errors';
import { getRuntime, type Runtime } from '#lib/runtime';
import { INVISIBLE_CHARACTERS_MESSAGE } from '#lib/shared/text';
import { isDependencyDown, isUnstorableText, RETRY_AFTER_S } from '#lib/web/unavailable';

/**
 * What every action shares: the runtime, the guards, and one translation from
 * the services' errors to ActionError (status codes the page or client sees).
 */
const CODES: Record<ServiceErrorCode, ConstructorParameters<typeof ActionError>[0]['code']> = {
  unauthenticated: 'UNAUTHORIZED',
  not_found: 'NOT_FOUND',
  forbidden: 'FORBIDDEN',
  invalid: 'BAD_REQUEST',
  conflict: 'CONFLICT',
  rate_limited: 'TOO_MANY_REQUESTS',
};

export function toActionError(ctx: Pick<ActionAPIContext, 'locals'>, err: unknown): ActionError {
  if (err instanceof ActionError) return err;
  if (err instanceof ServiceError) {
    if (err.code === 'rate_limited') ctx.locals.retryAfter = err.retryAfter;
    const entries = Object.entries(err.fields);
    if (err.code === 'invalid' && entries.length) {
      // Field errors travel as an input error, so the form shows them beside their fields; the
      // service's own summary rides along as a form-level issue (empty path).
      return ActionError.fromJson({
        type: 'AstroActionInputError',
        issues: [
          { code: 'custom', path: [], message: err.message },
          ...entries.flatMap(([path, messages]) => messages.map((message) => ({ code: 'custom', path: path.split('.'), message }))),
        ],
      });
    }
    return new ActionError({ code: CODES[err.code], message: err.message });
  }
  if (isDependencyDown(err)) {
    ctx.locals.retryAfter = RETRY_AFTER_S;
    return new ActionError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The site is briefly unavailable, so nothing was saved. Try again in a minute.',
    });
  }
  if (isUnstorableText(err)) {
    // A safety net: the shared text schema refuses these characters before any query.
    return new ActionError({ code: 'BAD_REQUEST', message: INVISIBLE_CHARACTERS_MESSAGE });
  }
  console.error('[action]', err);
  return new ActionError({
    code: 'INTERNAL_SERVER_ERROR',
    message: 'Something went wrong on our side. Please try again.',
  });
}

export interface ActionEnv {
  rt: Runtime;
  db: Db;
  ctx: ActionAPIContext;
  mail: ReturnType<typeof mailDeps>;
}

/** Runs an action body with the runtime at hand and errors translated. */
export async function run<T>(ctx: ActionAPIContext, fn: (e: ActionEnv) => Promise<T>): Promise<T> {
  try {
    const rt = await getRuntime();
    return await fn({ rt, db: rt.db, ctx, mail: mailDeps() });
  } catch (err) {
    throw toActionError(ctx, err);
  }
}

export const userOf = (ctx: ActionAPIContext) => requireUser(ctx.locals);

export function memberOf(e: ActionEnv, org: string, roles?: readonly MemberRole[]): Promise<MemberContext> {
  return requireMember(e.db, e.ctx.locals, org, roles);
}
