// After the results, in Chromium: an appraised unit files an objection with
// its credential and follows it to a published decision; a lead observer
// closes a rectification item and the unit page shows it; a writer rates a
// reply; the opinion-box queue works on a 390 px phone.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';
import { apiSession, consoleLogin, myObserverId } from '../support/observe';
import { passCheck } from '../support/participate';

const b = useBrowser();

/** The demo objection credential of a unit of the 2026 appraisal (written by the seed). */
function credentialOf(unit: string): string {
  const row = readFileSync('.demo/objection-credentials.csv', 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','))
    .find(([appraisal, kind, id]) => appraisal === 'county-2026' && kind === 'unit' && id === unit);
  if (!row) throw new Error(`no demo credential for ${unit}`);
  return row[3] as string;
}

/** Reload until the live section shows the text (its data is cached for at most a minute). */
async function eventually(p: Page, selector: string, text: string) {
  await expect
    .poll(
      async () => {
        await p.reload();
        return p.locator(selector).innerText();
      },
      { timeout: 70_000, interval: 2_000 },
    )
    .toContain(text);
}

describe('objections', () => {
  it('a unit files one during the window and follows it through the console to a published decision', async () => {
    const matter = `对满意度评议得分有异议 ${Date.now() % 10000}`;
    const unit = await b.page('/results/county-2026/');
    // The results page says the window is open and links the online form.
    expect(await unit.locator('[data-live="result-objections"] [data-window]').getAttribute('data-window')).toBe(
      'open',
    );
    await unit.getByRole('link', { name: '在线提出申诉或质询' }).click();
    await hydrated(unit);
    expect(await unit.getByLabel('考核', { exact: true }).inputValue()).toBe('county-2026');
    await expectAccessible(unit);
    // A wrong credential is refused with the API's own sentence; nothing is filed.
    await unit.getByLabel('申诉凭证').fill('ABCD-EFGH-JKMN-PQRS-T');
    await unit.getByLabel('异议事项').fill(matter);
    await unit
      .getByLabel('事实和理由')
      .fill('本单位窗口服务满意度评议中, 有部分评议人并非本单位服务对象, 请求复核有效票的认定。');
    await unit.getByLabel('联系人', { exact: true }).fill('李主任');
    await unit.getByLabel('联系电话').fill('0799-5551234');
    await passCheck(unit);
    await unit.getByRole('button', { name: '提交' }).click();
    await expect.poll(() => unit.getByRole('alert').innerText()).toContain('凭证');
    await unit.getByLabel('申诉凭证').fill(credentialOf('fgj').toLowerCase());
    await passCheck(unit);
    await unit.getByRole('button', { name: '提交' }).click();
    const tracking = (await unit.getByTestId('objection-tracking').textContent({ timeout: 10_000 }))?.trim() ?? '';
    expect(tracking).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(unit.url()).not.toContain(tracking);
    expect(await unit.getByTestId('objection-deadlines').textContent()).toMatch(/\d{4}-\d{2}-\d{2}/);
    await expectAccessible(unit);
    expect(jsErrors(unit)).toEqual([]);

    // The console: 受理 → 指定复核人 → 备注 → 结论 → 答复 → 公开.
    const obs = await b.page('/observe/');
    await consoleLogin(obs);
    await obs.getByRole('button', { name: '申诉复核' }).click();
    const row = obs.locator('tr', { hasText: matter });
    await row.getByRole('button', { name: '办理' }).click();
    const status = obs.getByTestId('objection-detail-status');
    await expect.poll(() => status.textContent()).toBe('已提交, 待受理');
    await expectAccessible(obs);
    await obs.getByRole('button', { name: '受理', exact: true }).click();
    await expect.poll(() => status.textContent()).toBe('已受理');
    const me = await myObserverId(obs);
    await obs.locator('#obj-reviewer').selectOption(me);
    await obs.getByRole('button', { name: '指定', exact: true }).click();
    await expect.poll(() => status.textContent()).toBe('复核中');
    // The reviewer sees the contact on a click, not before.
    expect(await obs.getByTestId('objection-contact').count()).toBe(0);
    await obs.getByRole('button', { name: '查看联系方式' }).click();
    await expect.poll(() => obs.getByTestId('objection-contact').innerText()).toContain('0799-5551234');
    await obs.getByLabel('复核备注 (内部)').fill('调取评议名单核对, 3 张票的评议人不属于服务对象。');
    await obs.getByRole('button', { name: '添加备注' }).click();
    await expect.poll(() => obs.locator('ol.history').innerText()).toContain('调取评议名单核对');
    await obs.getByRole('radio', { name: '部分成立' }).check();
    const reasons = '经核对评议名单, 3 张评议票的评议人不属于该局服务对象, 予以剔除后重新计分; 其余异议缺乏依据。';
    await obs.getByLabel(/^复核理由/).fill(reasons);
    await obs.getByRole('button', { name: '作出复核结论' }).click();
    await expect.poll(() => status.textContent()).toBe('已作出复核结论, 待答复');
    await obs.getByLabel('书面答复', { exact: true }).fill(`${reasons} 更正后的得分将在结果公示页更新。`);
    await obs.getByRole('button', { name: '提交答复' }).click();
    await expect.poll(() => status.textContent()).toBe('已书面答复');
    await obs.getByRole('button', { name: '在结果公示页公开结论' }).click();
    await expect.poll(() => obs.getByRole('button', { name: '撤回公开' }).count()).toBe(1);
    expect(jsErrors(obs)).toEqual([]);
    await obs.close();

    // The unit follows it with the tracking number.
    const track = await b.page('/objections/track/');
    await hydrated(track);
    await track.getByLabel('查询号').fill(tracking.toLowerCase());
    await track.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => track.getByTestId('objection-decision').textContent()).toBe('部分成立');
    const steps = await track.getByTestId('objection-history').innerText();
    for (const s of ['已提交, 待受理', '已受理', '复核中', '已书面答复']) expect(steps).toContain(s);
    // Internal notes stay internal.
    expect(await track.locator('main').innerText()).not.toContain('调取评议名单核对');
    await expectAccessible(track);
    expect(jsErrors(track)).toEqual([]);
    await track.close();

    // The public sees the decision on the result's page, without a rebuild.
    await unit.goto(`${b.base}/results/county-2026/`);
    await eventually(unit, '[data-live="result-objections"]', matter);
    expect(await unit.locator('[data-live="result-objections"]').innerText()).toContain(reasons);
    expect(await unit.locator('[data-live="result-objections"]').innerText()).not.toContain('0799-5551234');
    await expectAccessible(unit);
    await unit.close();
  }, 150_000);
});

