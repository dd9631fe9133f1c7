import { errInfo, log } from '#lib/log';
import { metrics } from '#lib/metrics';

/**
 * One bad item never takes a whole feed down: each item is built on its own, and
 * one that throws is logged, left out and counted (in the feed, as an XML comment,
 * and in the `feed_items_skipped_total{feed}` metric operators scrape).
 */

/** Items left out of each feed since the process started (feed name → count), read from the metric. */
export async function skippedFeedItems(): Promise<Record<string, number>> {
  const { values } = await metrics.feedItemsSkipped.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.feed), v.value]));
}

export interface ItemTally {
  included: number;
  skipped: number;
}

export const newTally = (): ItemTally => ({ included: 0, skipped: 0 });

/** build(item) for each item; one that throws is logged with `idOf(item)`, skipped and counted in `tally`. */
export function buildEach<T, R>(feed: string, items: Iterable<T>, idOf: (item: T) => string, build: (item: T) => R, tally: ItemTally = newTally()): R[] {
  const out: R[] = [];
  for (const item of items) {
    let built: R;
    try {
      built = build(item);
    } catch (err) {
      tally.skipped++;
      metrics.feedItemsSkipped.inc({ feed });
      log.error({ feed, item: idOf(item), err: errInfo(err) }, 'feed item left out');
      continue;
    }
    tally.included++;
    out.push(built);
  }
  return out;
}

/** The XML comment a feed ends with when items were left out ('' when none were). */
export function skippedComment(tally: ItemTally, noun: readonly [one: string, many: string]): string {
  if (!tally.skipped) return '';
  return `<!-- ${tally.skipped} ${tally.skipped === 1 ? noun[0] : noun[1]} left out because ${tally.skipped === 1 ? 'it' : 'they'} could not be rendered. -->\n`;
}
