import type { APIRoute } from 'astro';
import { env } from '#lib/env';
import { indeedFeed } from '#lib/feeds/indeed';
import { iterateOpenJobs } from '#lib/feeds/queries';
import { feedUnavailable } from '#lib/feeds/http';
import { getRuntime } from '#lib/runtime';
import { errInfo, log } from '#lib/log';

/**
 * GET /feeds/jobs.xml: every open job for aggregators (Indeed's XML format),
 * streamed page by page so memory stays flat however many jobs there are.
 * Capped at 50,000 jobs.
 *
 * One job that cannot be rendered is left out (indeedFeed logs and counts it).
 * The header and first page are built before answering, so a failure there is a
 * 503 that says "no-store". Once the 200 is sent, a later failure (the database
 * going away mid-stream) errors the stream: the connection is cut before the
 * chunked body's end, so no client or cache takes the partial feed for a whole one.
 */
const MAX_JOBS = 50_000;

export const GET: APIRoute = async () => {
  const site = env().PUBLIC_SITE_URL;
  let chunks: AsyncGenerator<string, void, undefined>;
  let first: IteratorResult<string, void>;
  try {
    chunks = indeedFeed(iterateOpenJobs((await getRuntime()).db, { pageSize: 500, max: MAX_JOBS }), {
      site,
      publisher: 'PHP/IOP Jobs',
      lastBuildDate: new Date(),
    });
    first = await chunks.next();
  } catch (err) {
    return feedUnavailable('The jobs feed', err);
  }
  const encoder = new TextEncoder();
  let pending: IteratorResult<string, void> | undefined = first;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = pending ?? (await chunks.next());
        pending = undefined;
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        log.error({ err: errInfo(err) }, 'feeds: jobs.xml failed mid-stream');
        controller.error(err);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'public, max-age=900' },
  });
};
