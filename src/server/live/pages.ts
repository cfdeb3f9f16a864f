// Static pages with live sections. The pages under /units/, /results/,
// /rectification/ and /messages/answered/ are built by Astro with
// placeholders (`<div data-live="…">`, a static fallback inside); this app
// serves the built page and fills each placeholder with server-rendered HTML
// from D1 (HTMLRewriter, streaming), so the public sees console changes
// without a rebuild and without JavaScript. /feed.xml gets the live items.
// If D1 cannot be read, the page goes out with its fallback.

import type { Context } from 'hono';
import { Hono } from 'hono';
import { localDate } from '../../domain/phase';
import { type AppOptions, appVariables } from '../app';
import { serveDatedPage } from '../dated-pages';
import type { AppEnv } from '../env';
import { liveAnswered, liveDecisions, liveLedger, liveStats } from './data';
import { liveFeedItems, mergeFeed } from './feed';
import { appraisalMeetings } from './meetings';
import {
  answeredList,
  answeredQuery,
  ledgerSummary,
  resultObjections,
  unitLedger,
  unitMessages,
  unitReportLedger,
} from './render';

type Ctx = Context<AppEnv>;

/** Each placeholder's renderer, by its data-live name. */
const sections: Record<string, (c: Ctx, attr: (name: string) => string) => Promise<string>> = {
  'unit-ledger': async (c, attr) =>
    String(await unitLedger(c.get('catalog'), attr('unit'), await liveLedger(c), localDate(c.get('now')()))),
  'unit-report-ledger': async (c, attr) =>
    String(
      await unitReportLedger(
        c.get('catalog'),
        attr('unit'),
        attr('appraisal'),
        await liveLedger(c, attr('appraisal')),
        localDate(c.get('now')()),
      ),
    ),
  'unit-messages': async (c, attr) =>
    String(
      await unitMessages(c.get('catalog'), attr('unit'), attr('appraisal'), await liveStats(c, attr('appraisal'))),
    ),
  'result-objections': async (c, attr) =>
    String(
      await resultObjections(
        c.get('catalog'),
        attr('appraisal'),
        await liveDecisions(c, attr('appraisal')),
        localDate(c.get('now')()),
      ),
    ),
  'ledger-summary': async (c) =>
    String(await ledgerSummary(c.get('catalog'), await liveLedger(c), localDate(c.get('now')()))),
  'appraisal-meetings': (c, attr) => appraisalMeetings(c, attr('appraisal')),
  'answered-list': async (c) =>
    String(
      await answeredList(c.get('catalog'), await liveAnswered(c), answeredQuery(c.get('catalog'), new URL(c.req.url))),
    ),
};

/**
 * The built files, through the dated-pages step: a page that says what is open
 * today is made right for today (src/server/dated-pages.ts) before its live
 * sections are filled, and the feed loses the items not yet due.
 */
function assets(c: Ctx): Pick<Fetcher, 'fetch'> {
  const files = c.env.ASSETS;
  if (!files) throw new Error('ASSETS binding missing: live pages run as Pages Functions');
  return { fetch: (req: Request) => serveDatedPage(req, { ...c.env, ASSETS: files }) } as Pick<Fetcher, 'fetch'>;
}

/** The rewritten page is built per request: no validator of the static file applies to it. */
function livePageHeaders(from: Headers): Headers {
  const h = new Headers(from);
  for (const k of ['etag', 'last-modified', 'content-length']) h.delete(k);
  h.set('cache-control', 'no-cache');
  return h;
}

async function livePage(c: Ctx) {
  const page = await assets(c).fetch(c.req.raw);
  if (page.status !== 200 || !(page.headers.get('content-type') ?? '').includes('text/html')) return page;
  const rewritten = new HTMLRewriter()
    .on('[data-live]', {
      async element(el) {
        const render = sections[el.getAttribute('data-live') ?? ''];
        if (!render) return;
        try {
          el.setInnerContent(await render(c, (name) => el.getAttribute(`data-${name}`) ?? ''), { html: true });
          el.setAttribute('data-live-state', 'ok');
        } catch (e) {
          // The static fallback stays: a page never fails because its live part could not be read.
          console.error(`[live] ${el.getAttribute('data-live')}: ${(e as Error).message}`);
          el.setAttribute('data-live-state', 'unavailable');
        }
      },
    })
    .transform(page);
  return new Response(rewritten.body, { status: 200, headers: livePageHeaders(page.headers) });
}

async function feed(c: Ctx) {
  const page = await assets(c).fetch(new Request(new URL('/feed.xml', c.req.url), { headers: c.req.raw.headers }));
  if (page.status !== 200) return page;
  const origin = c.env.PUBLIC_ORIGIN || new URL(c.req.url).origin;
  let text = await page.text();
  try {
    const [decisions, ledger, answered] = await Promise.all([liveDecisions(c), liveLedger(c), liveAnswered(c)]);
    text = mergeFeed(
      text,
      liveFeedItems(c.get('catalog'), (p) => new URL(p, origin).href, { decisions, ledger, answered }),
    );
  } catch (e) {
    console.error(`[live] feed: ${(e as Error).message}`);
  }
  return new Response(text, { status: 200, headers: livePageHeaders(page.headers) });
}

export function createLivePages(options: AppOptions = {}) {
  const app = new Hono<AppEnv>();
  app.use('*', appVariables(options));
  app.get('/feed.xml', feed);
  app.get('*', livePage);
  app.all('*', (c) => assets(c).fetch(c.req.raw));
  return app;
}

export const livePages = createLivePages();
