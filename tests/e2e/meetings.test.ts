// Evaluation meetings in Chromium: a lead records a meeting in the console;
// two observers key a sheet with the keyboard only (serial, category, one key
// per item, Enter) and it counts; a sheet keyed differently goes to a third
// observer, who sees only the differing items and keys the final reading.
// Every view passes axe.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { withDb } from '../../scripts/lib/d1';
import { formatSerial } from '../../src/domain/ballot-serial';
import { hashPassword } from '../../src/server/auth/password';
import { createAccount } from '../../src/server/db/admin/observers';
import { expectAccessible, hydrated, jsErrors, useBrowser } from '../support/browser';
import { demoObserver } from '../support/observe';

const b = useBrowser();
const PASSWORD = 'meeting keyers pass phrase';
const keyers = [
  { id: '00000000-0000-4000-8000-0000000e2e01', username: 'e2e-keyer-two', displayName: '录入员乙' },
  { id: '00000000-0000-4000-8000-0000000e2e02', username: 'e2e-keyer-three', displayName: '录入员丙' },
];
// The open 2026 units rating: each unit has 不了解 and one satisfaction item. Not the sessions rating (两会),
// whose demo meeting and published snapshot other tests compare against: paper keyed here must not move them.
const INSTRUMENT = '2026年度县直单位满意度评议';
const UNITS = (parse(readFileSync('src/content/instruments/rating-units-2026.yaml', 'utf8')) as { subjects: string[] })
  .subjects.length;

beforeAll(async () => {
  const passwordHash = await hashPassword(PASSWORD);
  await withDb({ remote: false, persistTo: inject('persistTo') }, async (db) => {
    for (const k of keyers) {
      await createAccount(
        db,
        { ...k, role: 'observer', passwordHash, disabled: false, createdAt: '2026-11-01T00:00:00Z' },
        [],
      );
    }
  });
}, 120_000);

async function loginAs(p: Page, username: string, password: string) {
  await hydrated(p);
  await p.locator('[data-testid="observer"], #login-username').first().waitFor();
  if (await p.getByTestId('observer').isVisible()) {
    await p.getByRole('button', { name: '退出登录' }).click();
    await p.locator('#login-username').waitFor();
  }
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
  await p.getByTestId('observer').waitFor();
  await p.getByRole('button', { name: '测评大会' }).click();
  await p.getByLabel('测评', { exact: true }).selectOption({ label: await instrumentTitle(p) });
}

const instrumentTitle = (p: Page) =>
  p
    .locator('#meetings-instrument option', { hasText: INSTRUMENT })
    .first()
    .textContent()
    .then((t) => (t ?? '').trim());

const row = (p: Page, place: string) => p.locator('tr', { hasText: place });

/** Key one sheet from the serial field: serial, Enter, category 1, then per unit: fgj rated `first`, the rest 不了解; Enter submits. */
async function keySheet(p: Page, serial: string, first: '1' | '2', opts: { typeSerial?: boolean } = {}) {
  if (opts.typeSerial !== false) {
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('key-serial');
    await p.keyboard.type(serial.replace('-', '').toLowerCase());
    await expect.poll(() => p.locator('#key-serial-state').textContent()).toContain('有效');
    await p.keyboard.press('Enter');
  }
  await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('key-category');
  await p.keyboard.press('1'); // 人大代表
  // fgj: not 不了解 (Enter moves on), then its grade; every other unit: 不了解 (one key, its item skipped).
  await p.keyboard.press('Enter');
  await p.keyboard.press(first);
  for (let i = 1; i < UNITS; i++) await p.keyboard.press('1');
  await expect.poll(() => p.evaluate(() => document.activeElement?.textContent)).toBe('提交本张');
  expect(await p.getByTestId('keying-review').textContent()).toContain(serial);
  await p.keyboard.press('Enter');
}

