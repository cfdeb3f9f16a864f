// RSS 2.0 feed of notices and results, newest first.
import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { t } from '../i18n';
import { loadSite } from '../lib/site/content';
import { noticeHref, resultsHref } from '../lib/site/urls';

// Dates in the content are China's calendar days: publish them at 08:00 there.
const pubDate = (iso: string) => new Date(`${iso}T08:00:00+08:00`);

export const GET: APIRoute = async ({ site }) => {
  const m = await loadSite();
  const f = t.portal.feed;
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
        description: a.summary,
        categories: [t.portal.nav.results],
      })),
    ...m.results.map((r) => ({
      title: f.result(r.title),
      link: resultsHref(r.appraisal),
      pubDate: pubDate(r.publishedOn),
      description: r.note,
      categories: [t.portal.nav.results],
    })),
  ].sort((a, b) => b.pubDate.getTime() - a.pubDate.getTime());
  const origin = site ?? new URL('http://127.0.0.1:8788');
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
