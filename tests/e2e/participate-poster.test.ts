// A public instrument as it travels outside the site: its A4 poster (a QR code
// of its short link, checked by decoding it), the short link itself, and the
// page it leads to answered in WeChat's in-app browser on a 390 px phone, and
// a deputy's slip link opened there.

import { type Browser, type BrowserContext, chromium, devices } from 'playwright-core';
import decodeQR from 'qr/decode.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';
import { demoCodes, passCheck } from '../support/participate';

const b = useBrowser();
/** WeChat 8 on Android (its X5/XWEB core is Chromium): what a link opened inside a WeChat group reports. */
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/1110005 MMWEBSDK/20230805 MMWEBID/2547 MicroMessenger/8.0.42.2460(0x28002A58) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

let browser: Browser;
let phone: BrowserContext;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  phone = await browser.newContext({
    ...devices['Pixel 5'],
    userAgent: WECHAT_UA,
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
  });
});
afterAll(async () => {
  await phone?.close();
  await browser?.close();
});

describe('a public instrument outside the site', () => {
  it('has a printable A4 poster whose QR code reads as its short link', async () => {
    const own = await b.page('/participate/vote-service-2026/');
    const poster = own.locator('a', { hasText: '打印二维码海报' });
    expect(await poster.getAttribute('href')).toBe('/participate/vote-service-2026/poster/');
    await own.close();

    const p = await b.page('/participate/vote-service-2026/poster/');
    expect(await p.locator('h1').textContent()).toBe('2026年度“群众最满意服务窗口”网上评选');
    expect(await p.locator('.poster').textContent()).toContain('无需参与码');
    const shown = (await p.locator('.url').textContent())?.trim() ?? '';
    expect(shown).toMatch(/\/s\/vote2026\/$/);
    // Decode what is drawn, as a phone camera would: a screenshot of the QR, read by the `qr` package's decoder.
    const png = await p.locator('.qr svg').screenshot();
    const scratch = await browser.newPage();
    const image = await scratch.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height);
      return { width: d.width, height: d.height, data: [...d.data] };
    }, png.toString('base64'));
    await scratch.close();
    const text = decodeQR({ width: image.width, height: image.height, data: new Uint8Array(image.data) });
    expect(text.replace(/^https?:\/\//, '')).toBe(shown);
    // It fits an A4 page when printed: one page, nothing of the menu.
    await p.emulateMedia({ media: 'print' });
    expect(await p.locator('header.site nav').isVisible()).toBe(false);
    expect(await p.locator('.screen-only').isVisible()).toBe(false);
    const pdf = await p.pdf({ format: 'A4' });
    expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBe(1);
    await p.emulateMedia({ media: 'screen' });
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('redirects the short link to the instrument, and no code instrument has one', async () => {
    for (const path of ['/s/vote2026/', '/s/vote2026', '/s/wenjuan2026/']) {
      const r = await fetch(b.base + path, { redirect: 'manual' });
      expect(r.status, path).toBe(302);
    }
    const r = await fetch(`${b.base}/s/vote2026/`, { redirect: 'manual' });
    expect(new URL(r.headers.get('location') ?? '', b.base).pathname).toBe('/participate/vote-service-2026/');
    expect((await fetch(`${b.base}/participate/rating-units-2026/poster/`)).status).toBe(404);
  });

  it('is answered from a WeChat group on a 390 px phone: short link, vote, receipt', async () => {
    const p = await phone.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(`${b.base}/s/vote2026/`);
    expect(new URL(p.url()).pathname).toBe('/participate/vote-service-2026/');
    expect(await p.evaluate(() => navigator.userAgent)).toContain('MicroMessenger');
    await hydrated(p);
    await p.locator('#q-choice').waitFor();
    await p.locator('#q-choice label', { hasText: '医保经办窗口' }).first().tap();
    expect(await p.locator('#q-choice-count').textContent()).toContain('已选 1 项');
    // Nothing scrolls sideways in WeChat's narrow view.
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(p);
    await p.getByRole('button', { name: '核对并提交' }).tap();
    await p.getByRole('heading', { name: '核对您的答案' }).waitFor();
    await passCheck(p);
    await p.getByRole('button', { name: '提交', exact: true }).tap();
    await p.getByRole('heading', { name: '提交成功' }).waitFor();
    expect((await p.locator('#receipt').textContent())?.trim()).toMatch(/^[0-9A-Z]{4}-/);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await p.close();
  });

  it("opens a deputy's slip link in WeChat at 390 px: the code from the QR, checked, its instruments listed", async () => {
    // A code only checked, never spent: the other files' codes stay as they are.
    const code = demoCodes('cppcc_member').at(-1)!;
    const p = await phone.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(`${b.base}/participate/#code=${code}`);
    await hydrated(p);
    expect(await p.getByLabel('参与码', { exact: true }).inputValue()).toBe(code);
    expect(new URL(p.url()).hash).toBe('');
    await passCheck(p);
    await p.getByRole('button', { name: '核验参与码' }).tap();
    await p.getByRole('heading', { name: '您可以参与的测评' }).waitFor();
    expect(await p.locator('.instruments li').count()).toBeGreaterThan(0);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(p);
    expect(errors).toEqual([]);
    await p.close();
  });
});
