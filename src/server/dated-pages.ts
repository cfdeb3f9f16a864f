// The pages that say what is open today, as of the request: the static file
// as built, with each dated part's variant for this instant kept and the others
// dropped, today's date written in, and the feed's items published by now
// (src/domain/dated.ts has the markup). No JavaScript reaches the browser and
// nothing is rebuilt. functions/[[path]].ts hands over only the pages that
// need it: dist/_routes.json lists them (written by the build), every other
// file is served by Pages directly. A rendered page is kept by the isolate and
// in the data centre's cache (Cache API) until its span ends, so a page is
// rewritten about once per span and data centre.
import { DATED_TAG, hiddenName, ID_ATTRIBUTES, TODAY_ATTR, variantHolds } from '../domain/dated';
import { CHINA_OFFSET_MINUTES, localDate } from '../domain/phase';
import { zhCNSite } from '../i18n/zh-CN/site';
import { clock } from './clock';
import type { Bindings } from './env';
import { PAGE_HEADERS } from './page-headers';

export interface DatedPagesEnv extends Pick<Bindings, 'KAOPING_NOW' | 'ENVIRONMENT'> {
  ASSETS: Pick<Fetcher, 'fetch'>;
}

/** Revalidated on every visit, answered 304 while the page reads the same (the ETag is of what is sent). */
const CACHE_CONTROL = 'public, max-age=0, must-revalidate';
const FEED = '/feed.xml';

/** A page as sent, kept by the isolate for as long as it holds. */
interface Sent {
  /** The stored file's ETag: a new deployment or build replaces the page. */
  file: string;
  body: string;
  etag: string;
  headers: Headers;
  /** From its rendering to its next variant boundary or midnight (today's date), it reads the same. */
  from: number;
  until: number;
}
const sent = new Map<string, Sent>();
/** What a fresh isolate starts with (tests). */
export const forgetHeldPages = () => sent.clear();

/** What runs after the answer is sent (the Function's `waitUntil`), and the shared cache, when there is one. */
export interface DatedPagesContext {
  waitUntil?: (p: Promise<unknown>) => void;
  /** The data centre's cache (Cache API), shared by its isolates; tests pass their own. */
  cache?: Cache;
}

export async function serveDatedPage(
  request: Request,
  env: DatedPagesEnv,
  ctx: DatedPagesContext = {},
): Promise<Response> {
  const path = new URL(request.url).pathname;
  const now = clock(env)();
  const t = now.getTime();
  const held = sent.get(path);
  const current = held && held.from <= t && t < held.until ? held : undefined;
  // The stored file, whatever the browser holds (its validators are of a day's page, not of the file);
  // asked conditionally when this isolate holds the page for now, so an unchanged file costs no body.
  const headers = withoutValidators(request.headers);
  if (current) headers.set('if-none-match', current.file);
  const asset = await env.ASSETS.fetch(new Request(request.url, { method: request.method, headers }));
  if (request.method !== 'GET') return asset;
  let page = current && asset.status === 304 ? current : undefined;
  if (!page) {
    if (asset.status !== 200) return asset;
    const key = sharedKey(request.url, asset, now);
    page = key && ctx.cache ? await fromShared(ctx.cache, key, t, asset.headers.get('etag') ?? '') : undefined;
    if (!page) {
      page = await render(asset, path, now);
      if (!page) return asset;
      if (key && ctx.cache) ctx.waitUntil?.(toShared(ctx.cache, key, page, t));
    } else await asset.body?.cancel();
    sent.set(path, page);
  }
  if (matches(request.headers.get('if-none-match'), page.etag))
    return new Response(null, { status: 304, headers: page.headers });
  return new Response(page.body, { status: 200, headers: page.headers });
}

/**
 * A page's key in the shared cache: its path, the stored file's ETag (a new
 * deployment is a new key) and the day. Several spans in one day (an instrument
 * closing at 18:00) share the key; the entry says which span it holds. None for
 * the feed (filtered anew each time) or a file without an ETag.
 */
function sharedKey(url: string, asset: Response, now: Date): Request | undefined {
  const file = asset.headers.get('etag');
  if (!file || !(asset.headers.get('content-type') ?? '').startsWith('text/html')) return undefined;
  const u = new URL(url);
  const key = new URL(`/__dated${u.pathname}`, u.origin);
  key.searchParams.set('file', file);
  key.searchParams.set('day', localDate(now));
  return new Request(key);
}

const FROM = 'x-kp-from';
const UNTIL = 'x-kp-until';

