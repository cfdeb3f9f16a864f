// The server goes away while the island is sending a response: the answers
// must still be there, a retry must be offered, and once the server is back
// the retry must store the response and give a receipt. The shared e2e server
// keeps running for the other tests: this file starts (and kills) its own,
// with its own migrated and seeded D1 state.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { d1Migrate } from '../../scripts/lib/wrangler';
import { seed } from '../../scripts/seed';
import { launch } from '../support/browser';
import { E2E_PORT, startServer, waitForHealth } from '../support/e2e-server';
import { demoCodes, enterCode, expectNoCode, sessionDrafts } from '../support/participate';

const PORT = Number(process.env.E2E_OUTAGE_PORT ?? E2E_PORT + 1000);
const STATE = `.wrangler/e2e-${PORT}-outage`;
const base = `http://127.0.0.1:${PORT}`;
let server: ChildProcess | undefined;
let ctx: BrowserContext;

function kill() {
  if (server?.pid) process.kill(-server.pid, 'SIGKILL');
  server = undefined;
}

async function down() {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${base}/api/v1/health`);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not stop');
}

beforeAll(async () => {
  rmSync(STATE, { recursive: true, force: true });
  d1Migrate({ remote: false, persistTo: STATE });
  await seed({ remote: false, persistTo: STATE });
  server = startServer(PORT, STATE);
  await waitForHealth(base);
  ctx = await launch();
});

afterAll(async () => {
  await ctx?.close();
  kill();
  rmSync(STATE, { recursive: true, force: true });
});

describe('the server stopped mid-submit', () => {
  it('keeps the answers, offers a retry, and stores the response once the server is back', async () => {
    const code = demoCodes('service_recipient')[1]!;
    const p = await ctx.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(`${base}/participate/`);
    await p.waitForFunction(() => document.querySelectorAll('astro-island[ssr]').length === 0);
    await enterCode(p, code);
    await p.locator('li', { hasText: '2026年度县直单位满意度评议' }).getByRole('button', { name: '开始填写' }).click();
    await p.locator('#q-fgj').waitFor();
    const units = await p.locator('fieldset.question:has(input[type=radio])').evaluateAll((fs) => fs.map((f) => f.id));
    for (const [i, id] of units.entries()) {
      await p
        .locator(`#${id} label`)
        .nth(i % 3)
        .click();
    }
    await p.locator('summary', { hasText: '对澄川县公安局的意见建议' }).click();
    await p.locator('#q-gaj\\.comment-0').fill('户籍窗口周末也能办理就好了。');
    await p.getByRole('button', { name: '核对并提交' }).click();
    await p.getByRole('heading', { name: '核对您的答案' }).waitFor();

    // The request leaves the browser, and the server dies before it arrives.
    await p.route('**/api/v1/instruments/*/responses', async (route) => {
      kill();
      await down();
      await route.continue();
    });
    await p.getByRole('button', { name: '提交', exact: true }).click();
    const alert = p.locator('.problem[role=alert]');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toContain('网络连接失败');
    expect(await alert.textContent()).toContain('您的答案仍然保留');
    await p.unroute('**/api/v1/instruments/*/responses');

    // Everything is still there: on the page, and in the draft (without the code).
    expect(await p.locator('.participate').textContent()).toContain('户籍窗口周末也能办理就好了。');
    const drafts = await sessionDrafts(p);
    const draft = JSON.parse(drafts['kaoping:draft:rating-units-2026'] ?? '{}') as Record<string, string>;
    expect(Object.keys(draft)).toHaveLength(25);
    expect(draft['gaj.comment']).toBe('户籍窗口周末也能办理就好了。');
    expectNoCode(drafts, code);
    await p.getByRole('button', { name: '返回修改' }).click();
    expect(await p.locator('#q-fgj input').first().isChecked()).toBe(true);
    expect(await p.locator('.progress').textContent()).toMatch(/已答 24\/24 题\s*$/);
    await p.getByRole('button', { name: '核对并提交' }).click();
    await p.getByRole('heading', { name: '核对您的答案' }).waitFor();

    // A retry while the server is still down fails the same way, harmlessly.
    await p.getByRole('button', { name: '提交', exact: true }).click();
    await alert.waitFor();
    expect(await alert.textContent()).toContain('网络连接失败');

    server = startServer(PORT, STATE);
    await waitForHealth(base);
    await alert.getByRole('button', { name: '重试' }).click();
    await p.getByRole('heading', { name: '提交成功' }).waitFor();
    const receipt = (await p.locator('#receipt').textContent())?.trim() ?? '';
    expect(await sessionDrafts(p)).toEqual({});
    const counted = await fetch(`${base}/api/v1/receipts/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ receipt }),
    });
    expect(counted.status).toBe(200);
    expect(await counted.json()).toMatchObject({ instrument: 'rating-units-2026' });
    expect(errors).toEqual([]);
    await p.close();
  });

  it('keeps the token when the page dies between opening and submitting; another device cannot take a second', async () => {
    const code = demoCodes('service_recipient')[2]!;
    const p = await ctx.newPage();
    await p.goto(`${base}/participate/`);
    await p.waitForFunction(() => document.querySelectorAll('astro-island[ssr]').length === 0);
    await enterCode(p, code);
    await p.locator('li', { hasText: '2026年度县直单位满意度评议' }).getByRole('button', { name: '开始填写' }).click();
    await p.locator('#q-fgj').waitFor();
    expect(await p.evaluate(() => localStorage.length)).toBe(1);
    // The tab is closed (sessionStorage goes with it): only the token in localStorage is left.
    await p.close();

    // Another browser (no token on it) with the same code: the code has been used for this rating.
    const other = await launch();
    const q = await other.newPage();
    await q.goto(`${base}/participate/rating-units-2026/`);
    await q.waitForFunction(() => document.querySelectorAll('astro-island[ssr]').length === 0);
    await enterCode(q, code);
    await expect.poll(() => q.locator('[role=alert]').first().textContent()).toContain('此参与码已提交过本项测评');
    await other.close();

    // Back on the first device: the same code resumes with the token it holds, and the answers go in.
    const r = await ctx.newPage();
    await r.goto(`${base}/participate/`);
    await r.waitForFunction(() => document.querySelectorAll('astro-island[ssr]').length === 0);
    await enterCode(r, code);
    const rating = r.locator('li', { hasText: '2026年度县直单位满意度评议' });
    await rating.getByRole('button', { name: '继续填写' }).click();
    await r.locator('#q-fgj').waitFor();
    const units = await r.locator('fieldset.question:has(input[type=radio])').evaluateAll((fs) => fs.map((f) => f.id));
    for (const id of units) await r.locator(`#${id} label`).first().click();
    await r.getByRole('button', { name: '核对并提交' }).click();
    await r.getByRole('heading', { name: '核对您的答案' }).waitFor();
    const spends: string[] = [];
    r.on('request', (req) => {
      if (req.url().endsWith('/responses')) spends.push(req.postData() ?? '');
    });
    await r.getByRole('button', { name: '提交', exact: true }).click();
    await r.getByRole('heading', { name: '提交成功' }).waitFor();
    // The spend carries the token and the answers, never the code.
    expect(spends).toHaveLength(1);
    expect(Object.keys(JSON.parse(spends[0]!)).sort()).toEqual(['answers', 'token']);
    expect(spends[0]).not.toContain(code.replace(/-/g, ''));
    expect(await r.evaluate(() => localStorage.length)).toBe(0);
    await r.close();
  });
});