describe('the rectification ledger', () => {
  it('a lead closes an overdue item in the console and the unit page shows it done', async () => {
    const item = '00000000-0000-4000-8000-000000000503';
    const page = await b.page('/units/xzspj/');
    const row = page.locator(`#ledger-${item}`);
    expect(await row.getAttribute('data-status')).toBe('overdue');
    await expectAccessible(page);

    const obs = await b.page('/observe/');
    await consoleLogin(obs);
    await obs.getByRole('button', { name: '整改台账' }).click();
    await obs.getByLabel('考核').selectOption('county-2025');
    await obs.getByLabel('单位').selectOption('xzspj');
    const line = obs.locator(`tr[data-id="${item}"]`);
    await expect.poll(() => line.getByTestId('ledger-status').textContent()).toBe('逾期');
    await expectAccessible(obs);
    await line.getByRole('button', { name: '编辑' }).click();
    await obs.getByLabel('整改佐证').fill('11月起差评24小时内回访率100%, 每月通报回访情况。');
    await obs.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => obs.getByTestId('ledger-said').textContent()).toContain('已保存');
    await line.getByRole('button', { name: '销号 (标为已完成)' }).click();
    await expect.poll(() => line.getByTestId('ledger-status').textContent()).toBe('已完成');
    // Both changes are in the audit log.
    await obs.getByRole('button', { name: '操作日志' }).click();
    await expect.poll(() => obs.locator('table.audit').innerText()).toContain('整改');
    expect(jsErrors(obs)).toEqual([]);
    await obs.close();

    await expect
      .poll(
        async () => {
          await page.reload();
          return row.getAttribute('data-status');
        },
        { timeout: 70_000, interval: 2_000 },
      )
      .toBe('done');
    expect(await row.innerText()).toContain('11月起差评24小时内回访率100%');
    await page.close();
  }, 150_000);
});

