// A deputy with a printed slip: a typo caught as typed, the code verified,
// a whole ballot answered with the keyboard alone, reviewed, submitted, the
// receipt found on the check page, the code then marked done, and a closed
// instrument refused with a clear message.
import { describe, expect, it } from 'vitest';
import { checkCharacter } from '../../src/domain/code';
import { expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';
import { demoCodes, enterCode, expectNoCode, focused, passCheck, sessionDrafts, shot } from '../support/participate';

const b = useBrowser();
const [ballotCode, slipCode] = demoCodes('party_deputy');
const [closedCode] = demoCodes('npc_deputy');

/** The same code with one character changed: the check character must catch it. */
function typo(code: string): string {
  const c = code.replace(/-/g, '');
  const wrong = c[2] === '7' ? '8' : '7';
  const bad = `${c.slice(0, 2)}${wrong}${c.slice(3)}`;
  expect(checkCharacter(bad.slice(0, 12))).not.toBe(bad[12]);
  return `${bad.slice(0, 4)}-${bad.slice(4, 8)}-${bad.slice(8, 12)}-${bad.slice(12)}`;
}

describe('giving an opinion with a code', () => {
  it('catches a typo as it is typed, then verifies the code and lists what it opens', async () => {
    expect(ballotCode).toBeTruthy();
    const p = await b.page('/participate/');
    await hydrated(p);
    let verifies = 0;
    p.on('request', (r) => {
      if (r.url().endsWith('/api/v1/codes/verify')) verifies++;
    });
    const input = p.getByLabel('参与码', { exact: true });
    await input.pressSequentially(typo(ballotCode!), { delay: 5 });
    await expect.poll(() => p.locator('#code-status').textContent()).toContain('参与码有误');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await passCheck(p);
    await p.getByRole('button', { name: '核验参与码' }).click();
    expect(verifies).toBe(0);

    await input.fill('');
    await input.pressSequentially(ballotCode!.toLowerCase(), { delay: 5 });
    await expect.poll(() => p.locator('#code-status').textContent()).toContain('参与码格式正确');
    await p.getByRole('button', { name: '核验参与码' }).click();
    await p.getByRole('heading', { name: '您可以参与的测评' }).waitFor();
    expect(verifies).toBe(1);
    const list = p.locator('.instruments');
    expect(await list.textContent()).toContain('2026年度县直单位领导班子民主测评表');
    expect(await p.locator('main').textContent()).toContain('党代表');
    const groups = p.locator('li', { hasText: '2026年度县直单位领导班子民主测评表' });
    expect(await groups.textContent()).toContain('进行中');
    expect(await groups.textContent()).toContain('截止时间: 2026年12月20日 18:00');
    await p.setViewportSize({ width: 360, height: 800 });
    await shot(p, 'code-list-360');
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('answers a whole ballot by keyboard, reviews, submits, and finds the receipt on the check page', async () => {
    const p = await b.page('/participate/');
    await hydrated(p);
    await enterCode(p, ballotCode!);
    await p.getByRole('button', { name: '开始填写', exact: false }).first().waitFor();
    // Open the ballot with the keyboard: focus its button, press Enter.
    await p.locator('li', { hasText: '2026年度县直单位领导班子民主测评表' }).getByRole('button').focus();
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: '2026年度县直单位领导班子民主测评表' }).waitFor();
    expect(await p.locator('.progress').textContent()).toContain('已答 0/150 题, 还有 140 道必答题');
    expect(await p.locator('.anonymous').textContent()).toContain('不发送参与码');

    await shot(p, 'ballot-1280');
    await p.setViewportSize({ width: 360, height: 800 });
    await shot(p, 'ballot-360');
    await p.locator('#q-fgj\\.theory').scrollIntoViewIfNeeded();
    await p.screenshot({ path: 'test-results/screenshots/ballot-360-items.png' });
    await expectAccessible(p);
    await p.setViewportSize({ width: 1280, height: 900 });

    // Keyboard only: Tab through the form; Space picks 好 in an unanswered group, and in
    // each subject's first group ArrowRight moves on to 中; Enter on the paging buttons.
    let firstOfSubject = true;
    let presses = 0;
    for (; presses < 3000; presses++) {
      const f = await focused(p);
      if (f.type === 'radio' && !f.groupDone) {
        await p.keyboard.press('Space');
        if (firstOfSubject) {
          await p.keyboard.press('ArrowRight');
          firstOfSubject = false;
        }
      } else if (f.tag === 'button' && f.text === '下一个对象') {
        await p.keyboard.press('Enter');
        firstOfSubject = true;
        continue;
      } else if (f.tag === 'button' && f.text === '核对并提交') {
        await p.keyboard.press('Enter');
        break;
      }
      await p.keyboard.press('Tab');
    }
    expect(presses).toBeLessThan(3000);
    await p.getByRole('heading', { name: '核对您的答案' }).waitFor();
    const review = (await p.locator('.participate').textContent()) ?? '';
    expect(review).toContain('县发展和改革局领导班子');
    expect(review).toContain('好 12 · 中 1 · 差 0');
    await shot(p, 'ballot-review-1280');
    // The draft holds the answers, never the code.
    const drafts = await sessionDrafts(p);
    expect(Object.keys(drafts)).toEqual(['kaoping:draft:ballot-groups-2026']);
    expect(Object.keys(JSON.parse(drafts['kaoping:draft:ballot-groups-2026']!))).toHaveLength(140);
    expectNoCode(drafts, ballotCode!);
    // The token bought on opening waits on the device, keyed by a hash: no code in it either.
    const held = await p.evaluate(() => Object.fromEntries(Object.entries(localStorage)));
    expect(Object.keys(held)).toHaveLength(1);
    expect(Object.keys(held)[0]).toMatch(/^kaoping:token:[0-9a-f]{32}$/);
    expect(JSON.parse(Object.values(held)[0]!).token.sig).toMatch(/^[A-Za-z0-9_-]{342}$/);
    expectNoCode(held, ballotCode!);
    await expectAccessible(p);

    for (let i = 0; i < 20; i++) {
      const f = await focused(p);
      if (f.tag === 'button' && f.text === '提交') break;
      await p.keyboard.press('Tab');
    }
    await p.keyboard.press('Enter');
    await p.getByRole('heading', { name: '提交成功' }).waitFor();
    const receipt = (await p.locator('#receipt').textContent())?.trim() ?? '';
    expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(await sessionDrafts(p)).toEqual({});
    expect(await p.evaluate(() => localStorage.length)).toBe(0);
    await expectAccessible(p);
    await shot(p, 'receipt-1280');

    await p.getByRole('link', { name: '去核对回执' }).click();
    await p.waitForURL('**/receipts/');
    await hydrated(p);
    await expect
      .poll(() => p.locator('#receipt-result').textContent())
      .toContain('已计入: 《2026年度县直单位领导班子民主测评表》');
    expect(await p.getByLabel('回执号').inputValue()).toBe(receipt);
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();
  });

  it('marks the ballot done when the same code comes back, and refuses a second response', async () => {
    const p = await b.page('/participate/');
    await hydrated(p);
    await enterCode(p, ballotCode!);
    const groups = p.locator('li', { hasText: '2026年度县直单位领导班子民主测评表' });
    await groups.waitFor();
    expect(await groups.textContent()).toContain('已使用');
    expect(await groups.getByRole('button').count()).toBe(0);
    await p.close();

    // On the ballot's own page, the same code is told plainly that it has answered.
    const own = await b.page('/participate/ballot-groups-2026/');
    await hydrated(own);
    await enterCode(own, ballotCode!);
    await expect.poll(() => own.locator('[role=alert]').first().textContent()).toContain('此参与码已提交过本项测评');
    expect(jsErrors(own)).toEqual([]);
    await own.close();
  });

  it('opens with the code from the slip’s QR link and wipes it from the address bar', async () => {
    const p = await b.page(`/participate/#code=${slipCode}`);
    await hydrated(p);
    expect(await p.getByLabel('参与码', { exact: true }).inputValue()).toBe(slipCode);
    expect(new URL(p.url()).hash).toBe('');
    expect(await p.locator('#code-status').textContent()).toContain('参与码格式正确');
    await p.close();
  });

  it('refuses a closed instrument with a clear message', async () => {
    const p = await b.page('/participate/');
    await hydrated(p);
    await enterCode(p, closedCode!);
    const sessions = p.locator('li', { hasText: '两会' });
    await sessions.waitFor();
    expect(await sessions.textContent()).toContain('已截止');
    expect(await sessions.getByRole('button').count()).toBe(0);
    await p.close();

    // Its own page says it is closed and links the results: no code asked, no 核验参与码 offered.
    const own = await b.page('/participate/rating-sessions-2026/');
    expect(await own.locator('[data-closed]').innerText()).toContain('已于 2026年2月28日');
    expect(await own.locator('[data-closed] a').getAttribute('href')).toBe('/results/county-2026/');
    await hydrated(own);
    // The island asked the API, found it closed, and says nothing the page has said already.
    await expect.poll(() => own.locator('.participate').innerText()).toBe('');
    expect(await own.getByLabel('参与码', { exact: true }).count()).toBe(0);
    expect(await own.getByRole('button', { name: '核验参与码' }).count()).toBe(0);
    expect(await own.locator('a[href="/results/county-2026/"]').count()).toBe(1);
    expect(await own.locator('fieldset').count()).toBe(0);
    await expectAccessible(own);
    expect(jsErrors(own)).toEqual([]);
    await own.close();
  });

  it('says plainly when a well-formed code is unknown', async () => {
    const p = await b.page('/participate/');
    await hydrated(p);
    const body = 'ZZZZZZZZZZZZ';
    await enterCode(p, `${body}${checkCharacter(body)}`);
    await expect.poll(() => p.locator('#code-status').textContent()).toContain('参与码无效');
    expect(await p.getByLabel('参与码', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await p.close();
  });
});
