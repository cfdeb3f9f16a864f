// Every kind of instrument, answered in Chromium at phone and desktop widths:
// a public questionnaire (errors next to each field, min/max, a character
// counter, a draft that survives a reload), a public vote (a spent Turnstile
// token renewed without losing anything), a rating with a code (a 429 that
// keeps the answers and offers a retry), and a response refused as closed.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PUBLIC_DAILY_CAP } from '../../src/domain/limits';
import { expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';
import { demoCodes, enterCode, passCheck, sessionDrafts, shot } from '../support/participate';

const b = useBrowser();
const [ratingCode] = demoCodes('service_recipient');
const RESPONSES = '**/api/v1/instruments/*/responses';

const radio = (p: Page, question: string, option: string) =>
  p.locator(`#q-${question.replace(/\./g, '\\.')} label`, { hasText: option }).first();

async function screens(p: Page, name: string) {
  await shot(p, `${name}-1280`);
  await p.setViewportSize({ width: 360, height: 800 });
  await shot(p, `${name}-360`);
  // Nothing may scroll sideways at 360 px.
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expectAccessible(p);
  await p.setViewportSize({ width: 1280, height: 900 });
}

async function submitAndGetReceipt(p: Page) {
  await passCheck(p);
  await p.getByRole('button', { name: '提交', exact: true }).click();
  await p.getByRole('heading', { name: '提交成功' }).waitFor();
  return (await p.locator('#receipt').textContent())?.trim() ?? '';
}

describe('a public questionnaire', () => {
  it('shows errors next to the fields, enforces min/max, counts characters, keeps a draft, submits', async () => {
    const p = await b.page('/participate/questionnaire-public-2026/');
    await hydrated(p);
    await p.locator('#q-identity').waitFor();
    expect(await p.locator('h1').textContent()).toContain('澄川县机关作风和营商环境问卷调查');
    await screens(p, 'questionnaire');
    // Seven numbered questions, two optional: the counter counts seven and says what is required.
    expect(await p.locator('.question .num').allTextContents()).toHaveLength(7);
    expect(await p.locator('.progress').textContent()).toContain('已答 0/7 题, 还有 5 道必答题');
    // How many to choose is said once, from the definition's min/max.
    expect((await p.locator('#q-problems-hint').textContent())?.trim()).toBe('可不选, 最多选 3 项');
    expect((await p.locator('#q-priorities-hint').textContent())?.trim()).toBe('请选择 1 至 3 项');

    // Asking for review with nothing answered: a summary that takes the focus, and each error at its field.
    await p.getByRole('button', { name: '核对并提交' }).click();
    const summary = p.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.getAttribute('role')).toBe('alert');
    expect(await p.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    expect(await summary.textContent()).toContain('您的身份是: 请作答本题');
    expect(await p.locator('#q-identity-error').textContent()).toContain('请作答本题');
    expect(await p.locator('#q-identity-0').getAttribute('aria-describedby')).toContain('q-identity-error');
    expect(await p.locator('#q-identity-0').getAttribute('aria-invalid')).toBe('true');
    expect(await p.locator('#q-priorities-error').textContent()).toContain('请作答本题');
    await expectAccessible(p);
    // A link of the summary moves to its field.
    await summary.getByRole('link', { name: /您最希望/ }).click();
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('q-priorities-0');

    // Multiple choice, at most 3: the hint says so, the fourth box is switched off.
    expect(await p.locator('#q-priorities-hint').textContent()).toContain('请选择 1 至 3 项');
    for (const label of ['一件事一次办', '网上办', '免申即享']) await radio(p, 'priorities', label).click();
    expect(await p.locator('#q-priorities-count').textContent()).toContain('已选 3 项, 已达上限');
    expect(await p.locator('#q-priorities label', { hasText: '多头检查' }).locator('input').isDisabled()).toBe(true);
    expect(await p.locator('#q-priorities-error').count()).toBe(0);

    // Text with a character counter and the limit of the definition.
    const text = p.locator('#q-suggestions-0');
    await text.fill('希望进一步压缩审批时限。');
    expect(await p.locator('#q-suggestions-count').textContent()).toContain('12/500 字');
    expect(await text.getAttribute('maxlength')).toBe('500');

    await radio(p, 'identity', '企业经营者').click();
    await radio(p, 'contact', '1至2次').click();
    expect(await p.locator('.progress').textContent()).toContain('已答 4/7 题, 还有 2 道必答题');

    // A reload keeps every answer (the draft), and says so.
    await p.reload();
    await hydrated(p);
    await p.locator('#q-identity').waitFor();
    expect(await p.locator('.participate').textContent()).toContain('已恢复您上次未提交的答案');
    expect(await p.locator('#q-identity label', { hasText: '企业经营者' }).locator('input').isChecked()).toBe(true);
    expect(await p.locator('#q-suggestions-0').inputValue()).toBe('希望进一步压缩审批时限。');
    expect(await p.locator('.progress').textContent()).toContain('已答 4/7 题, 还有 2 道必答题');

    await radio(p, 'style', '较好').click();
    await radio(p, 'business-env', '有所改善').click();
    await p.getByRole('button', { name: '核对并提交' }).click();
    await p.getByRole('heading', { name: '核对您的答案' }).waitFor();
    const review = (await p.locator('.participate').textContent()) ?? '';
    expect(review).toContain('企业经营者或企业员工');
    expect(review).toContain('更多事项“一件事一次办”、提高网上办、掌上办比例');
    expect(review).toContain('希望进一步压缩审批时限。');
    await expectAccessible(p);

    const receipt = await submitAndGetReceipt(p);
    expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(await sessionDrafts(p)).toEqual({});
    await screens(p, 'questionnaire-receipt');
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });
});

describe('a public vote', () => {
  it('shows the count, enforces the maximum, and renews a spent check without losing the choice', async () => {
    const p = await b.page('/participate/vote-service-2026/');
    await hydrated(p);
    await p.locator('#q-choice').waitFor();
    // The daily cap per address is said before anyone votes (issue 22: 120 votes a minute from one address).
    expect(await p.locator('main').textContent()).toContain(`每天对本项最多提交 ${PUBLIC_DAILY_CAP} 份`);
    expect(await p.locator('#q-choice-hint').textContent()).toContain('请选择 1 至 3 项');
    expect(await p.locator('#q-choice-count').textContent()).toContain('已选 0 项');
    // The page's promise (投票人数实时公开): the turnout the API shows, in steps of 5, and no count per option.
    const api = (await (await fetch(`${b.base}/api/v1/instruments/vote-service-2026/turnout`)).json()) as {
      total: number;
    };
    expect(api.total % 5).toBe(0);
    const turnout = await p.locator('[data-turnout]').textContent();
    expect(turnout).toContain(api.total === 0 ? '参与人数不足 5 人' : `已有 ${api.total} 人以上参与`);
    expect(turnout).toContain('各选项得票在截止后公布');
    expect(await p.locator('.description').textContent()).toContain('各窗口得票数在投票截止后公布');
    for (const label of ['综合受理窗口', '医保经办窗口', '办税服务厅']) await radio(p, 'choice', label).click();
    expect(await p.locator('#q-choice-count').textContent()).toContain('已选 3 项, 已达上限');
    expect(await p.locator('#q-choice input:disabled').count()).toBe(5);
    await screens(p, 'vote');

    await p.getByRole('button', { name: '核对并提交' }).click();
    await p.getByRole('heading', { name: '核对您的答案' }).waitFor();
    // The first token comes back "spent" (timeout-or-duplicate): the island must get a fresh one and send again.
    const tokens: string[] = [];
    await p.route(RESPONSES, async (route) => {
      tokens.push((route.request().postDataJSON() as { turnstileToken: string }).turnstileToken);
      if (tokens.length === 1) {
        await route.fulfill({
          status: 403,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'turnstile_failed', message: '人机验证未通过, 请重新验证' } }),
        });
      } else await route.continue();
    });
    const receipt = await submitAndGetReceipt(p);
    expect(receipt).toMatch(/^[0-9A-Z]{4}-/);
    expect(tokens).toEqual(['XXXX.DUMMY.TOKEN.XXXX', 'XXXX.DUMMY.TOKEN.XXXX']);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('refuses with a clear message when the vote closed while the form was open', async () => {
    const p = await b.page('/participate/vote-service-2026/');
    await hydrated(p);
    await radio(p, 'choice', '不动产登记窗口').click();
    await p.getByRole('button', { name: '核对并提交' }).click();
    await p.route(RESPONSES, (route) =>
      route.fulfill({
        status: 423,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'closed', message: '本项测评已截止' } }),
      }),
    );
    await passCheck(p);
    await p.getByRole('button', { name: '提交', exact: true }).click();
    const alert = p.locator('.problem[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('本项测评已截止, 不再接受提交。');
    expect(await alert.getByRole('button', { name: '重试' }).count()).toBe(0);
    await expectAccessible(p);
    await p.close();
  });
});

