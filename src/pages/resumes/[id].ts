import type { APIRoute } from 'astro';
import { isUuid } from '#lib/orgs/queries';
import { paths } from '#lib/paths';
import { attachmentDisposition, resumeForDownload } from '#lib/resumes/service';
import { defaultStore, readResumeFile } from '#lib/resumes/storage';
import { getRuntime } from '#lib/runtime';
import { log } from '#lib/log';

/**
 * A resume download: only its owner and members of an organization that
 * received it with an application. Everyone else — another organization,
 * another candidate, a made-up id — gets the same 404. Always an attachment,
 * never rendered by the browser: nosniff, a sandboxing CSP, no caching.
 */
const notFound = () =>
  new Response('Not found', {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });

export const GET: APIRoute = async ({ params, locals, url, redirect }) => {
  const user = locals.user;
  if (!user) return redirect(paths.signIn(url.pathname), 303);
  const id = params.id ?? '';
  if (!isUuid(id)) return notFound();
  const { db } = await getRuntime();
  const resume = await resumeForDownload(db, user.id, id);
  if (!resume) return notFound();
  const bytes = await readResumeFile(defaultStore(), resume.storageKey);
  if (!bytes) {
    log.error({ resumeId: id }, 'resume file missing');
    return notFound();
  }
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      'content-type': resume.mime,
      'content-length': String(bytes.byteLength),
      'content-disposition': attachmentDisposition(resume.originalName),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    },
  });
};
