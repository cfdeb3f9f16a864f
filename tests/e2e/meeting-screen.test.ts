// The hall's screen at an evaluation meeting (会场大屏, issue 19 point 5): a
// code instrument's QR code (decoded as a phone camera would) and address,
// and the count of online answers in steps of 5, total only, that moves when
// deputies answer through the real participation path; one screen at 16:9
// and 4:3; the figure as of the build without JavaScript.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type Browser, chromium, type Page } from 'playwright-core';
import decodeQR from 'qr/decode.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoAnswers } from '../../scripts/lib/demo-responses';
import { takesPaper } from '../../src/domain/paper';
import { turnoutBody } from '../../src/domain/schemas/participation';
import { blindToken, finalizeToken } from '../../src/lib/participate/token';
import { defaultCatalog } from '../../src/server/catalog';
import { DUMMY_TOKEN } from '../../src/server/guards/turnstile';
import { CHROMIUM_ARGS, expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';
import { E2E_TURNOUT_CACHE_SECONDS } from '../support/e2e-server';
import { demoCodes } from '../support/participate';

const b = useBrowser();
/** Open at the demo clock (scripts/lib/demo-clock.ts: 2026-11-23), answered with codes by three categories. */
const OPEN = 'rating-units-2026';
/** Closed in February; its tally is in the committed snapshot, so the build knows its final count. */
const CLOSED = 'rating-sessions-2026';
/** The address the build writes into the QR code: the site's origin (astro.config.mjs) and the instrument's page. */
const SITE = process.env.PUBLIC_ORIGIN ?? 'http://127.0.0.1:8788';
const participationUrl = (id: string) => new URL(`/participate/${id}/`, SITE).href;

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
});
afterAll(async () => {
  await browser?.close();
});

/** The exact number of stored responses of one category (never public while open), from the server's local D1. */
function exactResponses(instrument: string, category: string): number {
  const dir = join(inject('persistTo'), 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (!file) throw new Error(`no D1 file in ${dir}`);
  const db = new DatabaseSync(join(dir, file), { readOnly: true });
  try {
    const sql = 'SELECT COUNT(*) AS n FROM responses WHERE instrument = ? AND rater_category = ?';
    return Number((db.prepare(sql).get(instrument, category) as { n: number }).n);
  } finally {
    db.close();
  }
}

async function turnout(id: string) {
  return turnoutBody.parse(await (await fetch(`${b.base}/api/v1/instruments/${id}/turnout`)).json());
}

/** Read the QR code from a screenshot of what is drawn (scaled to 300 px, as a phone sees a screen across a hall). */
async function readQr(p: Page): Promise<string> {
  const png = await p.locator('.qr svg').screenshot();
  const scratch = await browser.newPage();
  const image = await scratch.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = 300;
    c.height = 300;
    const g = c.getContext('2d') as CanvasRenderingContext2D;
    g.drawImage(img, 0, 0, 300, 300);
    const d = g.getImageData(0, 0, 300, 300);
    return { width: d.width, height: d.height, data: [...d.data] };
  }, png.toString('base64'));
  await scratch.close();
  return decodeQR({ width: image.width, height: image.height, data: new Uint8Array(image.data) });
}

/** Nothing scrolls, either way, at this size. */
async function fits(p: Page, width: number, height: number) {
  await p.setViewportSize({ width, height });
  const size = await p.evaluate(() => ({
    w: document.documentElement.scrollWidth,
    h: document.documentElement.scrollHeight,
  }));
  expect(size, `${width}×${height}`).toEqual({ w: width, h: height });
}

/** Every number the screen shows, outside the title, the address and the time of the figure. */
const figures = (p: Page) =>
  p.evaluate(() => {
    const aside = [...document.querySelectorAll<HTMLElement>('main h1, main .url, main .as-of')];
    for (const el of aside) el.style.display = 'none';
    const text = document.querySelector('main')?.innerText ?? '';
    for (const el of aside) el.style.display = '';
    return text.match(/\d+/g) ?? [];
  });

