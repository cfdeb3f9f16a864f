// "今天" and the phase labels are right on any day without a rebuild, and
// without JavaScript: the site built for the e2e day (2026-11-23, opinion
// collection open) is served by a second `wrangler pages dev` whose clock says
// 2026-12-21 (collection closed the evening before, results not yet out). The
// dated pages' Function (src/server/dated-pages.ts) must show that day.
// biome-ignore-all lint/performance/useDomNodeTextContent: innerText is the rendered text a reader sees.
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { d1Migrate } from '../../scripts/lib/wrangler';
import { PAGE_HEADERS } from '../../src/server/page-headers';
import { expectAccessible, jsErrors, launch } from '../support/browser';
import { E2E_NOW, E2E_PORT, startServer, waitForHealth } from '../support/e2e-server';

const PORT = Number(process.env.E2E_DATED_PORT ?? E2E_PORT + 1001);
const STATE = `.wrangler/e2e-${PORT}-dated`;
const LATER = '2026-12-21T09:00:00+08:00';
const base = `http://127.0.0.1:${PORT}`;
let server: ChildProcess | undefined;
let ctx: BrowserContext;

beforeAll(async () => {
  rmSync(STATE, { recursive: true, force: true });
  d1Migrate({ remote: false, persistTo: STATE });
  server = startServer(PORT, STATE, LATER);
  await waitForHealth(base);
  ctx = await launch();
});

afterAll(async () => {
  await ctx?.close();
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
});

async function open(path: string): Promise<Page> {
  const p = await ctx.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  (p as Page & { jsErrors: string[] }).jsErrors = errors;
  const res = await p.goto(base + path);
  expect(res?.status(), path).toBe(200);
  return p;
}

/** One day's page: no variant left over, and (a content page) no script: the server did it all. */
async function expectOneDay(p: Page, scripts = 0) {
  expect(await p.locator('kp-when, [data-kp-id]').count()).toBe(0);
  expect(await p.evaluate(() => document.querySelectorAll('script').length)).toBe(scripts);
  expect(jsErrors(p)).toEqual([]);
}

describe(`the site built for ${E2E_NOW.slice(0, 10)}, read on ${LATER.slice(0, 10)}`, () => {
  it('home: the phase, today, the timeline and what a resident can still do', async () => {
    const p = await open('/');
    expect(await p.locator('.phase-status strong').innerText()).toBe('综合评价中, 结果公示将于 2027年1月15日 开始');
    expect(await p.locator('.phase-status time[data-today]').innerText()).toBe('2026年12月21日');
    expect(await p.locator('.phase-status time[data-today]').getAttribute('datetime')).toBe('2026-12-21');
    expect(await p.locator('.timeline [data-phase="opinion"]').innerText()).toContain('已结束');
    expect(await p.locator('.timeline [aria-current="step"]').count()).toBe(0);
    // Collection is over: no 参与评议 or 写意见 action, results still there.
    expect(await p.locator('.actions a[href="/participate/"]').count()).toBe(0);
    expect(await p.locator('.actions a[href="/messages/new/"]').count()).toBe(0);
    expect(await p.locator('.actions a[href="/results/"]').count()).toBe(1);
    // The headings the variants carried keep their ids: the page's own links and labels work.
    expect(await p.locator('section[aria-labelledby="can-do"] h2#can-do').count()).toBe(1);
    await expectOneDay(p);
    await expectAccessible(p);
    await p.close();
  });

  it('notice: phase and timeline; a unit: its publicity over', async () => {
    const notice = await open('/appraisals/county-2026/');
    expect(await notice.locator('.phase-status strong').innerText()).toContain('综合评价中');
    expect(await notice.locator('.timeline [data-phase="fieldwork"]').innerText()).toContain('已结束');
    await expectOneDay(notice);
    await notice.close();

    const unit = await open('/units/czj/');
    const windows = unit.locator('[data-window="publicity"]');
    expect(await windows.count()).toBeGreaterThan(0);
    for (const status of await windows.evaluateAll((ws) => ws.map((w) => w.getAttribute('data-status'))))
      expect(status).toBe('ended');
    await expectOneDay(unit);
    await unit.close();
  });

  it('participate: the closed public instruments are no longer offered', async () => {
    const p = await open('/participate/');
    expect(await p.locator('#public-heading').count()).toBe(0);
    expect(await p.locator('a[href="/participate/questionnaire-public-2026/"]').count()).toBe(0);
    expect(await p.locator('kp-when, [data-kp-id]').count()).toBe(0);
    await p.close();
  });

  it('feed: the work summaries in publicity by then are items, each linking to its summary', async () => {
    const xml = await (await fetch(`${base}/feed.xml`)).text();
    const items = [...xml.matchAll(/<item>[\s\S]*?<\/item>/g)].map((m) => m[0]);
    const summaries = items.filter((i) => i.includes('<title>工作总结公示: '));
    expect(summaries.length).toBe(24);
    const czj = summaries.find((i) => i.includes('澄川县财政局2026年度工作总结'));
    expect(czj).toMatch(/<link>https?:\/\/[^<]+\/units\/czj\/#czj-2026<\/link>/);
    expect(czj).toContain('过紧日子');
    const p = await open('/units/czj/');
    expect(await p.locator('article#czj-2026').count()).toBe(1);
    await p.close();
  });

  it('is answered 304 while the day reads the same, with the page headers', async () => {
    const first = await fetch(`${base}/`);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^(W\/)?"[0-9a-f]{24}"$/);
    expect(first.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const again = await fetch(`${base}/`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('runs the Function only on the dated pages; every page has the same security headers', async () => {
    const routes = JSON.parse(readFileSync(join(process.env.KAOPING_DIST ?? 'dist', '_routes.json'), 'utf8')) as {
      include: string[];
      exclude: string[];
    };
    expect(routes.include.length + routes.exclude.length).toBeLessThanOrEqual(100);
    expect(routes.include).toEqual(expect.arrayContaining(['/api/*', '/feed.xml', '/', '/participate/']));
    for (const path of ['/*', '/search/', '/data/', '/_astro/*', '/units/czj/*'])
      expect(routes.include).not.toContain(path);
    const dated = await fetch(`${base}/`);
    const [plain, asset] = await Promise.all([fetch(`${base}/search/`), fetch(`${base}/favicon.svg`)]);
    for (const r of [plain, asset]) expect(r.status).toBe(200);
    // A static page is Pages' own answer (its ETag, not the Function's digest of the day's page).
    expect(plain.headers.get('etag') ?? '').not.toMatch(/^"[0-9a-f]{24}"$/);
    for (const [name, value] of Object.entries(PAGE_HEADERS)) {
      expect(dated.headers.get(name), `${name} on a dated page`).toBe(value);
      expect(plain.headers.get(name), `${name} on a static page`).toBe(value);
      expect(asset.headers.get(name), `${name} on an asset`).toBe(value);
    }
  });
});