describe('a rating with a code', () => {
  it('rates every unit, keeps the answers through a 429 and submits on retry', async () => {
    const p = await b.page('/participate/');
    await hydrated(p);
    await enterCode(p, ratingCode!);
    const rating = p.locator('li', { hasText: '2026年度县直单位满意度评议' });
    await rating.waitFor();
    const later = p.locator('li', { hasText: '整改落实情况评议' });
    expect(await later.textContent()).toContain('未开始');
    expect(await later.textContent()).toContain('开始时间: 2027年1月5日 08:00');
    await rating.getByRole('button', { name: '开始填写' }).click();
    await p.locator('#q-fgj').waitFor();
    expect(await p.locator('#q-fgj legend').textContent()).toContain('澄川县发展和改革局');
    expect(await p.locator('.progress').textContent()).toContain('已答 0/24 题, 还有 24 道必答题');

    const units = await p.locator('fieldset.question:has(input[type=radio])').evaluateAll((fs) => fs.map((f) => f.id));
    expect(units).toHaveLength(24);
    for (const [i, id] of units.entries()) {
      await p
        .locator(`#${id.replace(/\./g, '\\.')} label`)
        .nth(i % 5 === 0 ? 1 : 0)
        .click();
    }
    await p.locator('summary', { hasText: '对澄川县财政局的意见建议' }).click();
    await p.locator('#q-czj\\.comment-0').fill('预算公开可以更细一些。');
    expect(await p.locator('.progress').textContent()).toMatch(/已答 24\/24 题\s*$/);
    await screens(p, 'rating');

    await p.getByRole('button', { name: '核对并提交' }).click();
    await p.getByRole('heading', { name: '核对您的答案' }).waitFor();
    expect(await p.locator('.participate').textContent()).toContain('预算公开可以更细一些。');

    await p.route(RESPONSES, (route) =>
      route.fulfill({
        status: 429,
        contentType: 'application/json',
        headers: { 'Retry-After': '30' },
        body: JSON.stringify({ error: { code: 'rate_limited', message: '操作过于频繁' } }),
      }),
    );
    // A code instrument asks for no human check at submit: the token is the proof.
    expect(await p.getByLabel('我不是机器人 (本地测试模式)').count()).toBe(0);
    await p.getByRole('button', { name: '提交', exact: true }).click();
    const alert = p.locator('.problem[role=alert]');
    await alert.waitFor();
    const said = (await alert.textContent()) ?? '';
    expect(said).toContain('操作过于频繁');
    expect(said).toContain('请在 30 秒后重试');
    expect(said).toContain('您的答案仍然保留');
    expect(Object.keys(await sessionDrafts(p))).toEqual(['kaoping:draft:rating-units-2026']);

    await p.unroute(RESPONSES);
    await alert.getByRole('button', { name: '重试' }).click();
    await p.getByRole('heading', { name: '提交成功' }).waitFor();
    expect(await sessionDrafts(p)).toEqual({});
    // Back to the list: the rating is now done.
    await p.getByRole('button', { name: '返回测评列表' }).click();
    await expect.poll(() => rating.textContent()).toContain('已使用');
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });
});
