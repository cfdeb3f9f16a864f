// Feed, sitemap, robots.txt and full-text search, as a browser and a feed
// reader see them.
// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a reader sees (cells apart, hidden parts out), which is what these tests check.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, jsErrors, useBrowser } from '../support/browser';

const b = useBrowser();
/** Where the global setup built the site. */
const E2E_DIST = process.env.KAOPING_DIST ?? 'dist';

/** Parse XML in Chromium (a real, strict XML parser): the root, any parse error and every <loc>. */
function parseXml(p: Page, xml: string) {
  return p.evaluate((src) => {
    const doc = new DOMParser().parseFromString(src, 'application/xml');
    return {
      root: doc.documentElement.nodeName,
      error: doc.getElementsByTagName('parsererror')[0]?.textContent ?? null,
      locs: [...doc.getElementsByTagName('loc')].map((e) => e.textContent ?? ''),
    };
  }, xml);
}

/** Every HTML page of the build, as a site path ("/units/czj/"). */
function builtPages(dir = E2E_DIST): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === 'index.html') out.push(`/${relative(E2E_DIST, d)}/`.replace(/\/+/g, '/'));
    }
  };
  walk(dir);
  return out.sort();
}

describe('feed', () => {
  it('is valid RSS 2.0 with every notice and result, each linking to a live page', async () => {
    const r = await fetch(`${b.base}/feed.xml`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/xml/);
    const p = await b.page('/');
    const xml = await r.text();
    const doc = await p.evaluate((src) => {
      const d = new DOMParser().parseFromString(src, 'application/xml');
      const channel = d.querySelector('rss > channel');
      const text = (el: Element | null | undefined, tag: string) => el?.getElementsByTagName(tag)[0]?.textContent;
      return {
        error: d.getElementsByTagName('parsererror').length,
        version: d.documentElement.getAttribute('version'),
        channel: {
          title: text(channel, 'title'),
          link: text(channel, 'link'),
          description: text(channel, 'description'),
        },
        self: d.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'link')[0]?.getAttribute('rel'),
        items: [...d.querySelectorAll('channel > item')].map((i) => ({
          title: text(i, 'title'),
          link: text(i, 'link'),
          guid: text(i, 'guid'),
          pubDate: text(i, 'pubDate'),
          description: text(i, 'description'),
        })),
      };
    }, xml);
    expect(doc.error).toBe(0);
    expect(doc.version).toBe('2.0');
    expect(doc.channel.title).toBe('考评公开: 考核预告、工作总结和结果公示');
    expect(doc.channel.link).toMatch(/^https?:\/\//);
    expect(doc.channel.description).toBeTruthy();
    expect(doc.self).toBe('self');
    // The built items, and among them what lives in D1 (published decisions, the ledger, published answers).
    const live = /^(申诉与复核结论|整改台账|意见答复公开): /;
    const titles = doc.items.map((i) => i.title ?? '');
    expect(titles.filter((x) => !live.test(x))).toEqual([
      '2026年度澄川县领导班子和领导干部考核暨机关绩效考评: 民意征集统计',
      '考核预告: 2026年度澄川县领导班子和领导干部考核暨机关绩效考评',
      '2025年度澄川县机关绩效考评结果公示',
      '考核预告: 2025年度澄川县领导班子和领导干部考核暨机关绩效考评',
    ]);
    for (const prefix of ['申诉与复核结论: ', '整改台账: ', '意见答复公开: ']) {
      expect(
        titles.some((x) => x.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
    for (const item of doc.items) {
      // RFC 822 dates, newest first; absolute links to pages that exist.
      expect(item.pubDate).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      // A built item's guid is its link; a live one's is its record (isPermaLink="false"), new when a ledger item changes.
      if (live.test(item.title ?? '')) expect(item.guid).toMatch(/^(objection|rectification|message)-[0-9a-f-]{36}/);
      else expect(item.guid).toBe(item.link);
      const path = new URL(item.link!).pathname;
      expect((await fetch(b.base + path)).status, path).toBe(200);
    }
    const dates = doc.items.map((i) => Date.parse(i.pubDate!));
    expect([...dates].sort((x, y) => y - x)).toEqual(dates);
    expect(doc.items.find((i) => i.title === '2025年度澄川县机关绩效考评结果公示')?.link).toMatch(
      /\/results\/county-2025\/$/,
    );
    // The statistics item says what it is, not the notice's paragraph again.
    const stats = doc.items.find((i) => i.description?.includes('最终统计已公布'));
    expect(stats?.description).not.toBe(
      doc.items.find((i) => i.title === '2025年度澄川县机关绩效考评结果公示')?.description,
    );
    // No work summary is in publicity yet on this day (the first begins 2026-11-28): none listed before it.
    expect(doc.items.filter((i) => i.title?.startsWith('工作总结公示'))).toEqual([]);
    await p.close();
  });
});

describe('sitemap and robots.txt', () => {
  it('lists every public page of the build, and only pages that answer', async () => {
    const p = await b.page('/');
    const index = await parseXml(p, await (await fetch(`${b.base}/sitemap-index.xml`)).text());
    expect(index.error).toBeNull();
    expect(index.root).toBe('sitemapindex');
    const listed: string[] = [];
    for (const loc of index.locs) {
      const map = await parseXml(p, await (await fetch(b.base + new URL(loc).pathname)).text());
      expect(map.error).toBeNull();
      listed.push(...map.locs.map((u) => new URL(u).pathname));
    }
    const pages = builtPages().filter((x) => !x.startsWith('/observe/'));
    expect(pages.length).toBeGreaterThan(30);
    expect([...listed].sort()).toEqual(pages);
    for (const path of ['/', '/units/czj/', '/results/county-2025/', '/data/', '/search/']) {
      expect(listed).toContain(path);
    }
    for (const path of listed.filter((_, i) => i % 5 === 0)) {
      expect((await fetch(b.base + path)).status, path).toBe(200);
    }
    await p.close();
  });

  it('points crawlers at the sitemap', async () => {
    const robots = await (await fetch(`${b.base}/robots.txt`)).text();
    expect(robots).toMatch(/^Sitemap: https?:\/\/.+\/sitemap-index\.xml$/m);
    expect(robots).toContain('Disallow: /observe/');
  });

  it('asks search engines not to index the staff console (robots.txt alone does not keep a linked page out)', async () => {
    const robotsMeta = async (path: string) => {
      const p = await b.page(path);
      const content = await p
        .locator('meta[name="robots"]')
        .getAttribute('content', { timeout: 1000 })
        .catch(() => null);
      await p.close();
      return content;
    };
    expect(await robotsMeta('/observe/')).toBe('noindex, nofollow');
    expect(await robotsMeta('/units/czj/')).toBeNull();
  });
});

describe('content pages', () => {
  it('ship no JavaScript (only search and the participation pages do)', async () => {
    const interactive = /^\/(search|participate|observe|forum|messages|receipts|objections\/(new|track))\//;
    const pages = builtPages().filter((x) => !interactive.test(x));
    expect(pages).toContain('/units/czj/');
    for (const path of pages) {
      const html = await (await fetch(b.base + path)).text();
      expect(html, path).not.toMatch(/<script/i);
      // CSP-friendly: no inline style attributes anywhere.
      expect(html, path).not.toMatch(/\sstyle="/i);
    }
  });
});

describe('search', () => {
  it("finds a unit's page by its name", async () => {
    const p = await b.page(`/search/?q=${encodeURIComponent('澄川县财政局')}`);
    const first = p.locator('#search-results li a').first();
    await first.waitFor();
    expect(await first.getAttribute('href')).toBe('/units/czj/');
    expect(await first.innerText()).toBe('澄川县财政局');
    expect(await p.locator('#search-status').innerText()).toMatch(/找到 \d+ 条与“澄川县财政局”相关的结果/);
    expect(await p.locator('#search-results mark').count()).toBeGreaterThan(0);
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('searches what is typed, across pages (a team member on the notice, a summary phrase on a unit)', async () => {
    const p = await b.page('/search/');
    await p.getByLabel('搜索关键词').fill('江永红');
    await p.getByRole('button', { name: '搜索' }).click();
    await p.locator('#search-results li a').first().waitFor();
    expect(await p.locator('#search-results li a').allInnerTexts()).toContain(
      '2026年度澄川县领导班子和领导干部考核暨机关绩效考评',
    );
    expect(p.url()).toContain(`q=${encodeURIComponent('江永红')}`);

    await p.getByLabel('搜索关键词').fill('预算绩效目标全覆盖');
    await p.getByRole('button', { name: '搜索' }).click();
    await expect
      .poll(() => p.locator('#search-results li a').evaluateAll((a) => a.map((x) => x.getAttribute('href'))))
      .toContain('/units/czj/');

    await p.getByLabel('搜索关键词').fill('zzqqxxyy');
    await p.getByRole('button', { name: '搜索' }).click();
    await expect.poll(() => p.locator('#search-status').innerText()).toBe('没有找到与“zzqqxxyy”相关的内容。');
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('finds forum threads (they live in D1, not in the build) by a word of a visible post, never a pending one', async () => {
    // "营业执照变更" is in a visible reply of the demo thread on opening hours; "人工窗口" only in a post awaiting moderation.
    const p = await b.page(`/search/?q=${encodeURIComponent('营业执照变更')}`);
    const hit = p.locator('#search-results li', { hasText: '建议政务服务中心午间和周末延时服务' });
    await hit.waitFor();
    expect(await hit.locator('a').getAttribute('href')).toBe('/forum/thread/?id=00000000-0000-4000-8000-000000000101');
    expect(await hit.innerText()).toContain('互动论坛主题 · 1 条回复');
    await expectAccessible(p);
    await p.getByLabel('搜索关键词').fill('人工窗口');
    await p.getByRole('button', { name: '搜索' }).click();
    await expect.poll(() => p.locator('#search-status').innerText()).toContain('“人工窗口”');
    expect(await p.locator('#search-results li a[href^="/forum/thread/"]').count()).toBe(0);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('loads Pagefind only on the search page', async () => {
    const loaded: string[] = [];
    const p = await b.page('/');
    p.on('request', (r) => loaded.push(r.url()));
    await p.goto(`${b.base}/units/czj/`);
    await p.goto(`${b.base}/results/county-2025/`);
    expect(loaded.filter((u) => u.includes('/pagefind/'))).toEqual([]);
    const html = await (await fetch(`${b.base}/search/`)).text();
    expect(html).toMatch(/script-src[^;"]*'wasm-unsafe-eval'/);
    const home = await (await fetch(`${b.base}/`)).text();
    expect(home).not.toContain('wasm-unsafe-eval');
    await p.close();
  });
});
