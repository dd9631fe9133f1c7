import type { APIRoute } from 'astro';
import { env } from '../../lib/env';
import { indeedHeader, indeedJob, INDEED_FOOTER } from '../../lib/feeds/indeed';
import { iterateOpenJobs, type FeedJob } from '../../lib/feeds/queries';
import { feedUnavailable } from '../../lib/feeds/http';
import { renderUntrustedMarkdown } from '../../lib/markdown';
import { getRuntime } from '../../lib/runtime';

/**
 * GET /feeds/jobs.xml: every open job for aggregators (Indeed's XML format),
 * streamed page by page so memory stays flat however many jobs there are.
 * Capped at 50,000 jobs.
 */
const MAX_JOBS = 50_000;

export const GET: APIRoute = async () => {
  const site = env().PUBLIC_SITE_URL;
  let pages: ReturnType<typeof iterateOpenJobs>;
  let first: IteratorResult<FeedJob[]>;
  try {
    pages = iterateOpenJobs((await getRuntime()).db, { pageSize: 500, max: MAX_JOBS });
    // Read the first page before answering, so a database failure is a 503, not a truncated 200.
    first = await pages.next();
  } catch (err) {
    return feedUnavailable('The jobs feed', err);
  }
  const encoder = new TextEncoder();
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(indeedHeader({ publisher: 'PHP/IOP Jobs', publisherUrl: site, lastBuildDate: new Date() })));
          if (!first.done) controller.enqueue(encoder.encode(first.value.map((j) => indeedJob(j, site, renderUntrustedMarkdown(j.descriptionMd))).join('')));
          if (first.done) {
            controller.enqueue(encoder.encode(INDEED_FOOTER));
            controller.close();
          }
          return;
        }
        const next = await pages.next();
        if (next.done) {
          controller.enqueue(encoder.encode(INDEED_FOOTER));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map((j) => indeedJob(j, site, renderUntrustedMarkdown(j.descriptionMd))).join('')));
      } catch (err) {
        console.error('[feeds] jobs.xml failed mid-stream:', err);
        controller.error(err);
      }
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=900' },
  });
};
