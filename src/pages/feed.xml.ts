// RSS 2.0 feed of notices, work summaries, statistics and results, newest first.

import { getEntry } from 'astro:content';
import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { cellText } from '../domain/public-tally';
import { t } from '../i18n';
import { loadSite } from '../lib/site/content';
import { noticeHref, resultsHref, unitHref } from '../lib/site/urls';

// Dates in the content are China's calendar days: publish them at 08:00 there.
const pubDate = (iso: string) => new Date(`${iso}T08:00:00+08:00`);

/** A summary's first paragraph as plain text, cut at 200 characters. */
const lead = (markdown: string) => {
  const first = markdown.split(/\n\s*\n/).find((p) => p.trim() && !/^\s*(#|\||[-*]\s|>)/.test(p)) ?? '';
  const text = first
    .replace(/[*_`[\]]/g, '')
    .replace(/\(https?:[^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
};

export const GET: APIRoute = async ({ site }) => {
  const m = await loadSite();
  const f = t.portal.feed;
  const origin = site ?? new URL('http://127.0.0.1:8788');
  // A work summary from the first day of its publicity (the feed's Function drops items not yet due).
  const summaries = await Promise.all(
    m.data.summaries
      .filter((x) => x.data.kind === 'work-summary')
      .map(async (x) => ({
        title: f.summary(x.data.title),
        // Absolute, so the feed library leaves it as is (it would add a slash after the #fragment).
        link: new URL(`${unitHref(x.data.unit)}#${x.id}`, origin).href,
        pubDate: pubDate(x.data.publicity.start),
        description: lead((await getEntry('summaries', x.id))?.body ?? ''),
        categories: [t.portal.nav.units],
      })),
  );
  // One tally, two sources (issue 19): each instrument with paper ballots says online / paper / total, as published
  // (a suppressed figure reads "<k").
  const sourceLines = (appraisal: string) =>
    (m.snapshotOf(appraisal)?.instruments ?? [])
      .filter((i) => i.sources.paper.responses.count !== 0)
      .map((i) =>
        f.sources(
          i.title,
          cellText(i.sources.online.responses, i.minCell),
          cellText(i.sources.paper.responses, i.minCell),
          cellText(i.responses, i.minCell),
        ),
      );
  const items = [
    ...m.appraisals.map((a) => ({
      title: f.notice(a.title),
      link: noticeHref(a.id),
      pubDate: pubDate(a.phases.notice.start),
      description: a.summary,
      categories: [t.portal.nav.notices],
    })),
    // Tallies published before the result have their own page; once the result is out, its item covers both.
    ...m.withResults
      .filter((a) => !m.resultOf(a.id))
      .map((a) => ({
        title: t.portal.results.talliesTitle(a.title),
        link: resultsHref(a.id),
        pubDate: new Date(m.snapshotOf(a.id)!.takenAt),
        description: [f.tallies(a.title, m.snapshotOf(a.id)!.takenAt), ...sourceLines(a.id)].join(' '),
        categories: [t.portal.nav.results],
      })),
    ...summaries,
    ...m.results.map((r) => ({
      title: f.result(r.title),
      link: resultsHref(r.appraisal),
      pubDate: pubDate(r.publishedOn),
      description: [r.note, ...sourceLines(r.appraisal)].filter(Boolean).join(' '),
      categories: [t.portal.nav.results],
    })),
  ].sort((a, b) => b.pubDate.getTime() - a.pubDate.getTime());
  return rss({
    title: f.title,
    description: f.description,
    site: origin,
    items,
    xmlns: { atom: 'http://www.w3.org/2005/Atom' },
    // A feed names its own address (RSS Advisory Board; the W3C validator warns without it).
    customData: `<language>${t.portal.lang}</language><atom:link href="${new URL('/feed.xml', origin)}" rel="self" type="application/rss+xml"/>`,
    trailingSlash: true,
  });
};
