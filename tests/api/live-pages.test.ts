// The live sections of the static pages (src/server/live/pages.ts): the
// built page comes from ASSETS, each placeholder is filled on the server from
// D1 as plain, escaped HTML; without D1 the page still goes out with its
// fallback; /feed.xml carries the live items beside the static ones.
import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { createLivePages } from '../../src/server/live/pages';
import {
  answeredMessage,
  api,
  catalog,
  makeObserver,
  NOW,
  objectionCredential,
  signIn,
  TOKEN,
} from '../support/observe-fixtures';

const pages = createLivePages({ catalog, now: () => NOW });

/** A stand-in for the static site: the pages and the feed as Astro would have built them. */
function assets(files: Record<string, { body: string; type: string }>): Fetcher {
  return {
    fetch: async (input: RequestInfo | URL) => {
      const path = new URL(typeof input === 'string' || input instanceof URL ? input : input.url).pathname;
      const f = files[path];
      if (!f) return new Response('not found', { status: 404, headers: { 'content-type': 'text/html' } });
      return new Response(f.body, { headers: { 'content-type': f.type, etag: '"static"' } });
    },
  } as unknown as Fetcher;
}

const page = (inner: string) => ({
  type: 'text/html; charset=utf-8',
  body: `<!doctype html><html><body><main>${inner}</main></body></html>`,
});
const placeholder = (name: string, attrs = '') =>
  `<div class="live" data-live="${name}" ${attrs}><p class="fallback">实时数据暂时无法读取</p></div>`;
const SITE = assets({
  '/units/unit-a/': page(
    `<h1>甲局</h1>${placeholder('unit-ledger', 'data-unit="unit-a"')}${placeholder('unit-messages', 'data-unit="unit-a" data-appraisal="test-2026"')}`,
  ),
  '/units/unit-a/report/2026/': page(
    `<h1>甲局 2026年度考评报告</h1>${placeholder('unit-report-ledger', 'data-unit="unit-a" data-appraisal="test-2026"')}`,
  ),
  '/units/unit-a/report/2025/': page(
    placeholder('unit-report-ledger', 'data-unit="unit-a" data-appraisal="test-2025"'),
  ),
  '/results/test-2026/': page(placeholder('result-objections', 'data-appraisal="test-2026"')),
  '/rectification/': page(placeholder('ledger-summary')),
  '/messages/answered/': page(placeholder('answered-list')),
  '/units/style.css': { type: 'text/css', body: 'main{}' },
  '/feed.xml': {
    type: 'application/rss+xml',
    body: '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>考评公开</title><item><title>考核预告: 2026</title><pubDate>Mon, 16 Nov 2026 00:00:00 GMT</pubDate></item></channel></rss>',
  },
});
const get = (path: string, bindings: Record<string, unknown> = {}) =>
  pages.request(path, {}, { ...env, ASSETS: SITE, PUBLIC_ORIGIN: 'https://kaoping.example.org', ...bindings });

const PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)>';

