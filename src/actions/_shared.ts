import { ActionError, defineAction, type ActionAPIContext } from 'astro:actions';
import type { z } from 'zod';
import type { Db } from '#db/client';
import { requireMember, requireUser, type MemberContext } from '#lib/web/guards';
import { actorOf, teamForApplication, teamForInterview, teamForJob, teamForOrg, type TeamActor } from '#lib/applications/access';
import type { SessionUser } from '#lib/auth/types';
import { mailDeps } from '#lib/web/request-auth';
import type { MemberRole } from '#lib/domain/taxonomy';
import { ServiceError, type ServiceErrorCode } from '#lib/shared/errors';
import { getRuntime, type Runtime } from '#lib/runtime';
import { INVISIBLE_CHARACTERS_MESSAGE } from '#lib/shared/text';
import { isDependencyDown, isUnstorableText, RETRY_AFTER_S } from '#lib/web/unavailable';
import { errInfo, log } from '#lib/log';

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
  log.error({ err: errInfo(err) }, 'action failed');
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

/*
 * The factories every form action is built from: schema in, guard, body, result out. The guard runs
 * inside `run`, after the runtime is up, exactly where the handlers used to call it; the body gets the
 * parsed input. Typed on the schema's output and input (not on the schema type itself) so that
 * defineAction's conditional types resolve here and each action keeps its own input and result types.
 */

/** A form-posted action with no guard of its own (token links, sign-in and the like). */
export function formAction<O, I, T>(input: z.ZodType<O, I>, fn: (e: ActionEnv, input: O) => Promise<T>) {
  return defineAction({ accept: 'form', input, handler: (parsed, ctx) => run(ctx, (e) => fn(e, parsed)) });
}

/** For the signed-in user's own things: unauthenticated (sign in) otherwise. */
export function userAction<O, I, T>(input: z.ZodType<O, I>, fn: (e: ActionEnv, user: SessionUser, input: O) => Promise<T>) {
  return formAction(input, (e, parsed) => fn(e, userOf(e.ctx), parsed));
}

/** For a member of the organization named by the input's `org` (id or slug), with one of `roles`. */
export function memberAction<O extends { org: string }, I, T>(
  input: z.ZodType<O, I>,
  roles: readonly MemberRole[],
  fn: (e: ActionEnv, member: MemberContext, input: O) => Promise<T>,
) {
  return formAction(input, async (e, parsed) => fn(e, await requireMember(e.db, e.ctx.locals, parsed.org, roles), parsed));
}

type TeamBody<O, T> = (e: ActionEnv, actor: TeamActor, input: O) => Promise<T>;

/** For the hiring team that `find` names from the input's row (access.ts); the body acts as that member. */
export function teamAction<O, I, T>(input: z.ZodType<O, I>, find: (e: ActionEnv, input: O) => Promise<MemberContext>, fn: TeamBody<O, T>) {
  return formAction(input, async (e, parsed) => fn(e, actorOf(await find(e, parsed)), parsed));
}

/** The team of the organization that owns the application `applicationId`. */
export function applicationTeamAction<O extends { applicationId: string }, I, T>(input: z.ZodType<O, I>, roles: readonly MemberRole[], fn: TeamBody<O, T>) {
  return teamAction(input, (e, parsed) => teamForApplication(e.db, e.ctx.locals, parsed.applicationId, roles), fn);
}

/** The team of the organization that owns the job `jobId`. */
export function jobTeamAction<O extends { jobId: string }, I, T>(input: z.ZodType<O, I>, roles: readonly MemberRole[], fn: TeamBody<O, T>) {
  return teamAction(input, (e, parsed) => teamForJob(e.db, e.ctx.locals, parsed.jobId, roles), fn);
}

/** The team of the organization that owns the interview `interviewId`. */
export function interviewTeamAction<O extends { interviewId: string }, I, T>(input: z.ZodType<O, I>, roles: readonly MemberRole[], fn: TeamBody<O, T>) {
  return teamAction(input, (e, parsed) => teamForInterview(e.db, e.ctx.locals, parsed.interviewId, roles), fn);
}

/** Org-wide settings (templates, rejection reasons, offer approval) of the organization `org`. */
export function orgTeamAction<O extends { org: string }, I, T>(input: z.ZodType<O, I>, roles: readonly MemberRole[], fn: TeamBody<O, T>) {
  return teamAction(input, (e, parsed) => teamForOrg(e.db, e.ctx.locals, parsed.org, roles), fn);
}
