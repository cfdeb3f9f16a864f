// Who rates whom, as raters see it: a service recipient's targeted code
// (定点定向) shows only the unit that served them; anyone may say 不了解 about
// a unit instead of guessing; and the score rule stands on the instrument's
// page and beside the published results.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';
import { demoCodes, enterCode, shot } from '../support/participate';

const b = useBrowser();
const [targeted] = demoCodes('service_recipient', 'swj');
// [0] to [2] are taken by participate-kinds and participate-outage.
const untargeted = demoCodes('service_recipient')[3];

async function submit(p: Page) {
  await p.getByRole('button', { name: '核对并提交' }).click();
  await p.getByRole('heading', { name: '核对您的答案' }).waitFor();
  const review = (await p.locator('main').textContent()) ?? '';
  // No human check here: the token bought with the code is the gate.
  await p.getByRole('button', { name: '提交', exact: true }).click();
  await p.getByRole('heading', { name: '提交成功' }).waitFor();
  return review;
}

describe('a targeted code (定点定向)', () => {
  it('says which unit it rates, and the rating shows that unit only', async () => {
    expect(targeted).toBeTruthy();
    const p = await b.page('/participate/');
    await hydrated(p);
    await enterCode(p, targeted!);
    await p.getByRole('heading', { name: '您可以参与的测评' }).waitFor();
    expect(await p.locator('main').textContent()).toContain('本参与码为定点定向评议码, 只评价: 澄川县商务局');
    await p.locator('li', { hasText: '2026年度县直单位满意度评议' }).getByRole('button', { name: '开始填写' }).click();
    await p.locator('#q-swj').waitFor();
    // One unit to rate, not 24.
    const rated = await p.locator('fieldset.question:has(input[type=radio])').evaluateAll((fs) => fs.map((f) => f.id));
    expect(rated).toEqual(['q-swj']);
    expect(await p.locator('#q-fgj').count()).toBe(0);
    expect(await p.locator('.progress').textContent()).toContain('已答 0/1');
    await p.locator('#q-swj label').first().click();
    expect(await p.locator('.progress').textContent()).toContain('已答 1/1');
    await shot(p, 'targeted-rating');
    await expectAccessible(p);
    const review = await submit(p);
    expect(review).toContain('澄川县商务局');
    expect(review).not.toContain('澄川县发展和改革局');
    expect(((await p.locator('#receipt').textContent()) ?? '').trim()).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });
});

describe('不了解', () => {
  it('replaces a unit’s rating, counts as answered, and shows in the review', async () => {
    expect(untargeted).toBeTruthy();
    const p = await b.page('/participate/');
    await hydrated(p);
    await enterCode(p, untargeted!);
    await p.locator('li', { hasText: '2026年度县直单位满意度评议' }).getByRole('button', { name: '开始填写' }).click();
    await p.locator('#q-fgj').waitFor();
    expect(await p.locator('.progress').textContent()).toContain('已答 0/24');
    // By keyboard: the 不了解 box of the first unit.
    const box = p.getByRole('checkbox', { name: /不了解/ }).first();
    await box.focus();
    await p.keyboard.press('Space');
    expect(await box.isChecked()).toBe(true);
    await p.locator('p', { hasText: '您选择了“不了解”' }).first().waitFor();
    expect(await p.locator('#q-fgj input[type=radio]').count()).toBe(0);
    expect(await p.locator('.progress').textContent()).toContain('已答 1/24');
    const rest = await p.locator('fieldset.question:has(input[type=radio])').evaluateAll((fs) => fs.map((f) => f.id));
    expect(rest).toHaveLength(23);
    for (const id of rest)
      await p
        .locator(`#${id.replace(/\./g, '\\.')} label`)
        .first()
        .click();
    expect(await p.locator('.progress').textContent()).toContain('已答 24/24');
    await expectAccessible(p);
    const review = await submit(p);
    expect(review).toMatch(/澄川县发展和改革局[\s\S]*不了解/);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });
});

describe('the score rule in public', () => {
  it('stands on the instrument’s page: weights of the internal raters, grade points, an illustrative example', async () => {
    const p = await b.page('/participate/ballot-internal-2026/');
    const rule = p.locator('section', { has: p.getByRole('heading', { name: '计分规则', exact: true }) });
    const text = (await rule.textContent()) ?? '';
    for (const [label, weight] of [
      ['本单位班子成员', '40'],
      ['中层干部', '30'],
      ['一般干部', '20'],
      ['不在编人员', '10'],
    ]) {
      expect(text).toMatch(new RegExp(`${label}\\s*${weight}%`));
    }
    expect(text).toContain('计算示例 (虚拟数据, 仅说明算法)');
    await expectAccessible(p);
    await p.close();
  });

  it('stands beside the published results, with 不了解 and the per-subject figures', async () => {
    const p = await b.page('/results/county-2025/');
    expect(await p.getByRole('heading', { name: '计分规则' }).count()).toBeGreaterThan(0);
    const main = (await p.locator('main').textContent()) ?? '';
    // The worked example takes the first subject none of whose counts is suppressed.
    expect(main).toMatch(/计算示例: 县医保局/);
    expect(main).toContain('计入考核总分');
    expect(await p.locator('th', { hasText: '不了解' }).count()).toBeGreaterThan(0);
    await expectAccessible(p);
    await p.close();
  });
});
