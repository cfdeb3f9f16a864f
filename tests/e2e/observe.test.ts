// The observers' console in Chromium: login (and a refused one, with the
// progress the slow hash shows), the live view's charts with their tables, a
// lead pausing and reopening an instrument, the audit log in words with the
// chain's head, and its export, logout.
import { describe, expect, it } from 'vitest';
import { expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';
import { consoleLogin } from '../support/observe';

const b = useBrowser();

describe('the observers console', () => {
  it('is kept out of search engines and refuses a wrong login', async () => {
    expect(await (await fetch(`${b.base}/robots.txt`)).text()).toContain('Disallow: /observe/');
    const p = await b.page('/observe/');
    await hydrated(p);
    await expectAccessible(p);
    await p.getByLabel('用户名').fill('nobody-at-all');
    await p.getByLabel('密码').fill('not the password');
    // The hash is slow on purpose: while it works the form says so (held back here so it can be seen).
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await p.route('**/api/v1/observe/login', async (route) => {
      await held;
      await route.continue();
    });
    await p.getByRole('button', { name: '登录' }).click();
    const progress = p.locator('form[aria-busy="true"] .progress');
    await expect.poll(() => progress.textContent()).toContain('正在核验密码');
    expect(await p.locator('progress').count()).toBe(1);
    expect(await p.getByRole('button', { name: '正在登录…' }).isDisabled()).toBe(true);
    await expect.poll(() => progress.textContent(), { timeout: 3000 }).toContain('已用 1 秒');
    await expectAccessible(p);
    release();
    await expect.poll(() => p.getByRole('alert').textContent()).toContain('用户名或密码不正确');
    expect(await p.locator('progress').count()).toBe(0);
    await p.unroute('**/api/v1/observe/login');
    await p.close();
  });

  it('shows turnout and internal tallies as charts with tables; a lead pauses and reopens an instrument', async () => {
    const p = await b.page('/observe/');
    await consoleLogin(p);
    await p.getByRole('button', { name: '实时统计' }).click();
    const ballot = p.locator('section.instrument', { hasText: '领导班子民主测评' }).first();
    await ballot.waitFor();
    // Open: turnout only, and why.
    const charts = ballot.locator('figure.chart svg[role="img"]');
    expect(await charts.count()).toBe(1);
    expect(Number(await charts.first().getAttribute('data-bars'))).toBeGreaterThan(0);
    expect(await ballot.locator('[data-testid^="held-"]').textContent()).toContain('截止后提供');
    // The table alternative holds the same numbers.
    await ballot.locator('details summary').first().click();
    expect(await ballot.locator('table').first().textContent()).toContain('党代表');
    // Closed (the sessions rating ended in February): turnout and the scores.
    const sessions = p.locator('section.instrument', { hasText: '两会' }).first();
    expect(await sessions.locator('figure.chart svg[role="img"]').count()).toBeGreaterThanOrEqual(2);
    expect(await sessions.locator('[data-testid^="held-"]').count()).toBe(0);
    await expectAccessible(p);

    const vote = p.locator('section.instrument', { hasText: '群众最满意服务窗口' }).first();
    const state = vote.locator('[data-testid^="state-"]');
    expect(await state.textContent()).toBe('开放中');
    await vote.getByRole('button', { name: '暂停' }).click();
    await expect.poll(() => state.textContent()).toBe('已暂停');
    await vote.getByRole('button', { name: '重新开放' }).click();
    await expect.poll(() => state.textContent()).toBe('开放中');
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('shows the audit log, exports it, and logs out', async () => {
    const p = await b.page('/observe/');
    await consoleLogin(p);
    await p.getByRole('button', { name: '操作日志' }).click();
    const table = p.locator('table.audit');
    await expect.poll(() => table.textContent()).toContain('登录');
    // In words: names and Chinese changes, no raw ids or JSON (the issue report: "observer:00000000-0000").
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('更改测评状态');
    expect(text).toContain('测评《2026年度“群众最满意服务窗口”网上评选》');
    expect(text).toContain('测评状态: 开放中 → 已暂停');
    expect(text).toContain('观察员 演示观察员');
    expect(text).not.toMatch(/observer:|[0-9a-f]{8}-[0-9a-f]{4}|\{"/);
    // The operator's name stays on one line (it was squeezed to one character per line).
    // (The cell is as tall as its row; the lines of its text are what tell.)
    for (const width of [1280, 390]) {
      await p.setViewportSize({ width, height: 900 });
      const lines = await table
        .locator('td.who')
        .first()
        .evaluate((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        });
      expect([width, lines]).toEqual([width, 1]);
    }
    await p.setViewportSize({ width: 1280, height: 900 });
    // The chain's head, to be written down.
    expect(await p.getByTestId('chain-head').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await expectAccessible(p);
    const csv = await p.evaluate(async () => (await fetch('/api/v1/observe/exports/audit.csv')).text());
    expect(csv.split('\r\n')[0]).toContain(
      'id,at,observerId,observer,action,actionName,targetKind,targetId,target,change',
    );
    expect(csv).toContain('session.login');
    expect(csv).toContain('测评状态: 开放中 → 已暂停');
    await p.getByRole('button', { name: '退出登录' }).click();
    await p.getByLabel('用户名').waitFor();
    const after = await p.evaluate(async () => (await fetch('/api/v1/observe/session')).status);
    expect(after).toBe(401);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });
});
