// Shared steps of the participation e2e tests: demo codes, the code step, screenshots.
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const SHOTS = 'test-results/screenshots';

/** Unused demo codes of one category of the 2026 appraisal (the seed answers with the first ones). */
/** Unused demo codes of a category; `subjects` picks a targeted batch (定点定向), default the untargeted ones. */
export function demoCodes(category: string, subjects = '*'): string[] {
  const rows = readFileSync('.demo/codes.csv', 'utf8').trim().split('\n').slice(1);
  return rows
    .map((l) => l.split(','))
    .filter(
      ([, cat, appraisal, answered, scope]) =>
        cat === category && appraisal === 'county-2026' && !answered && (scope ?? '*') === subjects,
    )
    .map(([code]) => code as string);
}

export async function shot(p: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await p.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  // The first screen as well: what a phone shows without scrolling.
  await p.screenshot({ path: `${SHOTS}/${name}-screen.png` });
}

/** Tick the local Turnstile stand-in (test mode) if it is not ticked yet. */
export async function passCheck(p: Page) {
  const box = p.getByLabel('我不是机器人 (本地测试模式)');
  await box.waitFor();
  if (!(await box.isChecked())) await box.check();
}

/** Type a code, pass the check and verify it; resolves once the list (or the instrument) shows. */
export async function enterCode(p: Page, code: string) {
  await p.getByLabel('参与码', { exact: true }).fill(code);
  await passCheck(p);
  await p.getByRole('button', { name: '核验参与码' }).click();
}

/** The text of the element that has the focus (for keyboard-only steps). */
export const focused = (p: Page) =>
  p.evaluate(() => {
    const a = document.activeElement as HTMLInputElement | null;
    return {
      tag: a?.tagName.toLowerCase() ?? '',
      type: a?.type ?? '',
      name: a?.name ?? '',
      checked: !!a?.checked,
      text: (a?.textContent ?? '').trim(),
      groupDone: a?.type === 'radio' ? !!document.querySelector(`input[name="${a.name}"]:checked`) : false,
    };
  });

export async function sessionDrafts(p: Page): Promise<Record<string, string>> {
  return p.evaluate(() => Object.fromEntries(Object.entries(sessionStorage)));
}

export function expectNoCode(storage: Record<string, string>, code: string) {
  const normal = code.replace(/-/g, '');
  for (const v of Object.values(storage)) {
    expect(v).not.toContain(code);
    expect(v).not.toContain(normal);
  }
}