/** Answer an instrument with fresh codes as the island does: a blind token per code, then the answers with it. */
async function answer(instrument: string, category: string, codes: string[]) {
  const inst = defaultCatalog.instruments.find((i) => i.id === instrument);
  if (!inst) throw new Error(`no instrument ${instrument}`);
  const { keys } = (await (await fetch(`${b.base}/api/v1/instruments/${instrument}/token-key`)).json()) as {
    keys: { raterCategory: string; scope: string; spki: string }[];
  };
  const spki = keys.find((k) => k.raterCategory === category && k.scope === '*')?.spki;
  if (!spki) throw new Error(`no token key for ${instrument} / ${category}`);
  for (const [i, code] of codes.entries()) {
    const state = await blindToken(instrument, category, spki);
    const issued = await fetch(`${b.base}/api/v1/instruments/${instrument}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, turnstileToken: DUMMY_TOKEN, blindedMsg: state.blindedMsg }),
    });
    expect(issued.status, await issued.clone().text()).toBe(201);
    const token = await finalizeToken(state, ((await issued.json()) as { blindSig: string }).blindSig);
    const r = await fetch(`${b.base}/api/v1/instruments/${instrument}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, answers: demoAnswers(inst, `meeting-screen/${i}`) }),
    });
    expect(r.status, await r.clone().text()).toBe(201);
  }
}

