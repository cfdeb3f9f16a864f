// The dated pages' Function (src/server/dated-pages.ts) in workerd, with
// HTMLRewriter as in production: of a page's variants only the one whose span
// holds the request's instant is sent, unwrapped, with its ids back; today's
// date is written in; the feed drops what is dated later; an ETag of what is
// sent answers 304; the page headers are set; anything else passes through.
import { describe, expect, it } from 'vitest';
import { type DatedPagesEnv, feedAsOf, forgetHeldPages, serveDatedPage } from '../../src/server/dated-pages';
import { PAGE_HEADERS } from '../../src/server/page-headers';

const PAGE = `<!doctype html><html lang="zh-CN"><head><title>t</title></head><body><main>
<p class="status"><kp-when data-until="2026-12-20T10:00:00.000Z"><strong>征集中</strong></kp-when><kp-when data-from="2026-12-20T10:00:00.000Z" data-until="2026-12-20T16:00:00.000Z" hidden="" data-pagefind-ignore="all"><strong data-kp-id="late">已截止, 今日</strong></kp-when><kp-when data-from="2026-12-20T16:00:00.000Z" hidden="" data-pagefind-ignore="all"><a data-kp-aria-describedby="x" href="/results/">结果</a></kp-when></p>
<p>今天: <time data-today datetime="2026-11-23">2026年11月23日</time></p>
</main></body></html>`;

const FEED = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>f</title><item><title>早</title><pubDate>Mon, 16 Nov 2026 00:00:00 GMT</pubDate></item><item><title>晚</title><pubDate>Tue, 01 Dec 2026 00:00:00 GMT</pubDate></item></channel></rss>`;

/** An asset server holding the page, the feed and a stylesheet, recording what it was asked. */
function assets(page = PAGE, version = '"file"') {
  const asked: Request[] = [];
  const files: Record<string, [string, string]> = {
    '/': [page, 'text/html; charset=utf-8'],
    '/feed.xml': [FEED, 'application/rss+xml; charset=utf-8'],
    '/style.css': ['body{}', 'text/css'],
  };
  return {
    asked,
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = new Request(input, init);
      asked.push(req);
      const path = new URL(req.url).pathname;
      const file = files[path];
      if (!file) return new Response('nope', { status: 404 });
      if (req.headers.get('if-none-match') === version) return new Response(null, { status: 304 });
      return new Response(file[0], { headers: { 'content-type': file[1], etag: version } });
    },
  } satisfies DatedPagesEnv['ASSETS'] & { asked: Request[] };
}

const at = (now: string, a = assets()): DatedPagesEnv => ({ ASSETS: a, KAOPING_NOW: now });
const get = (path: string, headers: HeadersInit = {}) => new Request(`https://kaoping.example${path}`, { headers });

