import { defineAction } from 'astro:actions';
import { JOB_EDITORS } from '#lib/domain/roles';
import { jobFormSchema, jobRefSchema, previewSchema, renewSchema } from '#lib/jobs/schema';
import { closeJob, createJob, duplicateJob, publishJob, renewJob, updateJob, type JobActor } from '#lib/jobs/service';
import { invalid } from '#lib/shared/errors';
import { renderUntrustedMarkdown, UnrenderableMarkdownError } from '#lib/markdown';
import { memberOf, run, userOf, type ActionEnv } from './_shared';

/** Postings: every change goes through src/lib/jobs/service.ts (its commit wakes the search worker). */
async function editor(e: ActionEnv, org: string): Promise<JobActor & { orgSlug: string }> {
  const m = await memberOf(e, org, JOB_EDITORS);
  return { userId: m.userId, orgId: m.orgId, role: m.role, emailVerified: m.user.emailVerified, orgSlug: m.orgSlug };
}

export const jobs = {
  /** The posting form: create or update, and publish when the "Publish" button was used. */
  save: defineAction({
    accept: 'form',
    input: jobFormSchema,
    handler: ({ org, jobId, version, intent, ...input }, ctx) =>
      run(ctx, async (e) => {
        const actor = await editor(e, org);
        let r: Awaited<ReturnType<typeof updateJob>>;
        if (jobId) {
          r = await updateJob(e.db, actor, jobId, input, { version });
          if (intent === 'publish' && r.status === 'draft') r = await publishJob(e.db, actor, jobId);
        } else {
          r = await createJob(e.db, actor, input, { publish: intent === 'publish' });
        }
        return { ...r, orgSlug: actor.orgSlug };
      }),
  }),

  publish: defineAction({
    accept: 'form',
    input: jobRefSchema,
    handler: (input, ctx) =>
      run(ctx, async (e) => {
        const actor = await editor(e, input.org);
        const r = await publishJob(e.db, actor, input.jobId);
        return { ...r, orgSlug: actor.orgSlug };
      }),
  }),

  close: defineAction({
    accept: 'form',
    input: jobRefSchema,
    handler: (input, ctx) =>
      run(ctx, async (e) => {
        const actor = await editor(e, input.org);
        const r = await closeJob(e.db, actor, input.jobId);
        return { ...r, orgSlug: actor.orgSlug };
      }),
  }),

  renew: defineAction({
    accept: 'form',
    input: renewSchema,
    handler: (input, ctx) =>
      run(ctx, async (e) => {
        const actor = await editor(e, input.org);
        const r = await renewJob(e.db, actor, input.jobId, { validThrough: input.validThrough });
        return { ...r, orgSlug: actor.orgSlug };
      }),
  }),

  duplicate: defineAction({
    accept: 'form',
    input: jobRefSchema,
    handler: (input, ctx) =>
      run(ctx, async (e) => {
        const actor = await editor(e, input.org);
        const r = await duplicateJob(e.db, actor, input.jobId);
        return { ...r, orgSlug: actor.orgSlug };
      }),
  }),

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