describe('an evaluation meeting in the console', () => {
  const place = `县人大常委会会议室 (${Date.now() % 100000})`;

  it('a lead records a meeting; two observers key a sheet alike and it counts; a mismatch goes to a third', async () => {
    const p = await b.page('/observe/');
    const lead = demoObserver();
    await loginAs(p, lead.username, lead.password);
    await expectAccessible(p);

    // Recording: an error summary links to the field, then the meeting is listed.
    await p.getByLabel('会议日期').fill('2026-11-23');
    await p.getByLabel('会议地点').fill(place);
    await p.getByRole('button', { name: '登记', exact: true }).click();
    const summary = p.locator('.error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('请至少选择一个到会的评议主体类别');
    await expectAccessible(p);
    await p.getByLabel('人大代表').check();
    await p.getByLabel('政协委员').check();
    await p.getByLabel('发出票数').fill('30');
    await p.getByLabel('收回票数').fill('31');
    await p.getByLabel('废票数').fill('1');
    await p.getByRole('button', { name: '登记', exact: true }).click();
    await expect.poll(() => summary.textContent()).toContain('收回票数不能多于发出票数');
    expect(await summary.locator('a').first().getAttribute('href')).toBe('#meeting-returned');
    await p.getByLabel('收回票数').fill('28');
    await p.getByRole('button', { name: '登记', exact: true }).click();
    await row(p, place).waitFor();
    expect(await row(p, place).getByTestId('meeting-progress').textContent()).toBe('0 / 27');
    // A lead corrects the spoilt count.
    await row(p, place).getByRole('button', { name: '更正票数' }).click();
    await p.getByLabel('废票数').last().fill('2');
    await p.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => row(p, place).getByTestId('meeting-progress').textContent()).toBe('0 / 26');

    // Sheet 1, first keying, by the lead.
    await row(p, place).getByRole('button', { name: '录入选票' }).click();
    await keySheet(p, formatSerial(1), '1');
    await expect.poll(() => p.getByTestId('keying-said').textContent()).toContain('已录入第一遍');
    // Focus is back on the serial for the next sheet: sheet 2, first keying.
    await keySheet(p, formatSerial(2), '1');
    await expect.poll(() => p.getByTestId('keying-said').textContent()).toContain(`${formatSerial(2)} 已录入第一遍`);
    // A mistyped check letter is refused as typed.
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('key-serial');
    await p.keyboard.type('000003A');
    await expect.poll(() => p.locator('#key-serial-state').textContent()).toContain('编号不正确');
    expect(await p.locator('#key-serial').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(p);
    await p.locator('#key-serial').fill('');

    // The second observer: sees the waiting sheets, never their readings; keys sheet 1 alike, sheet 2 differently.
    await loginAs(p, keyers[0]!.username, PASSWORD);
    await row(p, place).getByRole('button', { name: '录入选票' }).click();
    const pending = p.getByTestId('pending');
    await pending.waitFor();
    expect(await pending.textContent()).toContain('待第二遍录入');
    expect(await pending.textContent()).not.toMatch(/满意|不了解/);
    await keySheet(p, formatSerial(1), '1');
    await expect.poll(() => p.getByTestId('keying-said').textContent()).toContain(`${formatSerial(1)} 已计入`);
    await expect.poll(() => p.getByTestId('keying-progress').textContent()).toContain('已计入 1 / 有效票 26');
    await keySheet(p, formatSerial(2), '2');
    await expect.poll(() => p.getByTestId('keying-said').textContent()).toContain('不一致');
    await expectAccessible(p);

    // The third observer: the mismatch, its differing item only, side by side; the final reading counts.
    await loginAs(p, keyers[1]!.username, PASSWORD);
    await row(p, place).getByRole('button', { name: '录入选票' }).click();
    await p.getByRole('button', { name: `录入 ${formatSerial(2)}` }).click();
    const mismatch = p.getByTestId('mismatch');
    await mismatch.waitFor();
    expect(await mismatch.locator('tbody tr').count()).toBe(1);
    expect(await mismatch.locator('tbody tr').textContent()).toMatch(/满意.*基本满意/);
    await expectAccessible(p);
    await keySheet(p, formatSerial(2), '2', { typeSerial: false });
    await expect.poll(() => p.getByTestId('keying-said').textContent()).toContain(`${formatSerial(2)} 已计入`);
    await expect.poll(() => row(p, place).getByTestId('meeting-progress').textContent()).toBe('2 / 26');
    await expect.poll(() => p.getByTestId('pending').count()).toBe(0);
    await expectAccessible(p);
    expect(jsErrors(p)).toEqual([]);
    await p.close();

    // The public appraisal page: its live section is filled, and a meeting held today is not shown yet.
    const pub = await b.page('/appraisals/county-2026/');
    const live = pub.locator('[data-live="appraisal-meetings"]');
    expect(await live.getAttribute('data-live-state')).toBe('ok');
    expect(await live.textContent()).not.toContain(place);
    await expectAccessible(pub);
    await pub.close();
  });
});