describe('answered messages', () => {
  it('a writer who agreed to publication rates the reply; the public list shows it without any contact', async () => {
    const text = `医保经办窗口周末不开放, 建议轮流值班 (${Date.now() % 100000})。`;
    const writer = await b.page('/messages/new/?unit=ybj');
    await hydrated(writer);
    await writer.getByLabel('意见内容').fill(text);
    await writer.getByLabel('电话').fill('0799-5559876');
    await writer.getByLabel(/同意在答复后公开/).check();
    await passCheck(writer);
    await writer.getByRole('button', { name: '提交意见' }).click();
    const tracking = (await writer.getByTestId('tracking').textContent({ timeout: 10_000 }))?.trim() ?? '';
    // The writer is told when the answer is due.
    expect(await writer.getByTestId('reply-due').textContent()).toMatch(/\d{4}-\d{2}-\d{2}/);

    // The lead answers and publishes it (not under test here: the console steps are in messages.test.ts).
    const api = await apiSession(b.base);
    const queue = (await (await api.get('/api/v1/observe/messages?appraisal=county-2026&scope=all')).json()) as {
      items: { id: string; body: string }[];
    };
    const id = queue.items.find((m) => m.body === text)?.id as string;
    const reply = '自下月起医保经办窗口周六上午开放, 由各股室轮流值班。';
    expect((await api.post(`/api/v1/observe/messages/${id}/reply`, { text: reply })).status).toBe(200);
    expect((await api.post(`/api/v1/observe/messages/${id}/publish`, { published: true })).status).toBe(200);

    await writer.goto(`${b.base}/messages/track/`);
    await hydrated(writer);
    await writer.getByLabel('查询号').fill(tracking);
    await writer.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => writer.getByTestId('reply').innerText()).toBe(reply);
    await writer.getByRole('radio', { name: '满意', exact: true }).check();
    await passCheck(writer);
    await writer.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => writer.getByTestId('rating').textContent()).toContain('满意');
    // Once only: the form is gone.
    expect(await writer.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    expect(await writer.getByTestId('history').innerText()).toContain('反映人评价答复');
    await expectAccessible(writer);
    expect(jsErrors(writer)).toEqual([]);
    await writer.close();

    const list = await b.page('/messages/answered/?unit=ybj');
    await eventually(list, '[data-live="answered-list"]', text);
    const shown = await list.locator('[data-live="answered-list"]').innerText();
    expect(shown).toContain(reply);
    expect(shown).not.toContain('0799-5559876');
    await expectAccessible(list);
    await list.close();
  }, 150_000);
});

describe('the opinion-box queue on a phone', () => {
  it('fits 390 px, shows who handles each message, and keeps 办理 on one line', async () => {
    const p = await b.page('/observe/');
    await p.setViewportSize({ width: 390, height: 844 });
    await consoleLogin(p);
    await p.getByRole('button', { name: '民意调查箱' }).click();
    const rows = p.locator('.queue tbody tr');
    await rows.first().waitFor();
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const assignees = await p.getByTestId('assignee').allTextContents();
    expect(assignees.some((a) => a !== '未分配')).toBe(true);
    const button = rows.first().getByRole('button', { name: '办理' });
    const box = await button.boundingBox();
    const line = await button.evaluate((el) => Number.parseFloat(getComputedStyle(el).lineHeight) || 24);
    // One line of text plus padding: a wrapped 办/理 would be two.
    expect(box?.height ?? 0).toBeLessThan(line * 2);
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });
});
