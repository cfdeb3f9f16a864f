// The feed's items that live in D1: decisions made public, ledger items (a new
// guid whenever one changes, so progress shows up as news) and published
// answers. They join the static feed's notices and results in /feed.xml.
import type { RuntimeCatalog } from '../../domain/catalog';
import type { PublicMessage } from '../../domain/schemas/message';
import type { PublicDecision } from '../../domain/schemas/objection';
import type { RectificationItem } from '../../domain/schemas/rectification';
import { t } from '../../i18n';
import { subjectName } from '../routes/observe/live';

const f = t.followUp;

/** How many live items the feed carries, newest first. */
export const FEED_LIVE_ITEMS = 50;

export interface FeedItem {
  title: string;
  link: string;
  guid: string;
  pubDate: Date;
  description: string;
  category: string;
}

const xml = (s: string) =>
  s.replace(/[<>&'"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[ch] ?? ch);

/** Dates in China's calendar are published at 08:00 there, like the static feed's. */
const at8 = (day: string) => new Date(`${day}T08:00:00+08:00`);
const excerpt = (s: string, n = 140) => (s.length > n ? `${s.slice(0, n)}…` : s);

export function liveFeedItems(
  catalog: RuntimeCatalog,
  url: (path: string) => string,
  data: { decisions: PublicDecision[]; ledger: RectificationItem[]; answered: PublicMessage[] },
): FeedItem[] {
  const unit = (id: string | null) => (id ? (catalog.units.find((u) => u.id === id)?.name ?? id) : '');
  const items: FeedItem[] = [
    ...data.decisions.map((d) => ({
      title: `${f.objections.publicTitle}: ${subjectName(catalog, d.subject)} · ${d.matter} (${f.objections.decisions[d.decision]})`,
      link: url(`/results/${d.appraisal}/#decision-${d.id}`),
      guid: `objection-${d.id}`,
      pubDate: at8(d.answeredOn),
      description: excerpt(d.reasons),
      category: f.objections.title,
    })),
    ...data.ledger.map((i) => ({
      title: `${f.rectification.title}: ${unit(i.unit)} · ${excerpt(i.problem, 40)} (${f.rectification.status[i.status]})`,
      link: url(`/units/${i.unit}/#ledger-${i.id}`),
      guid: `rectification-${i.id}-${i.updatedAt}`,
      pubDate: new Date(i.updatedAt),
      description: excerpt(`${i.measure}${i.evidence ? ` ${i.evidence}` : ''}`),
      category: f.rectification.title,
    })),
    ...data.answered.map((m) => ({
      title: `${f.answered.title}: ${m.unit ? unit(m.unit) : f.answered.aboutAppraisal} · ${f.answered.topics[m.topic]}`,
      link: url(`/messages/answered/#m-${m.id}`),
      guid: `message-${m.id}`,
      pubDate: at8(m.repliedOn),
      description: excerpt(m.reply),
      category: f.answered.title,
    })),
  ];
  return items.sort((a, b) => b.pubDate.getTime() - a.pubDate.getTime()).slice(0, FEED_LIVE_ITEMS);
}

export function itemXml(i: FeedItem): string {
  return `<item><title>${xml(i.title)}</title><link>${xml(i.link)}</link><guid isPermaLink="false">${xml(i.guid)}</guid><description>${xml(i.description)}</description><pubDate>${i.pubDate.toUTCString()}</pubDate><category>${xml(i.category)}</category></item>`;
}

/**
 * The static feed with the live items: all items merged newest first (the
 * static ones kept byte for byte), in front of the channel's end.
 */
export function mergeFeed(staticXml: string, live: FeedItem[]): string {
  const start = staticXml.indexOf('<item>');
  const end = staticXml.lastIndexOf('</channel>');
  if (end < 0) return staticXml;
  const head = staticXml.slice(0, start < 0 ? end : start);
  const existing = start < 0 ? [] : (staticXml.slice(start, end).match(/<item>[\s\S]*?<\/item>/g) ?? []);
  const dated = [
    ...existing.map((x) => ({ x, at: Date.parse(/<pubDate>([^<]*)<\/pubDate>/.exec(x)?.[1] ?? '') || 0 })),
    ...live.map((i) => ({ x: itemXml(i), at: i.pubDate.getTime() })),
  ].sort((a, b) => b.at - a.at);
  return `${head}${dated.map((d) => d.x).join('')}${staticXml.slice(end)}`;
}
