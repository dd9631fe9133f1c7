import { buildEach, newTally, skippedComment, type ItemTally } from './items';
import { XML_DECLARATION, el, escapeXml, rfc822 } from './xml';

/** RSS 2.0, built as a string (feeds here are at most a few dozen items). */
export interface RssChannel {
  title: string;
  /** Absolute URL of the HTML page the feed mirrors. */
  link: string;
  /** Absolute URL of this feed (atom:link rel="self"). */
  self: string;
  description: string;
  lastBuildDate: Date;
  /** Minutes a reader may cache the feed. */
  ttl?: number;
}

export interface RssItem {
  title: string;
  link: string;
  /** Permanent identifier; the job URL. */
  guid: string;
  pubDate: Date;
  description: string;
  categories?: string[];
}

/** `tally`: pass the one used while building the items, so the closing comment counts both. */
export function renderRss(channel: RssChannel, items: RssItem[], tally: ItemTally = newTally()): string {
  const out: string[] = [
    XML_DECLARATION,
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    el('title', channel.title),
    el('link', channel.link),
    `<atom:link href="${escapeXml(channel.self)}" rel="self" type="application/rss+xml"/>`,
    el('description', channel.description),
    el('language', 'en-us'),
    el('lastBuildDate', rfc822(channel.lastBuildDate)),
    el('ttl', channel.ttl ?? 60),
  ];
  // An item that cannot be written (say, an invalid date) is left out and counted, not the whole feed.
  const entries = buildEach(
    'rss',
    items,
    (it) => it.guid,
    (it) =>
      [
        '<item>',
        el('title', it.title),
        el('link', it.link),
        `<guid isPermaLink="true">${escapeXml(it.guid)}</guid>`,
        el('pubDate', rfc822(it.pubDate)),
        el('description', it.description),
        ...(it.categories ?? []).map((c) => el('category', c)),
        '</item>',
      ].join('\n'),
    tally,
  );
  out.push(...entries, `${skippedComment(tally, ['item', 'items'])}</channel>`, '</rss>', '');
  return out.join('\n');
}
