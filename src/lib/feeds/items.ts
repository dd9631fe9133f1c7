/**
 * One bad item never takes a whole feed down: each item is built on its own, and
 * one that throws is logged, left out and counted (in the feed, as an XML comment,
 * and here, for the process's lifetime).
 */
const skippedByFeed = new Map<string, number>();

/** Items left out of each feed since the process started (feed name → count). */
export function skippedFeedItems(): Record<string, number> {
  return Object.fromEntries(skippedByFeed);
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
      skippedByFeed.set(feed, (skippedByFeed.get(feed) ?? 0) + 1);
      console.error(`[feeds] ${feed}: left out ${idOf(item)}:`, err instanceof Error ? err.message : err);
      continue;
    }
    tally.included++;
    out.push(built);
  }
  return out;
}

/** The XML comment a feed ends with when items were left out ('' when none were). */
export function skippedComment(tally: ItemTally, noun: [one: string, many: string]): string {
  if (!tally.skipped) return '';
  return `<!-- ${tally.skipped} ${tally.skipped === 1 ? noun[0] : noun[1]} left out because ${tally.skipped === 1 ? 'it' : 'they'} could not be rendered. -->\n`;
}