describe('live sections', () => {
  it('fill a unit page with its ledger and figures, escaping every text, without a script', async () => {
    const lead = await signIn(await makeObserver('lead'));
    const item = {
      appraisal: 'test-2026',
      unit: 'unit-a',
      source: 'messages',
      problem: `窗口排队时间长 ${PAYLOAD}`,
      measure: '增设窗口, 推行预约办理。',
      responsible: '分管副局长',
      deadline: '2026-11-20',
    };
    expect((await lead.post('/api/v1/observe/rectification', item)).status).toBe(201);
    const r = await get('/units/unit-a/');
    expect(r.status).toBe(200);
    expect(r.headers.get('etag')).toBeNull();
    expect(r.headers.get('cache-control')).toBe('no-cache');
    const html = await r.text();
    expect(html).toContain('data-live-state="ok"');
    expect(html).not.toContain('class="fallback"');
    expect(html).toContain('窗口排队时间长 &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).not.toMatch(/<script|<img/);
    // Deadline 11-20, today 11-23, not done: 逾期, computed now.
    expect(html).toMatch(/data-status="overdue"/);
    expect(html).toContain('已完成 0 / 1 项 (0%)');
    expect(html).toContain('href="/messages/answered/?unit=unit-a"');
  });

  it("fill a unit's printable report with that appraisal's rectification only, escaped, compact", async () => {
    const lead = await signIn(await makeObserver('lead'));
    const item = {
      appraisal: 'test-2026',
      unit: 'unit-a',
      source: 'department',
      problem: `报告里的问题 ${PAYLOAD}`,
      measure: '建立台账, 逐项销号。',
      responsible: '局长',
      deadline: '2026-12-31',
    };
    expect((await lead.post('/api/v1/observe/rectification', item)).status).toBe(201);
    const html = await (await get('/units/unit-a/report/2026/')).text();
    expect(html).toContain('data-live-state="ok"');
    expect(html).toContain('报告里的问题 &lt;script&gt;');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toMatch(/<tr data-status="in_progress"><th scope="row" class="user-text">报告里的问题/);
    // Problem, deadline and status only: the report fits A4.
    expect(html).not.toContain('建立台账, 逐项销号。');
    // Another appraisal's report does not carry this item.
    const other = await (await get('/units/unit-a/report/2025/')).text();
    expect(other).toContain('data-live-state="ok"');
    expect(other).not.toContain('报告里的问题');
    expect(other).toContain('本单位暂无整改事项。');
  });

  it('lists published answers by unit and topic with a form that works without script, and pages through them', async () => {
    const mine = await answeredMessage({
      subject: { kind: 'unit', id: 'unit-b' },
      topic: 'conduct',
      body: `反映问题 ${PAYLOAD}`,
      publishConsent: true,
    });
    expect((await mine.lead.post(`/api/v1/observe/messages/${mine.id}/publish`, { published: true })).status).toBe(200);
    const all = await (await get('/messages/answered/')).text();
    expect(all).toContain(`id="m-${mine.id}"`);
    expect(all).toContain('反映问题 &lt;script&gt;');
    expect(all).toMatch(/<form class="filters answered-filters" method="get"/);
    const filtered = await (await get('/messages/answered/?unit=unit-b&topic=conduct')).text();
    expect(filtered).toContain(`id="m-${mine.id}"`);
    expect(filtered).toMatch(/<option value="unit-b" selected>/);
    expect(filtered).toMatch(/<option value="conduct" selected>/);
    const other = await (await get('/messages/answered/?unit=unit-c')).text();
    expect(other).not.toContain(`id="m-${mine.id}"`);
    // Nonsense in the address is ignored, never echoed.
    const odd = await (await get(`/messages/answered/?unit=${encodeURIComponent(PAYLOAD)}&page=-3`)).text();
    expect(odd).toContain(`id="m-${mine.id}"`);
    expect(odd).not.toContain('<script');
  });

  it('show the objection window with the online form while it is open, and the public decisions', async () => {
    const credential = await objectionCredential('test-2026', 'group', 'unit-a');
    expect(
      (
        await api.json(
          '/api/v1/objections',
          {
            appraisal: 'test-2026',
            credential,
            kind: 'appeal',
            matter: `对评议结果有异议 ${PAYLOAD}`.slice(0, 60),
            grounds: '评议样本未覆盖主要业务窗口, 得分不能反映实际情况, 请求复核。',
            contact: { name: '王科长', phone: '0799-8600001' },
            turnstileToken: TOKEN,
          },
          { headers: { 'cf-connecting-ip': '198.18.9.1' } },
        )
      ).status,
    ).toBe(201);
    const id = (await env.DB.prepare("SELECT id FROM objections WHERE subject_kind = 'group'").first<{ id: string }>())
      ?.id as string;
    const lead = await signIn(await makeObserver('lead'));
    const path = (step: string) => `/api/v1/observe/objections/${id}/${step}`;
    await lead.post(path('accept'));
    await lead.post(path('assign'), { observer: lead.session.observer.id });
    await lead.post(path('decide'), { decision: 'upheld', reasons: '样本确有遗漏, 异议成立, 结果予以更正。' });
    await lead.post(path('answer'), { text: '经复核, 异议成立, 结果予以更正。' });
    expect((await lead.post(path('publish'), { public: true })).status).toBe(200);
    const html = await (await get('/results/test-2026/')).text();
    // test-2026's tallies were published on 11-20: open until 11-30.
    expect(html).toContain('data-window="open"');
    expect(html).toContain('href="/objections/new/?appraisal=test-2026"');
    expect(html).toContain(`id="decision-${id}"`);
    expect(html).toContain('甲局领导班子');
    expect(html).toContain('异议成立');
    expect(html).not.toMatch(/<script|<img/);
    expect(html).not.toContain('8600001');
  });

  it('go out with their fallback when D1 fails; other files pass untouched', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = {
      prepare: () => {
        throw new Error('D1_ERROR: no such table');
      },
      batch: async () => {
        throw new Error('D1_ERROR: no such table');
      },
    };
    const r = await get('/rectification/', { DB: broken });
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('data-live-state="unavailable"');
    expect(html).toContain('class="fallback"');
    expect(html).not.toContain('no such table');
    const css = await get('/units/style.css');
    expect(await css.text()).toBe('main{}');
    expect(css.headers.get('etag')).toBe('"static"');
    expect((await get('/units/nope/')).status).toBe(404);
    vi.restoreAllMocks();
  });
});

describe('the feed', () => {
  it('carries the live items beside the static ones, newest first, escaped', async () => {
    const lead = await signIn(await makeObserver('lead'));
    expect(
      (
        await lead.post('/api/v1/observe/rectification', {
          appraisal: 'test-2026',
          unit: 'unit-c',
          source: 'department',
          problem: '公开表格 <b>不统一</b> & 不及时。',
          measure: '统一模板。',
          responsible: '办公室',
          deadline: '2026-12-31',
        })
      ).status,
    ).toBe(201);
    const r = await get('/feed.xml');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/rss+xml');
    const xml = await r.text();
    expect(xml).toContain('<item><title>考核预告: 2026</title>');
    expect(xml).toContain('公开表格 &lt;b&gt;不统一&lt;/b&gt; &amp; 不及时。');
    expect(xml).toContain('<link>https://kaoping.example.org/units/unit-c/#ledger-');
    const dates = [...xml.matchAll(/<pubDate>([^<]+)<\/pubDate>/g)].map((m) => Date.parse(m[1] as string));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    expect(xml.indexOf('考核预告: 2026')).toBeGreaterThan(xml.indexOf('公开表格'));
    expect(xml.trimEnd().endsWith('</channel></rss>')).toBe(true);
  });
});
