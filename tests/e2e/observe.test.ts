// The observers' console in Chromium: login (and a refused one), the live
// view's charts with their tables, a lead pausing and reopening an
// instrument, the audit log and its export, logout.
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
    await p.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => p.getByRole('alert').textContent()).toContain('用户名或密码不正确');
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
    await expect.poll(() => p.locator('table.audit').textContent()).toContain('登录');
    expect(await p.locator('table.audit').textContent()).toContain('更改测评状态');
    await expectAccessible(p);
    const csv = await p.evaluate(async () => (await fetch('/api/v1/observe/exports/audit.csv')).text());
    expect(csv.split('\r\n')[0]).toContain('id,at,observerId,observer,action');
    expect(csv).toContain('session.login');
    await p.getByRole('button', { name: '退出登录' }).click();
    await p.getByLabel('用户名').waitFor();
    const after = await p.evaluate(async () => (await fetch('/api/v1/observe/session')).status);
    expect(after).toBe(401);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });
});
