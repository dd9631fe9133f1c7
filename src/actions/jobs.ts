import { defineAction } from 'astro:actions';
import type { z } from 'zod';
import { JOB_EDITORS } from '#lib/domain/roles';
import { jobFormSchema, jobRefSchema, previewSchema, renewSchema } from '#lib/jobs/schema';
import { closeJob, createJob, duplicateJob, publishJob, renewJob, updateJob, type JobActor } from '#lib/jobs/service';
import { invalid } from '#lib/shared/errors';
import { renderUntrustedMarkdown, UnrenderableMarkdownError } from '#lib/markdown';
import { memberAction, run, userOf, type ActionEnv } from './_shared';

/**
 * Postings: every change goes through src/lib/jobs/service.ts (its commit wakes the search worker).
 * Only the job editors of the form's `org` act; every result carries the organization's slug for the redirect.
 */
type Editor = JobActor & { orgSlug: string };

function editorAction<O extends { org: string }, I, R extends object>(input: z.ZodType<O, I>, fn: (e: ActionEnv, actor: Editor, input: O) => Promise<R>) {
  return memberAction(input, JOB_EDITORS, async (e, m, parsed) => {
    const actor: Editor = { userId: m.userId, orgId: m.orgId, role: m.role, emailVerified: m.user.emailVerified, orgSlug: m.orgSlug };
    return { ...(await fn(e, actor, parsed)), orgSlug: actor.orgSlug };
  });
}

export const jobs = {
  /** The posting form: create or update, and publish when the "Publish" button was used. */
  save: editorAction(jobFormSchema, async ({ db }, actor, { org: _org, jobId, version, intent, ...input }) => {
    if (!jobId) return createJob(db, actor, input, { publish: intent === 'publish' });
    const r = await updateJob(db, actor, jobId, input, { version });
    return intent === 'publish' && r.status === 'draft' ? publishJob(db, actor, jobId) : r;
  }),
  publish: editorAction(jobRefSchema, ({ db }, actor, input) => publishJob(db, actor, input.jobId)),
  close: editorAction(jobRefSchema, ({ db }, actor, input) => closeJob(db, actor, input.jobId)),
  renew: editorAction(renewSchema, ({ db }, actor, input) => renewJob(db, actor, input.jobId, { validThrough: input.validThrough })),
  duplicate: editorAction(jobRefSchema, ({ db }, actor, input) => duplicateJob(db, actor, input.jobId)),

  /**
   * Live preview of the description: the same renderer and sanitizer the posting
   * page uses. Text it will not render (nested too deeply) is a 400 whose message
   * is the one saving would give.
   */
  preview: defineAction({
    input: previewSchema,
    handler: (input, ctx) =>
      run(ctx, async () => {
        userOf(ctx);
        try {
          return { html: renderUntrustedMarkdown(input.markdown) };
        } catch (err) {
          if (err instanceof UnrenderableMarkdownError) throw invalid(err.message);
          throw err;
        }
      }),
  }),
};
