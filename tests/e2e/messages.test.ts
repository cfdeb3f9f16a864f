// The opinion box in Chromium: a resident sends a message with contact
// details, the demo observer reads them in the console and answers, and the
// reply shows on the tracking page; the tracking number never enters a URL.
import { describe, expect, it } from 'vitest';
import { expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';
import { consoleLogin, myObserverId } from '../support/observe';
import { passCheck } from '../support/participate';

const b = useBrowser();

describe('the opinion box', () => {
  it('a message is sent, answered by an observer, and the reply shows on the tracking page', async () => {
    const text = `市场监管局投诉电话长期无人接听, 请核实 (${Date.now() % 100000})。`;
    const resident = await b.page('/messages/new/?unit=scjgj');
    await hydrated(resident);
    // Coming from a unit's page, that unit is chosen.
    expect(await resident.getByRole('combobox', { name: '单位' }).inputValue()).toBe('scjgj');
    expect(await resident.getByRole('radio', { name: '单位', exact: true }).isChecked()).toBe(true);
    await expectAccessible(resident);
    await resident.getByLabel('意见内容').fill(text);
    await resident.getByLabel('电话').fill('0799-5550123');
    await passCheck(resident);
    await resident.getByRole('button', { name: '提交意见' }).click();
    const tracking = (await resident.getByTestId('tracking').textContent({ timeout: 10_000 }))?.trim() ?? '';
    expect(tracking).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(resident.url()).not.toContain(tracking);
    await expectAccessible(resident);
    expect(jsErrors(resident)).toEqual([]);

    const observer = await b.page('/observe/');
    await consoleLogin(observer);
    await observer.getByRole('button', { name: '民意调查箱' }).click();
    const row = observer.locator('tr', { hasText: text.slice(0, 20) });
    // Routed on arrival to the observer responsible for the unit, not left 未分配.
    await row.waitFor();
    expect(await row.getByTestId('assignee').textContent()).toBe('秦丽萍');
    const id = (await row.getAttribute('data-id')) as string;
    await row.getByRole('button', { name: '办理' }).click();
    // The contact stays hidden, even from a lead, until its assignee asks for it; opening logs nothing.
    await observer.locator('#msg-title').waitFor();
    expect(await observer.getByTestId('contact').count()).toBe(0);
    expect(await observer.locator('article.message').textContent()).not.toContain('0799-5550123');
    const views = async () => {
      const r = await observer.evaluate(
        async (target) => (await fetch(`/api/v1/observe/audit?targetKind=message&targetId=${target}`)).json(),
        id,
      );
      return (r as { entries: { action: string }[] }).entries.filter((e) => e.action === 'message.view_contact').length;
    };
    expect(await views()).toBe(0);
    const me = await myObserverId(observer);
    await observer.locator('#msg-assign').selectOption(me);
    await observer.getByRole('button', { name: '转交', exact: true }).click();
    await observer.getByRole('button', { name: '查看联系方式' }).click();
    await expect.poll(() => observer.getByTestId('contact').textContent()).toContain('0799-5550123');
    expect(await views()).toBe(1);
    await expectAccessible(observer);
    const reply = '经核实, 该局已安排专人值守投诉电话, 并公布了备用号码。';
    await observer.getByLabel('公开答复').fill(reply);
    await observer.getByRole('button', { name: '提交答复' }).click();
    await expect.poll(() => observer.locator('.said').textContent()).toContain('已保存');
    await expect.poll(() => observer.locator('#msg-title').textContent()).toContain('已答复');
    expect(jsErrors(observer)).toEqual([]);
    await observer.close();

    const track = await b.page('/messages/track/');
    await hydrated(track);
    await track.getByLabel('查询号').fill(tracking.toLowerCase());
    await track.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => track.getByTestId('reply').innerText()).toBe(reply);
    expect(await track.locator('#track-status').textContent()).toContain('已答复');
    expect(await track.content()).not.toContain('0799-5550123');
    expect(track.url()).toBe(`${b.base}/messages/track/`);
    await expectAccessible(track);
    expect(jsErrors(track)).toEqual([]);
    await track.close();
    await resident.close();
  });

  it('the tracking page says so when a number is unknown', async () => {
    const p = await b.page('/messages/track/');
    await hydrated(p);
    await p.getByLabel('查询号').fill('ABCDE-FGHJK-MNPQR');
    await p.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => p.locator('#tracking-error').textContent()).toContain('没有找到');
    await p.close();
  });
});