describe("the hall's screen", () => {
  it('exists for every code instrument a meeting hands out, linked from its page and its turnout page', async () => {
    const paper = defaultCatalog.instruments.filter(takesPaper).map((i) => i.id);
    expect(paper).toContain(OPEN);
    for (const id of defaultCatalog.instruments.map((i) => i.id)) {
      const r = await fetch(`${b.base}/participate/${id}/meeting/`);
      expect(r.status, id).toBe(paper.includes(id) ? 200 : 404);
    }
    for (const path of [`/participate/${OPEN}/`, `/participate/${OPEN}/turnout/`]) {
      const p = await b.page(path);
      expect(await p.getByTestId('meeting-link').getAttribute('href'), path).toBe(`/participate/${OPEN}/meeting/`);
      expect(await p.getByTestId('meeting-link').textContent()).toBe('会场大屏');
      await p.close();
    }
    const pub = await b.page('/participate/vote-service-2026/');
    expect(await pub.getByTestId('meeting-link').count()).toBe(0);
    await pub.close();
  });

  it('shows the title, a QR code that reads as the participation address, the address, and the pledge', async () => {
    const p = await b.page(`/participate/${OPEN}/meeting/`);
    await p.setViewportSize({ width: 1920, height: 1080 });
    await hydrated(p);
    const title = defaultCatalog.instruments.find((i) => i.id === OPEN)?.title;
    expect(await p.locator('h1').textContent()).toBe(title);
    expect(await readQr(p)).toBe(participationUrl(OPEN));
    expect((await p.locator('.url').textContent())?.trim()).toBe(participationUrl(OPEN).replace(/^https?:\/\//, ''));
    const text = await p.locator('main').innerText();
    expect(text).toContain('参与码条');
    expect(text).toContain('任何人无法将意见与参与码或个人对应');
    expect(text).toContain('网上评议份数, 纸质票会后录入');
    // No menu on the hall's screen; large type: the figure at least 4 % of the screen's width.
    expect(await p.locator('header.site').count()).toBe(0);
    const px = await p.locator('.meeting-count .n').evaluate((e) => Number.parseFloat(getComputedStyle(e).fontSize));
    expect(px).toBeGreaterThanOrEqual(0.04 * 1920);
    // One screen on a 16:9 and on a 4:3 projector: nothing scrolls.
    await fits(p, 1920, 1080);
    await fits(p, 1280, 720);
    await fits(p, 1024, 768);
    await fits(p, 1400, 1050);
    await p.setViewportSize({ width: 1920, height: 1080 });
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  }, 120_000);

  it('counts online answers in steps of 5, total only, and moves when deputies answer on their phones', async () => {
    const apiCalls: string[] = [];
    const p = await b.page(`/participate/${OPEN}/meeting/`);
    p.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) apiCalls.push(new URL(r.url()).pathname);
    });
    await p.setViewportSize({ width: 1920, height: 1080 });
    await hydrated(p);
    await p.waitForSelector('.meeting-count[data-state="open"]');
    const before = await turnout(OPEN);
    expect(before.step).toBe(5);
    const shown = async () => p.locator('.meeting-count .figure').getAttribute('data-total');
    expect(await shown()).toBe(String(before.total));
    expect(await p.locator('.meeting-count .n').textContent()).toBe(before.total === 0 ? '不足 5' : `${before.total}+`);
    expect((before.total ?? -1) % 5).toBe(0);
    expect(await p.locator('.meeting-count .figure').getAttribute('aria-live')).toBe('polite');
    // Never a choice: the only figures are the total and the step (no option, no category, no per-subject count).
    expect((await figures(p)).filter((n) => n !== String(before.total) && n !== '5')).toEqual([]);

    // Deputies answer with the slips handed out at the door, one short of their category's next step (each
    // category is rounded down to a multiple of 5): once the edge's cache has expired and the screen has polled,
    // the figure has not moved, so no single answer can be timed from it.
    const exact = exactResponses(OPEN, 'npc_deputy');
    const quiet = 4 - (exact % 5);
    const codes = demoCodes('npc_deputy').slice(-(quiet + 1));
    expect(codes).toHaveLength(quiet + 1);
    await answer(OPEN, 'npc_deputy', codes.slice(0, quiet));
    expect(exactResponses(OPEN, 'npc_deputy')).toBe(exact + quiet);
    // The edge cache (E2E_TURNOUT_CACHE_SECONDS in the e2e run, a minute in production) has expired and the
    // screen (every 15 s) has polled since.
    await p.waitForTimeout((E2E_TURNOUT_CACHE_SECONDS + 17) * 1000);
    expect((await turnout(OPEN)).total).toBe(before.total);
    expect(await shown()).toBe(String(before.total));
    // One more makes the step: the screen moves by 5, within the edge's cache lifetime and a poll.
    await answer(OPEN, 'npc_deputy', codes.slice(quiet));
    await expect
      .poll(async () => (await turnout(OPEN)).total, { timeout: 30_000, interval: 1_000 })
      .toBe((before.total ?? 0) + 5);
    const after = await turnout(OPEN);
    await expect.poll(shown, { timeout: 45_000, interval: 1_000 }).toBe(String(after.total));
    expect(await p.locator('.meeting-count .n').textContent()).toBe(`${after.total}+`);
    expect((await figures(p)).filter((n) => n !== String(after.total) && n !== '5')).toEqual([]);
    // It reads the turnout API only: no tally, no per-option endpoint.
    expect(new Set(apiCalls)).toEqual(new Set([`/api/v1/instruments/${OPEN}/turnout`]));
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  }, 120_000);

  it('without JavaScript shows the figure as of the build, and says so', async () => {
    // Closed and published: the build knows the final count, the same the API gives.
    const final = await turnout(CLOSED);
    expect(final.step).toBe(1);
    expect(final.total).toBeGreaterThan(0);
    // (axe and element screenshots need scripts in the page, so both run on the page with JavaScript.)
    const withJs = await b.page(`/participate/${CLOSED}/meeting/`);
    await withJs.setViewportSize({ width: 1920, height: 1080 });
    await hydrated(withJs);
    await withJs.waitForSelector('.meeting-count[data-state="closed"]');
    expect(await withJs.locator('.meeting-count .n').textContent()).toBe(String(final.total));
    expect(await readQr(withJs)).toBe(participationUrl(CLOSED));
    await expectAccessible(withJs);
    expect(jsErrors(withJs)).toEqual([]);
    await withJs.close();

    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1920, height: 1080 } });
    const closed = await ctx.newPage();
    await closed.goto(`${b.base}/participate/${CLOSED}/meeting/`);
    expect(await closed.locator('.meeting-count .figure').getAttribute('data-total')).toBe(String(final.total));
    expect(await closed.locator('.meeting-count .n').textContent()).toBe(String(final.total));
    const text = await closed.locator('main').innerText();
    expect(text).toContain('网页生成时的份数');
    expect(text).toContain(`/api/v1/instruments/${CLOSED}/turnout`);
    expect(await closed.locator('.qr svg').count()).toBe(1);
    // Open: the build has no live count, so it shows none rather than a stale or made-up one.
    const open = await ctx.newPage();
    await open.goto(`${b.base}/participate/${OPEN}/meeting/`);
    expect(await open.locator('.meeting-count .n').textContent()).toBe('—');
    expect(await open.locator('main').innerText()).toContain('网页生成时的份数');
    await fits(open, 1920, 1080);
    await ctx.close();
  }, 120_000);
});