async function fromShared(cache: Cache, key: Request, t: number, file: string): Promise<Sent | undefined> {
  const hit = await cache.match(key);
  if (!hit) return undefined;
  const from = Number(hit.headers.get(FROM));
  const until = Number(hit.headers.get(UNTIL));
  if (!(from <= t && t < until)) {
    await hit.body?.cancel();
    return undefined;
  }
  const headers = new Headers(hit.headers);
  for (const h of [FROM, UNTIL]) headers.delete(h);
  headers.set('cache-control', CACHE_CONTROL);
  return { file, body: await hit.text(), etag: headers.get('etag') ?? '', headers, from, until };
}

/** Kept by the cache until the span ends (at most a day: the key holds the day). */
function toShared(cache: Cache, key: Request, page: Sent, t: number): Promise<void> {
  const headers = new Headers(page.headers);
  headers.set(FROM, String(page.from));
  headers.set(UNTIL, String(page.until));
  headers.set('cache-control', `public, max-age=${Math.max(1, Math.ceil((page.until - t) / 1000))}`);
  return cache.put(key, new Response(page.body, { headers })).catch(() => undefined);
}

/** The file as of `now`; undefined for a file that is neither a page nor the feed. */
async function render(asset: Response, path: string, now: Date): Promise<Sent | undefined> {
  const type = asset.headers.get('content-type') ?? '';
  const span = { from: now.getTime(), until: nextMidnight(now) };
  let body: string;
  if (type.startsWith('text/html')) body = await asOf(now, span).transform(asset).text();
  else if (path === FEED) {
    body = feedAsOf(await asset.text(), now);
    span.until = span.from; // a few kilobytes of text: filtered anew each time rather than tracking its dates
  } else return undefined;
  const headers = new Headers(asset.headers);
  const etag = `"${await digest(body)}"`;
  headers.delete('content-length');
  headers.set('etag', etag);
  headers.set('cache-control', CACHE_CONTROL);
  // `_headers` does not reach what a Function answers.
  for (const [name, value] of Object.entries(PAGE_HEADERS)) headers.set(name, value);
  return { file: asset.headers.get('etag') ?? '', body, etag, headers, ...span };
}

/** The instant today ends in China: today's date changes there. */
function nextMidnight(now: Date): number {
  return Date.parse(`${localDate(now)}T00:00:00Z`) - CHINA_OFFSET_MINUTES * 60_000 + 86_400_000;
}

/**
 * The rewriter of one instant: the variant that holds, unwrapped, the rest
 * gone, today's date written in; `span` narrowed to the boundaries it passes.
 */
function asOf(now: Date, span: { until: number }): HTMLRewriter {
  const t = now.getTime();
  const today = localDate(now);
  const narrow = (iso: string | null) => {
    const at = iso ? Date.parse(iso) : Number.NaN;
    if (at > t && at < span.until) span.until = at;
  };
  const rewriter = new HTMLRewriter()
    .on(DATED_TAG, {
      element(el) {
        const from = el.getAttribute('data-from');
        const until = el.getAttribute('data-until');
        narrow(from);
        narrow(until);
        if (variantHolds(from, until, t)) el.removeAndKeepContent();
        else el.remove();
      },
    })
    .on(`time[${TODAY_ATTR}]`, {
      element(el) {
        el.setAttribute('datetime', today);
        el.setInnerContent(zhCNSite.portal.format.date(today));
      },
    });
  // Only the kept variant's elements are still in the output: give them back their ids.
  for (const name of ID_ATTRIBUTES) {
    const hidden = hiddenName(name);
    rewriter.on(`[${hidden}]`, {
      element(el) {
        el.setAttribute(name, el.getAttribute(hidden) ?? '');
        el.removeAttribute(hidden);
      },
    });
  }
  return rewriter;
}

const ITEM = /<item>[\s\S]*?<\/item>/g;

/** The feed without the items dated after now (a summary's publicity that has not begun). */
export function feedAsOf(xml: string, now: Date): string {
  return xml.replace(ITEM, (item) => {
    const date = /<pubDate>([^<]+)<\/pubDate>/.exec(item)?.[1];
    return date && Date.parse(date) > now.getTime() ? '' : item;
  });
}

function withoutValidators(h: Headers): Headers {
  const out = new Headers(h);
  out.delete('if-none-match');
  out.delete('if-modified-since');
  return out;
}

async function digest(body: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)));
  return [...hash.slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** If-None-Match against our tag, weak or strong alike (RFC 9110 §13.1.2: weak comparison). */
function matches(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