describe('a dated page', () => {
  it('keeps the variant of the instant, unwrapped, and drops the others', async () => {
    const before = await (await serveDatedPage(get('/'), at('2026-12-20T09:59:59Z'))).text();
    expect(before).toContain('<p class="status"><strong>征集中</strong></p>');
    expect(before).not.toContain('kp-when');
    expect(before).not.toContain('已截止');

    // The instant a span starts belongs to it; its hidden ids come back.
    const closing = await (await serveDatedPage(get('/'), at('2026-12-20T10:00:00Z'))).text();
    expect(closing).toContain('<p class="status"><strong id="late">已截止, 今日</strong></p>');
    expect(closing).not.toContain('data-kp-');

    const after = await (await serveDatedPage(get('/'), at('2027-03-01T00:00:00Z'))).text();
    expect(after).toContain('<a href="/results/" aria-describedby="x">结果</a>');
    expect(after).not.toContain('征集中');
  });

  it("writes the request's day, in China, into every <time data-today>", async () => {
    // 16:30 UTC on 12-20 is already the 21st in China.
    const html = await (await serveDatedPage(get('/'), at('2026-12-20T16:30:00Z'))).text();
    expect(html).toContain('今天: <time data-today datetime="2026-12-21">2026年12月21日</time>');
  });

  it('answers 304 to the ETag of what it sent, and a new page once the day turns', async () => {
    const a = assets();
    const first = await serveDatedPage(get('/'), at('2026-12-01T02:00:00Z', a));
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    expect(etag).not.toBe('"file"');
    expect(first.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    const again = await serveDatedPage(get('/', { 'if-none-match': `W/${etag}` }), at('2026-12-01T09:00:00Z', a));
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // The asset server never sees the browser's validators: only the file's own, from the page this isolate holds.
    expect(a.asked.map((r) => r.headers.get('if-none-match'))).toEqual([null, '"file"']);
    const tomorrow = await serveDatedPage(get('/', { 'if-none-match': etag ?? '' }), at('2026-12-02T02:00:00Z', a));
    expect(tomorrow.status).toBe(200);
    expect(tomorrow.headers.get('etag')).not.toBe(etag);
  });

  it('holds a page for its span: an unchanged file is not rewritten again, a new one (a deploy) is', async () => {
    const a = assets();
    const first = await (await serveDatedPage(get('/'), at('2026-12-05T01:00:00Z', a))).text();
    const same = await serveDatedPage(get('/'), at('2026-12-05T08:00:00Z', a));
    expect(a.asked.at(-1)?.headers.get('if-none-match')).toBe('"file"');
    expect(await same.text()).toBe(first);
    const deployed = assets(PAGE.replace('征集中', '征集进行中'), '"file-2"');
    const fresh = await (await serveDatedPage(get('/'), at('2026-12-05T09:00:00Z', deployed))).text();
    expect(fresh).toContain('征集进行中');
    // Past its span (a variant boundary): rendered anew though the file is the same.
    const later = await (await serveDatedPage(get('/'), at('2026-12-20T10:00:00Z', deployed))).text();
    expect(later).toContain('已截止');
  });

  it("shares a rendering through the data centre's cache: another isolate takes it, until its span ends or a deploy", async () => {
    const cache = await caches.open(`dated-${crypto.randomUUID()}`);
    const pending: Promise<unknown>[] = [];
    const ctx = { cache, waitUntil: (p: Promise<unknown>) => pending.push(p) };
    forgetHeldPages();
    const first = await serveDatedPage(get('/'), at('2026-12-06T01:00:00Z'), ctx);
    const body = await first.text();
    await Promise.all(pending);
    // Another isolate, the same file (same ETag) but, to tell them apart, other bytes: the cached page is sent.
    forgetHeldPages();
    const other = assets(PAGE.replace('征集中', '另一份'), '"file"');
    const shared = await serveDatedPage(get('/'), at('2026-12-06T05:00:00Z', other), ctx);
    expect(await shared.text()).toBe(body);
    expect(shared.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(shared.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(shared.headers.get('x-kp-until')).toBeNull();
    for (const [name, value] of Object.entries(PAGE_HEADERS)) expect(shared.headers.get(name), name).toBe(value);
    // The next day, or a new deployment (another ETag): rendered anew.
    forgetHeldPages();
    expect(await (await serveDatedPage(get('/'), at('2026-12-07T01:00:00Z', other), ctx)).text()).toContain('另一份');
    forgetHeldPages();
    const deployed = assets(PAGE.replace('征集中', '新部署'), '"file-3"');
    expect(await (await serveDatedPage(get('/'), at('2026-12-06T06:00:00Z', deployed), ctx)).text()).toContain(
      '新部署',
    );
  });

  it('sends the page headers, which _headers does not add to what a Function answers', async () => {
    const res = await serveDatedPage(get('/'), at('2026-12-01T02:00:00Z'));
    for (const [name, value] of Object.entries(PAGE_HEADERS)) expect(res.headers.get(name), name).toBe(value);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('uses the real clock in production, whatever KAOPING_NOW says', async () => {
    const early = Date.now() < Date.parse('2026-12-20T10:00:00Z');
    // A pinned instant on the other side of the first change from the real one.
    const env = { ...at(early ? '2030-01-01T00:00:00Z' : '2020-01-01T00:00:00Z'), ENVIRONMENT: 'production' };
    const html = await (await serveDatedPage(get('/'), env)).text();
    expect(html.includes('征集中')).toBe(early);
  });
});

describe('the feed', () => {
  it('leaves out the items dated after now', async () => {
    const res = await serveDatedPage(get('/feed.xml'), at('2026-11-20T00:00:00Z'));
    const xml = await res.text();
    expect(xml).toContain('<title>早</title>');
    expect(xml).not.toContain('<title>晚</title>');
    expect(res.headers.get('content-type')).toContain('application/rss+xml');
    expect(feedAsOf(FEED, new Date('2026-12-01T00:00:00Z'))).toBe(FEED);
  });
});

describe('anything else', () => {
  it('passes through untouched: other files, errors, HEAD', async () => {
    const css = await serveDatedPage(get('/style.css'), at('2026-12-01T00:00:00Z'));
    expect(css.headers.get('etag')).toBe('"file"');
    expect(await css.text()).toBe('body{}');
    expect((await serveDatedPage(get('/missing/'), at('2026-12-01T00:00:00Z'))).status).toBe(404);
    const head = await serveDatedPage(
      new Request('https://kaoping.example/', { method: 'HEAD' }),
      at('2026-12-01T00:00:00Z'),
    );
    expect(head.headers.get('etag')).toBe('"file"');
  });
});
