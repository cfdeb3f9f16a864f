// The live Turnstile widget, without the network: the API's config says
// "live", and Cloudflare's script is answered by a fake that renders a box and
// hands out numbered tokens. The island must render it explicitly with the
// site key, use a fresh token per request, renew an expired one, and renew
// again when the API reports a token as spent: all without touching answers.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';

const b = useBrowser();

interface Fake {
  renders: { sitekey: string; language: string }[];
  resets: number;
  issued: number;
  expire: () => void;
}
/** The fake's state, read in the page (functions do not cross over). */
const fake = (p: Page) =>
  p.evaluate(() => {
    const f = (window as unknown as { __turnstile?: Fake }).__turnstile;
    return f ? { renders: f.renders, resets: f.resets, issued: f.issued } : undefined;
  });

const FAKE_TURNSTILE = `
window.__turnstile = { renders: [], resets: 0, issued: 0 };
window.turnstile = {
  render(el, opts) {
    const w = window.__turnstile;
    w.renders.push({ sitekey: opts.sitekey, language: opts.language });
    w.opts = opts;
    el.textContent = '[fake widget]';
    const issue = () => setTimeout(() => opts.callback('live-token-' + ++w.issued), 30);
    w.issue = issue;
    w.expire = () => opts['expired-callback']();
    issue();
    return 'w1';
  },
  reset() { window.__turnstile.resets++; window.__turnstile.issue(); },
  remove() {},
};`;

describe('the live Turnstile widget', () => {
  it('is rendered explicitly, and every request gets a fresh, unexpired token', async () => {
    // Open a page first so that the routes are in place before the participation page loads.
    const p = await b.page('/favicon.svg');
    await p.route('**/api/v1/config', (r) =>
      r.fulfill({ json: { turnstile: { mode: 'live', siteKey: '0x4AAAA-test-site-key' } } }),
    );
    await p.route('https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit', (r) =>
      r.fulfill({ contentType: 'text/javascript', body: FAKE_TURNSTILE }),
    );
    await p.goto(`${b.base}/participate/vote-service-2026/`);
    await hydrated(p);
    await p.locator('#q-choice label', { hasText: '综合受理窗口' }).click();
    await p.getByRole('button', { name: '核对并提交' }).click();
    await p.getByRole('heading', { name: '核对您的答案' }).waitFor();
    await expect.poll(async () => (await fake(p))?.issued).toBe(1);
    expect((await fake(p))?.renders).toEqual([{ sitekey: '0x4AAAA-test-site-key', language: 'zh-cn' }]);
    expect(await p.locator('.turnstile').textContent()).toContain('[fake widget]');
    expect(await p.getByLabel('我不是机器人 (本地测试模式)').count()).toBe(0);

    // Token 1 expires before it is used: the widget is reset and token 2 arrives.
    await p.evaluate(() => (window as unknown as { __turnstile: Fake }).__turnstile.expire());
    await expect.poll(async () => (await fake(p))?.issued).toBe(2);

    const sent: string[] = [];
    await p.route('**/api/v1/instruments/*/responses', (route) => {
      const body = route.request().postDataJSON() as { turnstileToken: string; answers: Record<string, unknown> };
      sent.push(body.turnstileToken);
      expect(body.answers).toEqual({ choice: ['xzspj-comprehensive'] });
      // The first one is reported spent (timeout-or-duplicate); the second is accepted.
      return sent.length === 1
        ? route.fulfill({
            status: 403,
            json: { error: { code: 'turnstile_failed', message: '人机验证未通过, 请重新验证' } },
          })
        : route.fulfill({
            status: 201,
            json: { receipt: 'ABCD-EFGH-JKMN-PQRS', instrument: 'vote-service-2026', recordedOn: '2026-11-23' },
          });
    });
    await p.getByRole('button', { name: '提交', exact: true }).click();
    await p.getByRole('heading', { name: '提交成功' }).waitFor();
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBe('live-token-2');
    expect(sent[1]).toMatch(/^live-token-[34]$/);
    expect(new Set(sent).size).toBe(2);
    expect(await p.locator('#receipt').textContent()).toBe('ABCD-EFGH-JKMN-PQRS');
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('says so, and offers to try again, when the configuration cannot be fetched', async () => {
    const p = await b.page('/favicon.svg');
    let calls = 0;
    await p.route('**/api/v1/config', (r) => {
      calls++;
      return calls === 1 ? r.abort('connectionrefused') : r.continue();
    });
    await p.goto(`${b.base}/participate/vote-service-2026/`);
    await hydrated(p);
    await p.locator('#q-choice label', { hasText: '综合受理窗口' }).click();
    await p.getByRole('button', { name: '核对并提交' }).click();
    await p.getByText('人机验证加载失败').waitFor();
    await p.locator('.turnstile').getByRole('button', { name: '重试' }).click();
    await p.getByLabel('我不是机器人 (本地测试模式)').check();
    await p.getByRole('button', { name: '提交', exact: true }).click();
    await p.getByRole('heading', { name: '提交成功' }).waitFor();
    await p.close();
  });
});
