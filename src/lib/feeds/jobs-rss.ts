import type { JobHit } from '#lib/search/types';
import { formatPay, programLabel, roleName, settingLabel } from '#lib/domain/format';
import { paths } from '#lib/paths';
import type { RssItem } from './rss';
import { withSource } from '#lib/domain/sources';

/** One job as an RSS item: title with employer and place, a one-line summary, the role as category. */
export function jobRssItem(hit: JobHit, site: string): RssItem {
  const url = new URL(paths.job(hit.slug), site).toString();
  const summary = [
    `${hit.organization} · ${hit.city}, ${hit.state}`,
    `${roleName(hit.role)} · ${programLabel(hit.program)} · ${settingLabel(hit.setting)}`,
    formatPay(hit.payMin, hit.payMax, hit.payPeriod),
    hit.credentials.length ? `Accepts ${hit.credentials.join(', ')}` : '',
  ].filter(Boolean);
  return {
    title: `${hit.title} at ${hit.organization} (${hit.city}, ${hit.state})`,
    link: withSource(url, 'rss'),
    guid: url,
    pubDate: new Date(hit.postedAt),
    description: `${summary.join('. ')}.`,
    categories: [roleName(hit.role), programLabel(hit.program), ...hit.credentials],
  };
}
